"""Request building: base URL, Authorization, User-Agent, symbols in paths."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from ..version import __version__
from .steps import RetryPolicy

USER_AGENT = f"pocketquant-python/{__version__}"


@dataclass(frozen=True)
class Api:
    url: str
    api_key: str | None
    policy: RetryPolicy = field(default_factory=RetryPolicy)

    def headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"User-Agent": USER_AGENT, "Accept": "application/json"}
        if self.api_key:
            headers["Authorization"] = f"Bearer {self.api_key}"
        return headers | (extra or {})

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Request:
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        return httpx.Request(
            method,
            self.url + path,
            params=clean or None,
            json=json,
            headers=self.headers(headers),
        )


def symbol_path(symbol: str) -> str:
    """`NYSE:BRK.B` as one path segment (`:` kept, as the gateway documents it)."""
    return quote(symbol.strip(), safe=":")
