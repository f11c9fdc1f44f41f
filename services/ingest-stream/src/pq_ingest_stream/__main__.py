"""`python -m pq_ingest_stream`: serve /health and /metrics on PQ_HTTP_PORT (18093) and run
the shard: watchlist -> quote session -> QuoteReceived, status heartbeats, gap backfills."""

from __future__ import annotations

from pq_runtime.http import serve

from .main import create_app
from .settings import IngestStreamSettings


def main() -> None:
    serve(IngestStreamSettings(), create_app)


if __name__ == "__main__":
    main()
