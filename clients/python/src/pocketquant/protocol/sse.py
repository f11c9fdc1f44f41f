"""Server-Sent Events, sans I/O: the line decoder (WHATWG rules) and the reconnect state.

The gateway gives completed bars an `id:`; after a dropped connection the client asks
again with `Last-Event-ID`, and the gateway replays the completed bars it missed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx

from ..events import StreamEvent, typed_event
from ..transport import no_answer
from .api import Api
from .steps import RETRIED_STATUSES, error_for, retry_after

RECONNECT_FIRST_S = 0.5
RECONNECT_MAX_S = 10.0
MAX_REFUSALS = 5  # 429/503 answers in a row before the stream gives up
RETRY_AFTER_MAX_S = 60.0
READ_TIMEOUT_S = 60.0  # no byte for this long (the gateway sends heartbeats): a dead connection


@dataclass
class SseDecoder:
    """Feed it lines; it returns (event, data, id) when a blank line ends a message."""

    event: str = "message"
    data: list[str] = field(default_factory=list)
    last_id: str | None = None
    retry_ms: int | None = None

    def feed(self, line: str) -> tuple[str, str, str | None] | None:
        if not line:
            if not self.data:
                self.event = "message"
                return None
            message = (self.event, "\n".join(self.data), self.last_id)
            self.event, self.data = "message", []
            return message
        if line.startswith(":"):
            return None  # a comment: the heartbeat
        name, _, value = line.partition(":")
        value = value.removeprefix(" ")
        if name == "event":
            self.event = value
        elif name == "data":
            self.data.append(value)
        elif name == "id" and "\0" not in value:
            self.last_id = value
        elif name == "retry" and value.isdigit():
            self.retry_ms = int(value)
        return None


@dataclass
class StreamSession:
    """One logical stream across reconnects: what to ask for, where to resume from."""

    api: Api
    symbols: list[str]
    last_event_id: str | None = None
    failures: int = 0
    retry_ms: int | None = None
    connected: bool = False  # once: later drops are reconnected, a first failure raises
    jobs: bool = False  # also job.progress / job.done (gateways that send them)
    connect_timeout_s: float | None = None
    _decoder: SseDecoder | None = field(default=None, init=False, repr=False)

    def request(self) -> httpx.Request:
        headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
        if self.last_event_id:
            headers["Last-Event-ID"] = self.last_event_id
        params = {"symbols": ",".join(self.symbols), "jobs": "1" if self.jobs else None}
        request = self.api.request("GET", "/v1/stream/events", params=params, headers=headers)
        timeout = httpx.Timeout(self.connect_timeout_s, read=READ_TIMEOUT_S)
        request.extensions["timeout"] = timeout.as_dict()
        return request

    def decoder(self) -> SseDecoder:
        # Ids only come with completed bars; a quote must not reset where to resume.
        return SseDecoder(last_id=self.last_event_id)

    def on_message(
        self, decoder: SseDecoder, message: tuple[str, str, str | None]
    ) -> StreamEvent | None:
        kind, data, event_id = message
        self.failures = 0
        self.last_event_id = event_id
        self.retry_ms = decoder.retry_ms or self.retry_ms
        return typed_event(kind, data, event_id if kind == "bar.completed" else None)

    def opened(self) -> None:
        """A connection was answered: its lines go to `on_line` until it drops."""
        self.connected = True
        self._decoder = self.decoder()

    def on_line(self, line: str) -> StreamEvent | None:
        """The event a line of the open connection completes, if any."""
        assert self._decoder is not None, "opened() first"
        message = self._decoder.feed(line)
        return self.on_message(self._decoder, message) if message else None

    def after_failure(self, request: httpx.Request, exc: httpx.TransportError) -> float:
        """Seconds to wait before reconnecting after a failed connection attempt; the
        first attempt's failure raises ConnectionFailed (nothing to resume)."""
        if not self.connected:
            raise no_answer(request, exc) from exc
        return self.backoff_s()

    def after_refusal(self, response: httpx.Response) -> float:
        """Seconds to wait before asking again after a 429/503 (the body must be read);
        any other refusal raises its typed error."""
        if response.status_code not in RETRIED_STATUSES or self.failures >= MAX_REFUSALS:
            raise error_for(response)
        hint = retry_after(response)
        wait = self.backoff_s()
        return wait if hint is None else min(hint, RETRY_AFTER_MAX_S)

    def backoff_s(self) -> float:
        """How long to wait before reconnecting after a drop (grows while drops repeat)."""
        self.failures += 1
        hint = None if self.retry_ms is None else self.retry_ms / 1000
        base = hint if hint is not None else RECONNECT_FIRST_S
        return float(min(RECONNECT_MAX_S, base * 2 ** (self.failures - 1)))


def symbol_list(symbols: str | Iterable[str]) -> list[str]:
    items = [symbols] if isinstance(symbols, str) else list(symbols)
    parts = [p.strip() for item in items for p in item.split(",") if p.strip()]
    if not parts:
        raise ValueError("give at least one symbol, e.g. 'BINANCE:BTCUSDT'")
    return parts
