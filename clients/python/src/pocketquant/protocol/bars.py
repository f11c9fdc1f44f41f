"""GET /v1/bars: coverage, the bulk (Arrow) export, and JSON pages when the gateway has
no export (an older gateway ignores Accept and answers JSON; a newer one may say 406)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..frames import ArrowStream, BarColumns, BarData
from ..times import parse_ms, rfc3339
from .api import Api, symbol_path
from .steps import Flow, error_for, json_body, send, send_raw

ARROW_STREAM = "application/vnd.apache.arrow.stream"
PAGE_LIMIT = 10_000  # the gateway's largest page
COVERAGE_HEADER = "pq-coverage"

SyncMode = Literal["auto", "never", "always"]


@dataclass(frozen=True)
class BarsQuery:
    symbol: str
    interval: str
    start_ms: int | None = None
    end_ms: int | None = None
    limit: int | None = None  # None: every bar of the range

    def params(self, limit: int | None = None) -> dict[str, Any]:
        return {
            "symbol": self.symbol,
            "interval": self.interval,
            "start": None if self.start_ms is None else rfc3339(self.start_ms),
            "end": None if self.end_ms is None else rfc3339(self.end_ms),
            "limit": limit,
        }


def covered_range(api: Api, query: BarsQuery) -> Flow[tuple[int, int] | None]:
    """(first, last) bar open times the read model holds, or None when it holds none.

    Read from the bars answer (`coverage` field, `Pq-Coverage` header); a gateway that
    sends neither is asked GET /v1/symbols/{symbol}, which lists covered ranges."""
    response = yield from send(api.request("GET", "/v1/bars", params=query.params(1)), api.policy)
    body = json_body(response)
    if "coverage" in body:
        raw = body["coverage"]
        if not isinstance(raw, dict) or not raw.get("start") or not raw.get("end"):
            return None
        return parse_ms(str(raw["start"])), parse_ms(str(raw["end"]))
    header = response.headers.get(COVERAGE_HEADER)
    if header and "/" in header:
        first, _, last = header.partition("/")
        return parse_ms(first), parse_ms(last)
    path = f"/v1/symbols/{symbol_path(query.symbol)}"
    answer = yield from send_raw(api.request("GET", path), api.policy)
    if answer.status_code == 404:
        return None
    if answer.status_code >= 400:
        raise error_for(answer)
    for entry in json_body(answer).get("intervals") or []:
        if entry.get("interval") == query.interval and entry.get("start") and entry.get("end"):
            return parse_ms(entry["start"]), parse_ms(entry["end"])
    return None


def fetch_bars(api: Api, query: BarsQuery, *, arrow: bool) -> Flow[BarData]:
    """Every bar of the query: through the Arrow export when `arrow` (and no `limit`),
    else (or when the gateway has no export) through JSON pages."""
    first_page: dict[str, Any] | None = None
    if arrow and query.limit is None:
        # The bare media type: an older gateway ignores it and answers JSON (read below).
        headers = {"Accept": ARROW_STREAM}
        # No `limit`: the export has none (a JSON answer is a first page of the default size).
        request = api.request("GET", "/v1/bars", params=query.params(), headers=headers)
        response = yield from send_raw(request, api.policy)
        media_type = response.headers.get("content-type", "").split(";")[0].strip()
        if response.status_code == 200 and media_type == ARROW_STREAM:
            return ArrowStream(response.content)
        if response.status_code == 200 and media_type.endswith("json"):
            first_page = json_body(response)
        elif response.status_code not in (406, 415):
            raise error_for(response)
    return (yield from json_pages(api, query, first_page))


def json_pages(api: Api, query: BarsQuery, first: dict[str, Any] | None) -> Flow[BarColumns]:
    columns = BarColumns()
    params = query.params()
    page = first
    while True:
        if page is None:
            remaining = None if query.limit is None else query.limit - len(columns)
            params["limit"] = PAGE_LIMIT if remaining is None else min(PAGE_LIMIT, remaining)
            request = api.request("GET", "/v1/bars", params=params)
            page = json_body((yield from send(request, api.policy)))
        columns.extend(page.get("bars") or [])
        cursor = page.get("next_cursor")
        if not cursor or (query.limit is not None and len(columns) >= query.limit):
            if query.limit is not None:
                columns.truncate(query.limit)
            return columns
        params["cursor"] = cursor
        page = None
