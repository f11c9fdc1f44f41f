"""The two drivers of the sans-I/O flows (protocol/steps.py): blocking and asyncio."""

from __future__ import annotations

import asyncio
import time

import httpx

from .errors import ConnectionFailed
from .protocol.steps import Flow, Sleep, T


def run_flow(http: httpx.Client, flow: Flow[T]) -> T:
    reply: httpx.Response | None = None
    try:
        while True:
            step = flow.send(reply)
            if isinstance(step, Sleep):
                time.sleep(step.seconds)
                reply = None
            else:
                try:
                    reply = http.send(step)
                except httpx.TransportError as exc:
                    raise no_answer(step, exc) from exc
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]


async def run_flow_async(http: httpx.AsyncClient, flow: Flow[T]) -> T:
    reply: httpx.Response | None = None
    try:
        while True:
            step = flow.send(reply)
            if isinstance(step, Sleep):
                await asyncio.sleep(step.seconds)
                reply = None
            else:
                try:
                    reply = await http.send(step)
                except httpx.TransportError as exc:
                    raise no_answer(step, exc) from exc
    except StopIteration as finished:
        return finished.value  # type: ignore[no-any-return]


def no_answer(request: httpx.Request, exc: httpx.TransportError) -> ConnectionFailed:
    base = f"{request.url.scheme}://{request.url.netloc.decode()}"
    reason = str(exc) or type(exc).__name__
    return ConnectionFailed(
        f"no answer from the gateway at {base} ({reason}); is the stack running "
        "(`make up`), or PQ_URL set to the right address?"
    )
