"""The stream's session across connections, as both clients drive it: the request's
timeouts, one decoder per connection, and what a failed connection attempt means."""

from __future__ import annotations

import httpx
import pytest

from pocketquant import BarEvent, ConnectionFailed
from pocketquant.protocol.api import Api
from pocketquant.protocol.sse import READ_TIMEOUT_S, StreamSession

BAR = (
    '{"symbol":"X:Y","interval":"1m","t":"2025-03-07T15:00:00Z",'
    '"o":1,"h":2,"l":0.5,"c":1.5,"v":3,"ticks":4,"revision":0}'
)


def session() -> StreamSession:
    return StreamSession(Api("http://gw.test", None), ["X:Y"], connect_timeout_s=4.0)


def test_the_request_waits_long_for_a_quiet_stream_but_not_to_connect() -> None:
    timeout = session().request().extensions["timeout"]
    assert timeout["connect"] == 4.0
    assert timeout["read"] == READ_TIMEOUT_S


def test_lines_become_events_and_a_new_connection_drops_a_half_read_message() -> None:
    s = session()
    s.opened()
    lines = ["id: 7", "event: bar.completed", f"data: {BAR}", ""]
    events = [s.on_line(line) for line in lines]
    assert events[:3] == [None, None, None]
    assert isinstance(events[3], BarEvent)
    assert events[3].id == "7"
    assert s.on_line("event: bar.completed") is None
    s.opened()  # the connection dropped mid-message: its half is forgotten
    assert s.on_line(f"data: {BAR}") is None
    assert s.on_line("") is None, "a message without its event line is of no known kind"
    again = [s.on_line(line) for line in ("event: bar.completed", f"data: {BAR}", "")]
    assert isinstance(again[2], BarEvent)
    assert again[2].id == "7", "the resume point carries over to the next connection"


def test_a_first_failed_attempt_raises_and_a_later_one_waits() -> None:
    s = session()
    request = s.request()
    refused = httpx.ConnectError("refused")
    with pytest.raises(ConnectionFailed, match="no answer from the gateway"):
        s.after_failure(request, refused)
    s.opened()
    assert s.after_failure(request, refused) == 0.5
    assert s.after_failure(request, refused) == 1.0
