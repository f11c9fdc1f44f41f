"""The token each connection sends in `set_auth_token`.

Without a username it is `PQ_TRADINGVIEW_TOKEN` (anonymous by default), as before. With one,
it is the account's token from signing in: kept until shortly before its JWT `exp`, then
renewed; dropped when the server calls it a bad auth token, so the next use signs in again.
A refused sign-in (wrong password, captcha, second factor) is remembered for
`signin_failure_hold_s` and raised again at once meanwhile: no sign-in loop, whatever the
callers do. An unreachable sign-in page is held for a few seconds only.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable

import aiohttp
from pydantic import SecretStr

from .errors import SignInError, SignInRejected, SignInUnavailable
from .jwt_claims import TokenTimes
from .settings import TradingViewSettings
from .signin import sign_in

log = logging.getLogger(__name__)

UNAVAILABLE_HOLD_S = 10.0


class AuthTokens:
    def __init__(
        self, settings: TradingViewSettings, http: Callable[[], aiohttp.ClientSession]
    ) -> None:
        self._settings = settings
        self._http = http
        self._lock = asyncio.Lock()
        self._token: SecretStr | None = None
        self._refused_in_a_row = 0  # tokens refused with no use of one in between
        self._refresh_at = math.inf
        self._expires_at = math.inf
        self._failure: SignInError | None = None
        self._failure_until = 0.0
        self.sign_ins = 0  # successful ones

    @property
    def signs_in(self) -> bool:
        return self._settings.signs_in

    async def token(self) -> str:
        """The token to send now; signs in when there is none or it is due for renewal."""
        if not self.signs_in:
            return self._settings.token.get_secret_value()
        async with self._lock:  # concurrent requests share one sign-in
            if self._token is not None and time.time() < self._refresh_at:
                return self._token.get_secret_value()
            try:
                return await self._sign_in()
            except SignInError:
                if self._token is not None and time.time() < self._expires_at:
                    return self._token.get_secret_value()  # renewal failed: it still works
                raise

    def seconds_until_refresh(self) -> float | None:
        """None when no renewal is planned (a fixed token, or none yet)."""
        if not self.signs_in or self._token is None or self._refresh_at == math.inf:
            return None
        # a renewal that failed waits out its hold, however close the expiry
        return max(0.0, self._refresh_at - time.time(), self.retry_in())

    def refresh_due(self) -> bool:
        return self.seconds_until_refresh() == 0.0

    def invalidate(self, token: str) -> None:
        """The server refused `token` (expired, revoked): the next `token()` signs in again.
        A fresh token refused before any was used means the account cannot connect at all:
        that is held as a failure, like a wrong password."""
        if self._token is None or self._token.get_secret_value() != token:
            return
        self._token = None
        self._refused_in_a_row += 1
        if self._refused_in_a_row >= 2:
            user = self._settings.username
            failure = SignInRejected(
                f"TradingView sign-in as {user!r} gives tokens the server refuses"
            )
            self._hold(failure, self._settings.signin_failure_hold_s)

    def worked(self, token: str) -> None:
        """`token` served a request: a later refusal is an expiry, not a useless account."""
        if self._token is not None and self._token.get_secret_value() == token:
            self._refused_in_a_row = 0

    def retry_in(self) -> float:
        """Seconds until a held sign-in failure may be retried (0: none held)."""
        return max(0.0, self._failure_until - time.time()) if self._failure else 0.0

    async def _sign_in(self) -> str:
        if self._failure is not None and time.time() < self._failure_until:
            raise type(self._failure)(str(self._failure))
        s = self._settings
        if not s.username or s.password is None:
            raise SignInRejected("TradingView sign-in needs both a username and a password")
        started = time.monotonic()
        try:
            token = await sign_in(
                self._http(),
                s.signin_base_url(),
                s.username,
                s.password,
                timeout_s=s.signin_timeout_s,
            )
        except SignInUnavailable as exc:
            self._hold(exc, UNAVAILABLE_HOLD_S)
            raise
        except SignInError as exc:
            self._hold(exc, s.signin_failure_hold_s)
            raise
        now = time.time()
        times = TokenTimes.of(token.get_secret_value())
        self._token, self._failure = token, None
        self._refresh_at = times.refresh_at(s.signin_refresh_margin_s) if times else math.inf
        self._expires_at = times.expires_at if times else math.inf
        self.sign_ins += 1
        log.info(
            "signed in to TradingView as %r in %.0f ms; renewing in %.0f s",
            s.username,
            (time.monotonic() - started) * 1000,
            self._refresh_at - now,
        )
        return token.get_secret_value()

    def _hold(self, failure: SignInError, seconds: float) -> None:
        self._failure, self._failure_until = failure, time.time() + seconds
        log.warning("%s; not trying again for %.0f s", failure, seconds)
