"""Container healthcheck for PocketQuant images (slim images have no curl).

    python /app/healthcheck.py          GET http://127.0.0.1:$PQ_HTTP_PORT/health, exit 0 on 2xx
    python /app/healthcheck.py --tcp    TCP connect to $PQ_HTTP_PORT (servers without /health)

Exit status 0 means healthy, 1 unhealthy: what Docker's HEALTHCHECK expects.
Standard library only, so it runs on any image with the service's Python.
"""

from __future__ import annotations

import os
import socket
import sys
import urllib.error
import urllib.request

TIMEOUT_S = 4.0


def check_http(port: int, path: str = "/health") -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=TIMEOUT_S) as rsp:
            return 200 <= rsp.status < 300
    except (urllib.error.URLError, OSError, ValueError):
        # HTTPError (a 503 from /health) is a URLError too.
        return False


def check_tcp(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S):
            return True
    except OSError:
        return False


def main(argv: list[str]) -> int:
    port = int(os.environ.get("PQ_HTTP_PORT", "8080"))
    healthy = check_tcp(port) if "--tcp" in argv else check_http(port)
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
