"""Quotes, symbols and the live watchlist."""

from __future__ import annotations

from ..models import Quote, Subscription, SymbolInfo
from .api import Api, symbol_path
from .steps import Flow, json_body, send

WATCHLIST = "/v1/stream/subscriptions"


def get_quote(api: Api, symbol: str) -> Flow[Quote]:
    request = api.request("GET", f"/v1/quotes/{symbol_path(symbol)}")
    return Quote.from_json(json_body((yield from send(request, api.policy))))


def list_symbols(api: Api) -> Flow[list[SymbolInfo]]:
    body = json_body((yield from send(api.request("GET", "/v1/symbols"), api.policy)))
    return [SymbolInfo.from_json(raw) for raw in body.get("symbols") or []]


def watch(api: Api, symbol: str) -> Flow[Subscription]:
    request = api.request("PUT", f"{WATCHLIST}/{symbol_path(symbol)}")
    return Subscription.from_json(json_body((yield from send(request, api.policy))))


def unwatch(api: Api, symbol: str) -> Flow[None]:
    yield from send(api.request("DELETE", f"{WATCHLIST}/{symbol_path(symbol)}"), api.policy)


def watchlist(api: Api) -> Flow[list[Subscription]]:
    body = json_body((yield from send(api.request("GET", WATCHLIST), api.policy)))
    return [Subscription.from_json(raw) for raw in body.get("subscriptions") or []]
