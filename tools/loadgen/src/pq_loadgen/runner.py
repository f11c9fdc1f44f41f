"""Drive a sender on the open-loop schedule and tally what came back."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

from .clock import Clock, LoopClock
from .mix import Request, RequestMix
from .plan import LoadPlan
from .results import RunResult
from .schedule import open_loop

Send = Callable[[Request], Awaitable[int]]  # the response's status code, or raises


class ClientBacklog(Exception):
    """More requests in flight than the plan allows: counted, not sent."""


async def run_load(
    plan: LoadPlan, mix: RequestMix, send: Send, *, clock: Clock | None = None
) -> RunResult:
    clock = clock or LoopClock()
    result = RunResult(target_rate_per_s=plan.rate_per_s)
    in_flight: set[asyncio.Task[None]] = set()

    async def one(request: Request, due: float) -> None:
        try:
            status = await send(request)
        except Exception as exc:  # every failure is a data point, never a crash of the run
            result.record_exception(exc)
            return
        result.record_response(status, clock.now() - due)

    start = clock.now()
    last_sent = start
    async for slot in open_loop(plan, clock, start):
        last_sent = clock.now()  # the real dispatch time: a client that falls behind shows
        result.max_schedule_lag_s = max(result.max_schedule_lag_s, slot.lag_s)
        request = mix.next_request()
        result.sent_by_kind[request.kind] += 1
        if len(in_flight) >= plan.max_in_flight:
            result.record_exception(ClientBacklog())
            continue
        result.sent += 1
        task = asyncio.create_task(one(request, slot.due))
        in_flight.add(task)
        task.add_done_callback(in_flight.discard)
    result.send_window_s = last_sent - start + plan.interval_s
    if in_flight:
        await asyncio.gather(*in_flight)
    result.elapsed_s = clock.now() - start
    return result
