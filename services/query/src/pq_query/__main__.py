"""`python -m pq_query`: the query service on PQ_HTTP_HOST:PQ_HTTP_PORT (default 18091)."""

from __future__ import annotations

import uvicorn

from .main import create_app
from .settings import QuerySettings


def main() -> None:
    settings = QuerySettings()
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        log_level="warning",
        access_log=False,
    )


if __name__ == "__main__":
    main()
