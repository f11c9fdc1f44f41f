"""Where the gateway is and which API key to send.

`PQ_URL` and `PQ_API_KEY` win. Without them the SDK talks to the local `make up` stack:
its gateway URL from `<data dir>/stack.json` and its development key from
`<data dir>/dev-api-key`, the data dir being `PQ_DATA_DIR` (default `.pq`, looked up
from the working directory upwards, as git finds `.git`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_URL = "http://127.0.0.1:8080"
DEFAULT_DATA_DIR = Path(".pq")


class ClientSettings(BaseSettings):
    """The SDK's environment (`PQ_` prefix); the arguments of `Client()` override it."""

    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    url: str | None = Field(default=None, description="gateway base URL")
    api_key: str | None = Field(default=None, description="API key (Bearer)")
    data_dir: Path | None = Field(default=None, description="the local stack's data folder")


@dataclass(frozen=True)
class Connection:
    """The resolved gateway URL and API key (None: send no Authorization header)."""

    url: str
    api_key: str | None

    def __repr__(self) -> str:  # never print the key
        hidden = None if self.api_key is None else "***"
        return f"Connection(url={self.url!r}, api_key={hidden!r})"


def resolve(url: str | None = None, api_key: str | None = None) -> Connection:
    """Arguments, then `PQ_URL` / `PQ_API_KEY`, then the local stack's files."""
    env = ClientSettings()
    url = url or env.url
    api_key = api_key or env.api_key
    if url and api_key:
        return Connection(url.rstrip("/"), api_key)
    data_dir = find_data_dir(env.data_dir)
    local_url = _stack_gateway_url(data_dir) if data_dir else None
    target = (url or local_url or DEFAULT_URL).rstrip("/")
    # The development key goes to the local stack only, never to a PQ_URL elsewhere.
    if api_key is None and data_dir is not None and local_url and target == local_url.rstrip("/"):
        api_key = _dev_api_key(data_dir)
    return Connection(target, api_key)


def find_data_dir(configured: Path | None) -> Path | None:
    """`PQ_DATA_DIR` as given, else the nearest `.pq` folder from here upwards."""
    if configured is not None:
        return configured.expanduser()
    here = Path.cwd()
    for folder in (here, *here.parents):
        candidate = folder / DEFAULT_DATA_DIR
        if candidate.is_dir():
            return candidate
    return None


def _stack_gateway_url(data_dir: Path) -> str | None:
    try:
        record = json.loads((data_dir / "stack.json").read_text())
        url = record["endpoints"]["gateway_url"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return str(url)


def _dev_api_key(data_dir: Path) -> str | None:
    try:
        key = (data_dir / "dev-api-key").read_text().strip()
    except OSError:
        return None
    return key or None
