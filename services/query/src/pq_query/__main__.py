"""`python -m pq_query`: the query service on PQ_HTTP_HOST:PQ_HTTP_PORT (default 18091)."""

from __future__ import annotations

import uvicorn

from pq_runtime.telemetry import configure_logging

from .main import create_app
from .settings import QuerySettings


def main() -> None:
    settings = QuerySettings()
    # Before uvicorn's first lines; the lifespan configures it again (in-process apps too).
    configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        access_log=False,
        log_config=None,  # uvicorn's own lines go through structlog's handler
    )


if __name__ == "__main__":
    main()
