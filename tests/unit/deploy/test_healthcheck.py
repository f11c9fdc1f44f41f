"""deploy/docker/healthcheck.py, the images' HEALTHCHECK: exit 0 only on a 2xx /health."""

from __future__ import annotations

import importlib.util
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import ModuleType

import pytest

from tests.unit.deploy.conftest import REPO_ROOT


@pytest.fixture(scope="module")
def healthcheck() -> ModuleType:
    path = REPO_ROOT / "deploy" / "docker" / "healthcheck.py"
    spec = importlib.util.spec_from_file_location("pq_healthcheck", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class _Health(BaseHTTPRequestHandler):
    status = 200
    paths: list[str] = []

    def do_GET(self) -> None:
        type(self).paths.append(self.path)
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def health_port() -> Iterator[int]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Health)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    _Health.paths = []
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@pytest.mark.parametrize(("status", "code"), [(200, 0), (204, 0), (503, 1), (500, 1)])
def test_http_check_follows_the_health_status(
    healthcheck: ModuleType,
    health_port: int,
    monkeypatch: pytest.MonkeyPatch,
    status: int,
    code: int,
) -> None:
    monkeypatch.setattr(_Health, "status", status)
    monkeypatch.setenv("PQ_HTTP_PORT", str(health_port))
    assert healthcheck.main([]) == code
    assert _Health.paths == ["/health"]


def test_http_check_fails_when_nothing_listens(
    healthcheck: ModuleType, closed_port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PQ_HTTP_PORT", str(closed_port))
    assert healthcheck.main([]) == 1


def test_tcp_check_needs_only_a_listener(
    healthcheck: ModuleType,
    health_port: int,
    closed_port: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PQ_HTTP_PORT", str(health_port))
    assert healthcheck.main(["--tcp"]) == 0
    monkeypatch.setenv("PQ_HTTP_PORT", str(closed_port))
    assert healthcheck.main(["--tcp"]) == 1
