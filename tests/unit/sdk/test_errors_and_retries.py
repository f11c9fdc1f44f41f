"""problem+json -> typed errors; which answers are retried, and after how long."""

from __future__ import annotations

import email.utils
import time

import httpx
import pytest

import pocketquant
from pocketquant.protocol.steps import RetryPolicy, Sleep, error_for, send

REQUEST = httpx.Request("GET", "http://gateway.test/v1/bars")


def answer(status: int, body: dict[str, object] | None = None, **headers: str) -> httpx.Response:
    media = {"content-type": "application/problem+json"} if body is not None else {}
    return httpx.Response(
        status, json=body, headers=media | {k.replace("_", "-"): v for k, v in headers.items()}
    )


def problem(status: int, **fields: object) -> dict[str, object]:
    return {"type": "about:blank", "title": "t", "status": status, "detail": "d"} | fields


@pytest.mark.parametrize(
    ("status", "kind"),
    [
        (401, pocketquant.Unauthorized),
        (403, pocketquant.Forbidden),
        (404, pocketquant.NotFound),
        (409, pocketquant.Conflict),
        (429, pocketquant.RateLimited),
        (500, pocketquant.ServerError),
        (503, pocketquant.Unavailable),
    ],
)
def test_each_status_has_its_error(status: int, kind: type[Exception]) -> None:
    error = error_for(answer(status, problem(status), x_correlation_id="c-1"))
    assert type(error) is kind
    assert isinstance(error, pocketquant.PocketQuantError)
    assert (error.status, error.detail, error.correlation_id) == (status, "d", "c-1")


def test_invalid_names_the_field() -> None:
    errors = [{"field": "query.symbol", "message": "must be EXCHANGE:CODE"}]
    error = error_for(answer(422, problem(422, errors=errors)))
    assert isinstance(error, pocketquant.Invalid)
    assert error.field == "query.symbol"
    assert error.errors == errors


def test_rate_limited_carries_retry_after_in_seconds() -> None:
    error = error_for(answer(429, problem(429), retry_after="7"))
    assert isinstance(error, pocketquant.RateLimited)
    assert error.retry_after == 7.0


def test_a_non_json_error_still_has_its_type() -> None:
    error = error_for(httpx.Response(502, text="<html>bad gateway</html>"))
    assert isinstance(error, pocketquant.ServerError)
    assert error.detail == "HTTP 502"


def drive(flow, responses: list[httpx.Response]) -> tuple[object, list[float]]:  # type: ignore[no-untyped-def]
    """Run a flow against canned answers; returns its result and the sleeps it asked for."""
    sleeps: list[float] = []
    reply = None
    try:
        while True:
            step = flow.send(reply)
            if isinstance(step, Sleep):
                sleeps.append(step.seconds)
                reply = None
            else:
                reply = responses.pop(0)
    except StopIteration as done:
        return done.value, sleeps


def test_429_and_503_are_retried_after_retry_after() -> None:
    date = email.utils.formatdate(time.time() + 5, usegmt=True)
    answers = [
        answer(429, problem(429), retry_after="2"),
        answer(503, problem(503), retry_after=date),
        httpx.Response(200, json={"ok": True}),
    ]
    response, sleeps = drive(send(REQUEST, RetryPolicy()), answers)
    assert isinstance(response, httpx.Response)
    assert response.status_code == 200
    assert sleeps[0] == 2.0
    assert 3.0 < sleeps[1] <= 5.0


def test_retries_are_bounded() -> None:
    answers = [answer(503, problem(503)) for _ in range(3)]
    with pytest.raises(pocketquant.Unavailable):
        drive(send(REQUEST, RetryPolicy(max_retries=2, backoff_s=0.1)), answers)


def test_a_retry_after_beyond_the_bound_is_not_waited_for() -> None:
    with pytest.raises(pocketquant.RateLimited) as raised:
        drive(
            send(REQUEST, RetryPolicy(max_wait_s=30)),
            [answer(429, problem(429), retry_after="600")],
        )
    assert raised.value.retry_after == 600.0


def test_other_errors_are_not_retried() -> None:
    with pytest.raises(pocketquant.NotFound):
        drive(send(REQUEST, RetryPolicy()), [answer(404, problem(404))])
