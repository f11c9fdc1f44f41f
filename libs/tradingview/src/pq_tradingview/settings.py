"""Where the client connects, and as whom (`PQ_TRADINGVIEW_*`)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

ANONYMOUS_TOKEN = "unauthorized_user_token"
SIMULATOR_URL = "ws://127.0.0.1:18765/socket.io/websocket"
TRADINGVIEW_WEB_URL = "https://www.tradingview.com"


class TradingViewSettings(BaseSettings):
    """Defaults point at the local simulator with the anonymous token.

    With `username` and `password` the client signs in (POST {web_url}/accounts/signin/)
    and uses the account's token instead of `token`, signing in again before it expires.
    """

    model_config = SettingsConfigDict(env_prefix="PQ_TRADINGVIEW_", frozen=True)

    url: str = SIMULATOR_URL
    token: SecretStr = SecretStr(ANONYMOUS_TOKEN)
    username: str | None = None
    password: SecretStr | None = None
    web_url: str = ""  # empty: www.tradingview.com for TradingView, else the WebSocket's host
    signin_timeout_s: float = 15.0
    signin_refresh_margin_s: float = 600.0  # sign in again this long before the token expires
    signin_failure_hold_s: float = 900.0  # a refused sign-in is not tried again for this long
    origin: str = "https://www.tradingview.com"
    connect_timeout_s: float = 10.0
    request_timeout_s: float = 30.0  # per history round (create_series / request_more_data)
    max_connect_attempts: int = 4  # per history request, 429 and dropped connections included
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 30.0

    @property
    def signs_in(self) -> bool:
        return bool(self.username) and self.password is not None

    def signin_base_url(self) -> str:
        """`web_url`, or where the WebSocket's host serves sign-in (the simulator: itself)."""
        if self.web_url:
            return self.web_url.rstrip("/")
        parts = urlsplit(self.url)
        if (parts.hostname or "").endswith("tradingview.com"):
            return TRADINGVIEW_WEB_URL
        scheme = "https" if parts.scheme == "wss" else "http"
        return f"{scheme}://{parts.netloc}"


class TradingViewAccess(BaseSettings):
    """Where a service reaches TradingView and as whom (`PQ_TRADINGVIEW_URL`, `_TOKEN`,
    `_USERNAME`, `_PASSWORD`, `_WEB_URL`): a base of each service's settings class."""

    model_config = SettingsConfigDict(env_prefix="PQ_", extra="ignore")

    tradingview_url: str = SIMULATOR_URL
    tradingview_token: SecretStr = SecretStr(ANONYMOUS_TOKEN)
    # Both set: sign in (POST {web url}/accounts/signin/) and use the account's token.
    tradingview_username: str | None = None
    tradingview_password: SecretStr | None = None
    tradingview_web_url: str = ""  # empty: derived from PQ_TRADINGVIEW_URL (the simulator: itself)

    def tradingview_access(self) -> dict[str, Any]:
        """The TradingViewSettings fields these give, for the service to add its own to."""
        return {
            "url": self.tradingview_url,
            "token": self.tradingview_token,
            "username": self.tradingview_username,
            "password": self.tradingview_password,
            "web_url": self.tradingview_web_url,
        }
