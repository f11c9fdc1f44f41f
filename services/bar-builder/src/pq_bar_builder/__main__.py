"""`python -m pq_bar_builder`: serve /health and /metrics on PQ_HTTP_PORT (18094) and run
the owned partitions' workers and the outbox relay."""

from __future__ import annotations

from pq_runtime.http import serve

from .main import create_app
from .settings import BarBuilderSettings


def main() -> None:
    serve(BarBuilderSettings(), create_app)


if __name__ == "__main__":
    main()
