"""The simulator's TradingView accounts and the auth tokens it signs for them.

`PQ_TVSIM_USERS` adds accounts: `name:password[:challenge],...`, where the optional
challenge is `captcha` or `2fa` (the sign-in then asks for it, as TradingView does for
a suspicious or second-factor account, and never hands out a token). `demo`/`demo` is
always there. Tokens are JWTs (HS256 with a key made at start-up) that expire
`token_ttl_s` after they are issued; a forged, revoked or expired one is a bad auth token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any, Literal

Challenge = Literal["captcha", "2fa"]
CHALLENGES: tuple[Challenge, ...] = ("captcha", "2fa")


@dataclass(frozen=True, slots=True)
class Account:
    password: str = field(repr=False)
    challenge: Challenge | None = None


def default_accounts() -> dict[str, Account]:
    return {"demo": Account("demo")}


def parse_accounts(text: str) -> dict[str, Account]:
    """`alice:s3cret,bob:pw:2fa,carol:pw:captcha` (ValueError naming the bad entry)."""
    accounts: dict[str, Account] = {}
    for entry in filter(None, (e.strip() for e in text.split(","))):
        name, sep, rest = entry.partition(":")
        password, _, challenge = rest.partition(":")
        if not name or not sep or not password:
            raise ValueError(f"PQ_TVSIM_USERS: {name or entry[:1] + '...'!r} needs name:password")
        demanded = next((c for c in CHALLENGES if c == challenge), None)
        if challenge and demanded is None:
            raise ValueError(f"PQ_TVSIM_USERS: {name}: challenge must be one of {CHALLENGES}")
        accounts[name] = Account(password, demanded)
    return accounts


class TokenIssuer:
    """Signs and checks auth tokens; counts sign-ins and the bad tokens it turned away."""

    def __init__(self, ttl_s: float) -> None:
        self.ttl_s = ttl_s
        self._key = secrets.token_bytes(32)
        self.issued = 0
        self.bad_tokens = 0

    def issue(self, username: str) -> str:
        now = int(time.time())
        claims = {
            "user_id": int.from_bytes(hashlib.blake2b(username.encode(), digest_size=4).digest()),
            "exp": now + max(1, round(self.ttl_s)),
            "iat": now,
            "plan": "pro_premium",
            "ext_hours": 1,
            "max_connections": 50,
            "max_studies": 25,
        }
        self.issued += 1
        return self._sign(claims)

    def expires_at(self, token: str) -> float | None:
        """The token's expiry (epoch s) if this simulator signed it and it is still valid."""
        head, _, signature = token.rpartition(".")
        expected = _b64(hmac.new(self._key, head.encode(), hashlib.sha256).digest())
        if not head or not hmac.compare_digest(signature, expected):
            return None
        try:
            claims = json.loads(base64.urlsafe_b64decode(_padded(head.partition(".")[2])))
            exp = float(claims["exp"])
        except (ValueError, KeyError, TypeError):
            return None
        return exp if exp > time.time() else None

    def revoke_all(self) -> None:
        """Every token issued so far becomes a bad auth token (a new signing key)."""
        self._key = secrets.token_bytes(32)

    def _sign(self, claims: dict[str, Any]) -> str:
        header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        body = _b64(json.dumps(claims, separators=(",", ":")).encode())
        head = f"{header}.{body}"
        return f"{head}.{_b64(hmac.new(self._key, head.encode(), hashlib.sha256).digest())}"


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _padded(text: str) -> str:
    return text + "=" * (-len(text) % 4)
