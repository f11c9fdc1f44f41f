"""The times inside a JWT, read without verifying it (the server verifies; we only need to
know when to sign in again). Standard library only."""

from __future__ import annotations

import base64
import binascii
import json
from dataclasses import dataclass
from typing import TypeGuard


@dataclass(frozen=True, slots=True)
class TokenTimes:
    issued_at: float | None  # `iat`, epoch s
    expires_at: float  # `exp`, epoch s

    @classmethod
    def of(cls, token: str) -> TokenTimes | None:
        """None when `token` is not a JWT with a numeric `exp` (it then never expires here)."""
        parts = token.split(".")
        if len(parts) != 3:
            return None
        try:
            claims = json.loads(base64.urlsafe_b64decode(parts[1] + "=" * (-len(parts[1]) % 4)))
        except (binascii.Error, ValueError):
            return None
        if not isinstance(claims, dict):
            return None
        exp, iat = claims.get("exp"), claims.get("iat")
        if not _number(exp):
            return None
        return cls(float(iat) if _number(iat) else None, float(exp))

    def refresh_at(self, margin_s: float) -> float:
        """When to sign in again: `margin_s` before expiry, or a quarter of the lifetime
        before it when the lifetime is short (a test server's minute-long tokens)."""
        lifetime = self.expires_at - self.issued_at if self.issued_at is not None else None
        if lifetime is not None and lifetime > 0:
            margin_s = min(margin_s, lifetime / 4)
        return self.expires_at - margin_s


def _number(value: object) -> TypeGuard[int | float]:
    return isinstance(value, int | float) and not isinstance(value, bool)
