"""F2: a dead letter always fits in max_payload (headers + payload), truncated if it must."""

from __future__ import annotations

from pq_runtime.messaging.dlq import (
    ERROR,
    ORIGINAL_SEQ,
    ORIGINAL_SIZE,
    TRUNCATED,
    fit_to_max_payload,
    headers_size,
)

LIMIT = 1024 * 1024
HEADERS = {"Nats-Msg-Id": "dlq:PQ_QUOTES:c:7", ERROR: "e" * 1024, ORIGINAL_SEQ: "7"}


def wire_headers(headers: dict[str, str]) -> bytes:
    lines = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return f"NATS/1.0\r\n{lines}\r\n".encode()


def test_headers_size_is_the_wire_size() -> None:
    headers = {**HEADERS, "Pq-Original-Subject": "pq.quotes.KRX.삼성전자"}
    assert headers_size(headers) == len(wire_headers(headers))


def test_a_message_that_fits_is_kept_whole() -> None:
    data = b"x" * 1000
    assert fit_to_max_payload(HEADERS, data, LIMIT) == (HEADERS, data)


def test_a_message_that_does_not_fit_is_truncated_and_marked() -> None:
    data = b"{" + b"x" * (LIMIT - 401)
    headers, kept = fit_to_max_payload(HEADERS, data, LIMIT)
    assert headers_size(headers) + len(kept) == LIMIT
    assert data.startswith(kept)
    assert (headers[TRUNCATED], headers[ORIGINAL_SIZE]) == ("true", str(len(data)))
    assert headers[ORIGINAL_SEQ] == "7"  # where the original still is


def test_original_headers_too_big_leave_only_ours() -> None:
    headers = {**HEADERS, "X-Huge": "h" * LIMIT}
    fitted, kept = fit_to_max_payload(headers, b"payload", LIMIT)
    assert "X-Huge" not in fitted
    assert fitted[ERROR] == HEADERS[ERROR]
    assert headers_size(fitted) + len(kept) <= LIMIT
