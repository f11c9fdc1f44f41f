"""Client -> server packets, built the way TradingView's own web client builds them."""

from __future__ import annotations

import json
import secrets
import string
from typing import Any

from .framing import encode_packet

_SESSION_ID_ALPHABET = string.ascii_letters + string.digits


def new_session_id(prefix: str) -> str:
    """`cs_` / `qs_` plus 12 random characters, as TradingView-API does."""
    return prefix + "".join(secrets.choice(_SESSION_ID_ALPHABET) for _ in range(12))


def is_for_session(params: list[Any], session_id: str) -> bool:
    """Whether a server packet's params (`[session_id, ...]`) concern `session_id`."""
    return bool(params) and params[0] == session_id


def set_auth_token(token: str) -> str:
    return encode_packet("set_auth_token", [token])


def chart_create_session(chart_session: str) -> str:
    return encode_packet("chart_create_session", [chart_session, ""])


def chart_delete_session(chart_session: str) -> str:
    return encode_packet("chart_delete_session", [chart_session])


def switch_timezone(chart_session: str, timezone: str) -> str:
    return encode_packet("switch_timezone", [chart_session, timezone])


def resolve_symbol(chart_session: str, symbol_id: str, symbol: str) -> str:
    spec = json.dumps({"symbol": symbol, "adjustment": "splits"}, separators=(",", ":"))
    return encode_packet("resolve_symbol", [chart_session, symbol_id, "=" + spec])


def create_series(
    chart_session: str, series_id: str, symbol_id: str, resolution: str, count: int | list[Any]
) -> str:
    """`count`: the newest n bars, or `["bar_count", to_ts, n]`: the n bars up to to_ts."""
    params: list[Any] = [chart_session, series_id, "s1", symbol_id, resolution, count, ""]
    return encode_packet("create_series", params)


def request_more_data(chart_session: str, series_id: str, count: int) -> str:
    return encode_packet("request_more_data", [chart_session, series_id, count])


def quote_create_session(quote_session: str) -> str:
    return encode_packet("quote_create_session", [quote_session])


def quote_set_fields(quote_session: str, fields: tuple[str, ...]) -> str:
    return encode_packet("quote_set_fields", [quote_session, *fields])


def quote_add_symbols(quote_session: str, symbols: list[str]) -> str:
    return encode_packet("quote_add_symbols", [quote_session, *symbols])


def quote_remove_symbols(quote_session: str, symbols: list[str]) -> str:
    return encode_packet("quote_remove_symbols", [quote_session, *symbols])
