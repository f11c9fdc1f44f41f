"""The open-loop schedule: request i is due at start + i / rate, whatever the responses do.

A closed loop (send, wait for the answer, send the next) slows down with the server and
hides exactly the stalls a load test is for ("coordinated omission"). Here send times come
from the timer alone, and each latency is measured from the request's due time, so time
a request spent waiting behind a stall (in the client or the server) is counted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

from .clock import Clock
from .plan import LoadPlan


@dataclass(frozen=True, slots=True)
class Slot:
    index: int
    due: float  # absolute, on the clock's scale
    lag_s: float  # how late the scheduler woke up for it


async def open_loop(plan: LoadPlan, clock: Clock, start: float) -> AsyncIterator[Slot]:
    """Yield each slot once it is due; a late wake-up never shifts the later slots."""
    for index in range(plan.total_requests):
        due = start + plan.due_at(index)
        await clock.sleep_until(due)
        yield Slot(index, due, max(clock.now() - due, 0.0))
