"""Helpers of the gateway attack suite (tests/security/test_gateway_*.py): the stack it
attacks, raw HTTP for requests a client library would tidy up, API keys of each scope,
and JetStream consumer counts from the NATS monitoring port (no bus credentials)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.support.stack_runner import E2eStack

# What the attacked stack runs with: small caps so each one is reached in a few
# requests, a trusted proxy (the test itself, as the Ingress would be) and console logs
# (the mode in which a long traceparent used to freeze the gateway).
ATTACK_CAPS = {
    "PQ_SSE_MAX_STREAMS_PER_KEY": "2",
    "PQ_SSE_MAX_STREAMS": "4",
    "PQ_WATCHLIST_MAX_PER_KEY": "2",
    "PQ_SCHEDULES_MAX_PER_KEY": "1",
    "PQ_RATE_LIMIT_AUTH_FAILURES": "3/600",
    "PQ_TRUSTED_PROXIES": "127.0.0.1/32",
    "PQ_LOG_JSON": "false",
    "PQ_READY_TIMEOUT": "240",  # a loaded machine starts services slowly
}
READY_TIMEOUT_S = 600.0


def create_key(stack: E2eStack, name: str, scopes: str) -> str:
    """`pq keys create`, as an operator runs it; the new key (printed once)."""
    done = stack.pq(
        "keys", "--nats-url", stack.nats_url, "create", "--name", name, "--scopes", scopes
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout.strip().splitlines()[-1].strip()


def pq_keys(stack: E2eStack, *args: str) -> subprocess.CompletedProcess[str]:
    return stack.pq("keys", "--nats-url", stack.nats_url, *args)


def bearer(key: str, **extra: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}", **extra}


def raw_request(base_url: str, request_line: str, headers: dict[str, str]) -> tuple[int, bytes]:
    """Send one request exactly as written (no path normalisation); (status, body)."""
    url = httpx.URL(base_url)
    lines = [request_line, f"Host: {url.host}:{url.port}", "Connection: close", "Content-Length: 0"]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    with socket.create_connection((url.host, url.port or 80), timeout=30) as sock:
        sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split(b" ", 2)[1]), body


def assert_problem(answer: httpx.Response, status: int, field: str | None = None) -> dict[str, Any]:
    assert answer.status_code == status, f"{answer.status_code}: {answer.text}"
    assert answer.headers["content-type"] == "application/problem+json", answer.headers
    problem: dict[str, Any] = answer.json()
    assert problem["status"] == status
    if field is not None:
        assert [e["field"] for e in problem["errors"]] == [field], problem
    return problem


def kv_consumer_counts(stack: E2eStack) -> dict[str, int]:
    """Consumers per KV bucket stream (KV_*), from nats-server's /jsz monitoring page."""
    url = f"http://127.0.0.1:{stack.ports['nats_monitor']}/jsz?streams=true"
    report = httpx.get(url, timeout=10).json()
    counts: dict[str, int] = {}
    for account in report.get("account_details", []):
        for stream in account.get("stream_detail", []):
            if stream["name"].startswith("KV_"):
                counts[stream["name"]] = int(stream["state"].get("consumer_count", 0))
    return counts


def service_logs(data_dir: Path) -> dict[str, str]:
    """Every service's log file of the stack (`<data dir>/logs/*.log`), by name."""
    return {p.name: p.read_text(errors="replace") for p in (data_dir / "logs").glob("*.log")}
