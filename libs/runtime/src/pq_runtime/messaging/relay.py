"""The outbox relay: pending rows -> JetStream with `Nats-Msg-Id` = event id.

One batch at a time per relay instance: claim up to `batch_size` rows with a lease,
publish them all pipelined (publish_async, in seq order, so per-key order holds on the
wire), await the acks together, mark the acked rows sent, release the others. Several
instances share a store safely: a partition key leased by one is skipped by the others.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import time
import uuid
from dataclasses import dataclass

import structlog
from nats.aio.client import Client
from nats.js.api import PubAck

from ..stores.records import OutboxRow, OutboxStats, SentMark
from ..telemetry.metrics import RuntimeMetrics
from ..telemetry.outbox_spans import OutboxPublishSpans
from .outbox_port import OutboxSource

log = structlog.get_logger(__name__)


@dataclass(frozen=True, slots=True)
class RelaySettings:
    batch_size: int = 1000
    lease_s: float = 30.0
    poll_interval_s: float = 1.0
    ack_timeout_s: float = 5.0
    retention_s: float = 24 * 3600.0
    housekeeping_interval_s: float = 60.0
    stats_interval_s: float = 1.0
    backoff_initial_s: float = 0.1
    backoff_max_s: float = 5.0


def default_owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class OutboxRelay:
    def __init__(
        self,
        nc: Client,
        outbox: OutboxSource,
        settings: RelaySettings | None = None,
        *,
        owner: str | None = None,
        metrics: RuntimeMetrics | None = None,
    ) -> None:
        self._nc = nc
        self._js = nc.jetstream(publish_async_max_pending=100_000)
        self._outbox = outbox
        self.settings = settings or RelaySettings()
        self.owner = owner or default_owner()
        self._metrics = metrics
        self._stop = asyncio.Event()
        self.published = 0

    def stop(self) -> None:
        """Finish the batch in flight, then return from `run`."""
        self._stop.set()

    async def lag(self) -> OutboxStats:
        return await self._outbox.stats()

    async def run(self) -> None:
        s = self.settings
        backoff = s.backoff_initial_s
        next_stats = next_housekeeping = 0.0
        while not self._stop.is_set():
            now = time.monotonic()
            if now >= next_stats:
                next_stats = now + s.stats_interval_s
                await self._report_lag()
            if now >= next_housekeeping:
                next_housekeeping = now + s.housekeeping_interval_s
                await self._outbox.purge_sent(time.time() - s.retention_s)
            if not self._nc.is_connected:
                await self._sleep(backoff)
                backoff = min(backoff * 2, s.backoff_max_s)
                continue
            try:
                sent, failed = await self.publish_batch()
            except Exception as exc:  # store or connection trouble: back off, retry
                log.warning("relay.batch_failed", error=repr(exc))
                sent, failed = 0, 1
            if failed:
                await self._sleep(backoff)
                backoff = min(backoff * 2, s.backoff_max_s)
            elif sent >= s.batch_size:
                backoff = s.backoff_initial_s
            else:
                backoff = s.backoff_initial_s
                if sent == 0:
                    await self._wait_for_work()

    async def publish_batch(self) -> tuple[int, int]:
        """Claim, publish and settle one batch; (rows sent, rows failed)."""
        rows = await self._outbox.claim(self.owner, self.settings.batch_size, self.settings.lease_s)
        if not rows:
            return 0, 0
        spans = OutboxPublishSpans([row.envelope for row in rows])
        acks: list[PubAck | BaseException] = []
        try:
            acks = await self._publish(rows, spans.headers)
        finally:
            spans.end([isinstance(ack, PubAck) for ack in acks])
        marks = [
            SentMark(row.seq, ack.stream, ack.seq)
            for row, ack in zip(rows, acks, strict=True)
            if isinstance(ack, PubAck)
        ]
        failed = [r.seq for r, ack in zip(rows, acks, strict=True) if not isinstance(ack, PubAck)]
        if marks:
            await self._outbox.mark_sent(marks)
        if failed:
            await self._outbox.release(self.owner, failed)
            if self._metrics:
                self._metrics.outbox_publish_errors.labels(self._outbox.name).inc(len(failed))
            log.warning("relay.publish_failed", failed=len(failed), sent=len(marks))
        self.published += len(marks)
        if self._metrics:
            self._metrics.outbox_published.labels(self._outbox.name).inc(len(marks))
        return len(marks), len(failed)

    async def _publish(
        self, rows: list[OutboxRow], headers: list[dict[str, str]]
    ) -> list[PubAck | BaseException]:
        futures: list[asyncio.Future[PubAck]] = []
        try:
            for row, row_headers in zip(rows, headers, strict=True):
                env = row.envelope
                futures.append(
                    await self._js.publish_async(env.subject, env.payload, headers=row_headers)
                )
        except Exception as exc:
            log.warning("relay.publish_error", error=repr(exc))
        if futures:
            await asyncio.wait(futures, timeout=self.settings.ack_timeout_s)
        results: list[PubAck | BaseException] = []
        for i in range(len(rows)):
            fut = futures[i] if i < len(futures) else None
            if fut is None:
                results.append(ConnectionError("not published"))
            elif not fut.done():
                fut.cancel()
                results.append(TimeoutError("no publish ack"))
            elif fut.cancelled():
                results.append(TimeoutError("publish cancelled"))
            else:
                error = fut.exception()
                results.append(error if error is not None else fut.result())
        return results

    async def _report_lag(self) -> None:
        if self._metrics is None:
            return
        with contextlib.suppress(Exception):
            st = await self._outbox.stats()
            self._metrics.outbox_pending.labels(self._outbox.name).set(st.pending)
            self._metrics.outbox_oldest_age.labels(self._outbox.name).set(st.oldest_age_s)

    async def _sleep(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._stop.wait(), seconds)

    async def _wait_for_work(self) -> None:
        commit = asyncio.ensure_future(self._outbox.wait_for_commit(self.settings.poll_interval_s))
        stop = asyncio.ensure_future(self._stop.wait())
        _, pending = await asyncio.wait({commit, stop}, return_when=asyncio.FIRST_COMPLETED)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
