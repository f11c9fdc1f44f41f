"""One folder's NATS and Redis credentials: the stack's `.pq/`, or a test server's folder."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from pq_runtime.bus_access import ADMIN

from .authorization import render_authorization
from .consumer_registry import CONSUMERS_FILE, ConsumerRegistry
from .stack_secrets import CREDENTIALS_FILE, StackSecrets, load_or_create_secrets


@dataclass(frozen=True)
class BusAuth:
    folder: Path

    @property
    def secrets_path(self) -> Path:
        return self.folder / CREDENTIALS_FILE

    @property
    def consumers(self) -> ConsumerRegistry:
        return ConsumerRegistry(self.folder / CONSUMERS_FILE)

    def secrets(self) -> StackSecrets:
        return load_or_create_secrets(self.secrets_path)

    def render_nats(self) -> str:
        return render_authorization(self.secrets().nats, self.consumers.passwords())

    def nats_url_as(self, url: str, identity: str = ADMIN) -> str:
        """`url` carrying `identity`'s credentials: for test code and local tools only,
        never printed or written to stack.json. A cluster's comma list: each URL."""
        password = self.secrets().nats_password(identity)
        return ",".join(with_userinfo(one.strip(), identity, password) for one in url.split(","))

    def redis_url(self, url: str) -> str:
        return with_userinfo(url, "", self.secrets().redis)


def with_userinfo(url: str, user: str, password: str) -> str:
    parts = urlsplit(url)
    host = parts.netloc.rpartition("@")[2]
    netloc = f"{quote(user, safe='')}:{quote(password, safe='')}@{host}"
    return urlunsplit(parts._replace(netloc=netloc))


def without_userinfo(url: str) -> str:
    """`url` safe to print: any user:password removed."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))
