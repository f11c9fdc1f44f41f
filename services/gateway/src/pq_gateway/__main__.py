"""`python -m pq_gateway`: serve the gateway with uvicorn on PQ_GATEWAY_PORT (8080)."""

from __future__ import annotations

from pq_runtime.http import serve

from .main import create_app
from .settings import GatewaySettings


def main() -> None:
    serve(GatewaySettings(), create_app, proxy_headers=False)


if __name__ == "__main__":
    main()
