"""`python -m pq_ingest_stream`: serve /health and /metrics on PQ_HTTP_PORT (18093) and run
the shard: watchlist -> quote session -> QuoteReceived, status heartbeats, gap backfills."""

from __future__ import annotations

import uvicorn

from pq_runtime.telemetry import configure_logging

from .main import create_app
from .settings import IngestStreamSettings


def main() -> None:
    settings = IngestStreamSettings()
    # Before uvicorn's first lines; the lifespan configures it again (in-process apps too).
    configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        access_log=False,
        log_config=None,  # uvicorn's own lines go through structlog's handler
        timeout_graceful_shutdown=5,
    )


if __name__ == "__main__":
    main()
