"""A process's NATS identity and the connect options built from it (one place for all)."""

from __future__ import annotations

import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import SecretStr

_PLACEHOLDERS = frozenset({"", "changeme", "change-me", "password", "secret", "placeholder"})


@dataclass(frozen=True, slots=True)
class NatsIdentity:
    user: str | None = None
    password: SecretStr | None = None
    ca_file: Path | None = None

    @property
    def inbox_prefix(self) -> str | None:
        """Services reply on a private prefix their permissions reserve to them."""
        return f"_INBOX_{self.user}" if self.user else None

    def connect_options(self) -> dict[str, Any]:
        """Keyword arguments for nats.connect (credentials in a URL still work for tests)."""
        options: dict[str, Any] = {}
        if self.user is not None:
            options["user"] = self.user
            options["inbox_prefix"] = self.inbox_prefix
        if self.password is not None:
            options["password"] = self.password.get_secret_value()
        if self.ca_file is not None:
            options["tls"] = ssl.create_default_context(cafile=str(self.ca_file))
        return options


def production_problems(identity: NatsIdentity, redis_password: SecretStr | None) -> list[str]:
    """What makes a bus connection unfit for production (empty: fit)."""
    problems = []
    if not identity.user or identity.password is None:
        problems.append("PQ_NATS_USER/PQ_NATS_PASSWORD are not set")
    elif _is_placeholder(identity.password):
        problems.append("PQ_NATS_PASSWORD is a placeholder")
    if redis_password is None or _is_placeholder(redis_password):
        problems.append("PQ_REDIS_PASSWORD is not set or a placeholder")
    return problems


def _is_placeholder(secret: SecretStr) -> bool:
    text = secret.get_secret_value().strip().lower()
    return text in _PLACEHOLDERS or text.startswith("replace-") or len(set(text)) <= 2
