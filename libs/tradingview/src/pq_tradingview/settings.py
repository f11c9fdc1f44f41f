"""Where the client connects and with which token (`PQ_TRADINGVIEW_*`)."""

from __future__ import annotations

from pydantic_settings import BaseSettings, SettingsConfigDict

ANONYMOUS_TOKEN = "unauthorized_user_token"
SIMULATOR_URL = "ws://127.0.0.1:18765/socket.io/websocket"


class TradingViewSettings(BaseSettings):
    """Defaults point at the local simulator with the anonymous token."""

    model_config = SettingsConfigDict(env_prefix="PQ_TRADINGVIEW_", frozen=True)

    url: str = SIMULATOR_URL
    token: str = ANONYMOUS_TOKEN
    origin: str = "https://www.tradingview.com"
    connect_timeout_s: float = 10.0
    request_timeout_s: float = 30.0  # per history round (create_series / request_more_data)
    max_connect_attempts: int = 4  # per history request, 429 and dropped connections included
    backoff_initial_s: float = 1.0
    backoff_max_s: float = 30.0
