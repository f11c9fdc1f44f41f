"""Assertions on RFC 9457 problem responses."""

from __future__ import annotations

from typing import Any

import httpx


def assert_problem(
    response: httpx.Response, status: int, field: str | None = None
) -> dict[str, Any]:
    """The response is an RFC 9457 problem with `status`, naming `field` when given."""
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers.get("x-correlation-id")
    body: dict[str, Any] = response.json()
    assert set(body) >= {"type", "title", "status", "detail", "instance", "errors"}
    assert body["status"] == status
    assert "Traceback" not in response.text
    if field is not None:
        fields = [e["field"] for e in body["errors"]]
        assert field in fields, fields
    return body
