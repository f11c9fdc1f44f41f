"""Reading a KV bucket's current entries through a short-lived watcher, without leaving
its consumer behind.

A watcher is an ordered consumer on the server. nats-py's `stop()` only unsubscribes, and
the default inactivity threshold is 5 minutes: a listing every few seconds (a lease
round, a scheduler tick, a status page) would pile up hundreds of idle consumers. Every
listing here deletes its consumer when done, with a short threshold as the backstop
should the delete be lost.
"""

from __future__ import annotations

import asyncio
import contextlib

from nats.js.kv import KeyValue

LISTING_CONSUMER_INACTIVE_S = 5.0


async def live_entries(
    kv: KeyValue, timeout_s: float, keys: str = ">", *, meta_only: bool = False
) -> list[KeyValue.Entry]:
    """Every live (not deleted) entry matching `keys` (the initial values only)."""
    watcher = await kv.watch(
        keys,
        ignore_deletes=True,
        meta_only=meta_only,
        inactive_threshold=LISTING_CONSUMER_INACTIVE_S,
    )
    entries: list[KeyValue.Entry] = []
    try:
        async with asyncio.timeout(timeout_s):
            async for entry in watcher:
                if entry is None:  # the watcher's "initial values delivered" marker
                    break
                entries.append(entry)
    finally:
        await close_watcher(kv, watcher)
    return entries


async def close_watcher(kv: KeyValue, watcher: KeyValue.KeyWatcher) -> None:
    """Unsubscribe and delete the watcher's consumer (best effort)."""
    await watcher.stop()  # type: ignore[no-untyped-call]  # untyped in nats-py
    # nats-py exposes neither the stream nor the consumer name of a watcher publicly.
    name = getattr(watcher._sub, "_consumer", None)
    if not name:
        return
    with contextlib.suppress(Exception):  # the inactivity threshold backs it up
        await kv._js.delete_consumer(kv._stream, name)
