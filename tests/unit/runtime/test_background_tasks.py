"""Background tasks: a failure is surfaced, shutdown is ordered and bounded."""

from __future__ import annotations

import asyncio

import pytest

from pq_runtime.background import BackgroundTasks


async def _forever() -> None:
    await asyncio.Event().wait()


async def _boom() -> None:
    raise RuntimeError("store gone")


async def _ignores_cancel(ended: asyncio.Event) -> None:
    try:
        await asyncio.Event().wait()
    except asyncio.CancelledError:
        ended.set()
        raise


async def test_a_task_that_dies_is_reported_by_name() -> None:
    tasks = BackgroundTasks()
    tasks.start("relay", _forever())
    tasks.start("consumer", _boom())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    assert tasks.failures() == {"consumer": "RuntimeError: store gone"}
    await tasks.stop_all(timeout_s=1.0)
    assert tasks.names == []


async def test_stop_waits_for_a_task_that_ends_by_itself_then_cancels_the_rest() -> None:
    tasks = BackgroundTasks()
    done = asyncio.Event()

    async def finishing() -> str:
        await done.wait()
        return "finished"

    finisher = tasks.start("producer", finishing())
    stuck_ended = asyncio.Event()
    stuck = tasks.start("stuck", _ignores_cancel(stuck_ended))
    done.set()
    await tasks.stop("producer", timeout_s=1.0)
    assert finisher.result() == "finished"
    assert not stuck.done()  # untouched: not named
    await tasks.stop("stuck", timeout_s=0.05)
    assert stuck.cancelled()
    assert stuck_ended.is_set()
    assert tasks.failures() == {}


async def test_names_are_unique() -> None:
    tasks = BackgroundTasks()
    tasks.start("relay", _forever())
    with pytest.raises(ValueError, match="relay"):
        tasks.start("relay", _forever())
    await tasks.stop_all(timeout_s=1.0)
