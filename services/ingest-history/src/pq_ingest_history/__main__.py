"""`python -m pq_ingest_history`: serve /health and /metrics on PQ_HTTP_PORT (18092) and
run the sync consumer, outbox relay and scheduler."""

from __future__ import annotations

from pq_runtime.http import serve

from .main import create_app
from .settings import IngestHistorySettings


def main() -> None:
    serve(IngestHistorySettings(), create_app)


if __name__ == "__main__":
    main()
