"""The SSE decoder (WHATWG rules) and where a dropped stream resumes from."""

from __future__ import annotations

from datetime import UTC, datetime

from pocketquant import BarEvent, JobEvent, QuoteEvent
from pocketquant.protocol.api import Api
from pocketquant.protocol.sse import SseDecoder, StreamSession

QUOTE = '{"symbol":"BINANCE:BTCUSDT","price":97000.5,"volume":12.0,"ts":"2025-03-07T15:00:00Z"}'
BAR = (
    '{"symbol":"BINANCE:BTCUSDT","interval":"1m","t":"2025-03-07T15:00:00Z",'
    '"o":1,"h":2,"l":0.5,"c":1.5,"v":3,"ticks":4,"revision":0}'
)


def feed(session: StreamSession, decoder: SseDecoder, text: str) -> list[object]:
    events: list[object] = []
    for line in text.split("\n"):
        message = decoder.feed(line)
        if message:
            events.append(session.on_message(decoder, message))
    return events


def test_events_are_typed_and_completed_bars_set_the_resume_point() -> None:
    session = StreamSession(Api("http://gw.test", "k"), ["BINANCE:BTCUSDT"])
    decoder = session.decoder()
    text = (
        f": heartbeat\n\nevent: quote\ndata: {QUOTE}\n\n"
        f"id: 41\nevent: bar.completed\ndata: {BAR}\n\n"
        f"event: quote\ndata: {QUOTE}\n\nevent: bar.provisional\ndata: {BAR}\n\n"
    )
    quote, completed, _again, provisional = feed(session, decoder, text)
    assert isinstance(quote, QuoteEvent)
    assert quote.quote.price == 97000.5
    assert isinstance(completed, BarEvent)
    assert not completed.provisional
    assert completed.id == "41"
    assert completed.time == datetime(2025, 3, 7, 15, tzinfo=UTC)
    assert isinstance(provisional, BarEvent)
    assert provisional.provisional
    assert provisional.id is None, "only completed bars carry the stream position"
    assert session.last_event_id == "41", "a quote after the bar must not reset it"
    assert session.request().headers["Last-Event-ID"] == "41"


def test_job_events_are_asked_for_and_typed() -> None:
    session = StreamSession(Api("http://gw.test", None), ["X:Y"], jobs=True)
    assert session.request().url.params["jobs"] == "1"
    assert "jobs" not in StreamSession(Api("http://gw.test", None), ["X:Y"]).request().url.params
    job = '{"job_id":"j1","status":"running","progress":{"bars_fetched":10,"bars_written":5}}'
    event = session.on_message(session.decoder(), ("job.progress", job, None))
    assert isinstance(event, JobEvent)
    assert not event.done
    assert event.job.progress is not None
    assert event.job.progress.bars_written == 5


def test_a_multi_line_data_field_is_joined_and_unknown_events_are_skipped() -> None:
    session = StreamSession(Api("http://gw.test", None), ["X:Y"])
    decoder = session.decoder()
    assert decoder.feed("event: something.new") is None
    assert decoder.feed("data: {") is None
    assert decoder.feed('data: "a": 1}') is None
    assert decoder.feed("") == ("something.new", '{\n"a": 1}', None)
    assert session.on_message(decoder, ("something.new", "{}", None)) is None


def test_reconnect_backoff_grows_and_honours_the_retry_hint() -> None:
    session = StreamSession(Api("http://gw.test", None), ["X:Y"])
    assert [session.backoff_s() for _ in range(3)] == [0.5, 1.0, 2.0]
    decoder = session.decoder()
    decoder.feed("retry: 3000")
    session.on_message(decoder, ("quote", QUOTE, None))
    assert session.backoff_s() == 3.0
