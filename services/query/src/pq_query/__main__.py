"""`python -m pq_query`: the query service on PQ_HTTP_HOST:PQ_HTTP_PORT (default 18091)."""

from __future__ import annotations

from pq_runtime.http import serve

from .main import create_app
from .settings import QuerySettings


def main() -> None:
    serve(QuerySettings(), create_app)


if __name__ == "__main__":
    main()
