"""Async TradingView WebSocket client: frame codec, history, live quotes."""

from .auth_tokens import AuthTokens
from .client import TradingViewClient
from .errors import (
    ConnectionLost,
    CriticalError,
    FrameError,
    NoData,
    ProtocolRejected,
    RateLimited,
    RequestTimeout,
    SeriesRejected,
    SignInChallenge,
    SignInError,
    SignInRejected,
    SignInUnavailable,
    SymbolNotFound,
    TradingViewError,
)
from .framing import Heartbeat, Packet, decode_message, encode_frame, encode_packet
from .history_request import HistoryRequest, HistoryResult
from .quote_stream import QuoteStream
from .quote_stream_options import QuoteStreamOptions
from .settings import TradingViewSettings
from .stream_events import (
    QuotesDropped,
    StreamEvent,
    StreamStatus,
    SymbolRejected,
    SymbolStatus,
)
from .symbol_meta import SymbolMeta

__all__ = [
    "AuthTokens",
    "ConnectionLost",
    "CriticalError",
    "FrameError",
    "Heartbeat",
    "HistoryRequest",
    "HistoryResult",
    "NoData",
    "Packet",
    "ProtocolRejected",
    "QuoteStream",
    "QuoteStreamOptions",
    "QuotesDropped",
    "RateLimited",
    "RequestTimeout",
    "SeriesRejected",
    "SignInChallenge",
    "SignInError",
    "SignInRejected",
    "SignInUnavailable",
    "StreamEvent",
    "StreamStatus",
    "SymbolMeta",
    "SymbolNotFound",
    "SymbolRejected",
    "SymbolStatus",
    "TradingViewClient",
    "TradingViewError",
    "TradingViewSettings",
    "decode_message",
    "encode_frame",
    "encode_packet",
]
