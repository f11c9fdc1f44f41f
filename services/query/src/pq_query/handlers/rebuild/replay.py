"""An ordered replay of PQ_BARS from its first message, on an ephemeral consumer.

`until(seq)` hands over, in stream order, every message with a sequence up to `seq`
and keeps any later one it fetched for the next call, so the replay can stop at the
stream's end as it was when the rebuild began, and later continue to where the live
consumer stopped.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence

from nats.aio.msg import Msg
from nats.errors import TimeoutError as NatsTimeoutError
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

Apply = Callable[[Sequence[Msg]], Awaitable[None]]


class OrderedReplay:
    def __init__(
        self,
        js: JetStreamContext,
        stream: str,
        subjects: Sequence[str],
        *,
        batch: int = 500,
        fetch_timeout_s: float = 1.0,
    ) -> None:
        self._js = js
        self._stream = stream
        self._subjects = list(subjects)
        self._batch = batch
        self._timeout = fetch_timeout_s
        self._sub: JetStreamContext.PullSubscription | None = None
        self._carry: list[Msg] = []
        self.position = 0  # the last stream sequence handed over

    async def _subscription(self) -> JetStreamContext.PullSubscription:
        if self._sub is None:
            config = ConsumerConfig(
                deliver_policy=DeliverPolicy.ALL,
                ack_policy=AckPolicy.ALL,  # one ack per batch; nothing is redelivered anyway
                filter_subjects=self._subjects,
                inactive_threshold=120.0,
                max_ack_pending=-1,
                mem_storage=True,
            )
            self._sub = await self._js.pull_subscribe(
                self._subjects[0], stream=self._stream, config=config
            )
        return self._sub

    async def until(self, last_seq: int, apply: Apply) -> int:
        """Apply every message with sequence <= `last_seq`; returns how many."""
        count = 0
        while self.position < last_seq:
            msgs = self._carry or await self._fetch()
            self._carry = []
            if not msgs:
                break  # nothing more stored: the filtered stream ends before last_seq
            ready = [m for m in msgs if m.metadata.sequence.stream <= last_seq]
            self._carry = msgs[len(ready) :]
            if ready:
                await apply(ready)
                count += len(ready)
                self.position = ready[-1].metadata.sequence.stream
            if self._carry:
                break
            if ready and ready[-1].metadata.num_pending == 0:
                break  # delivered everything the stream holds for our subjects
        return count

    async def _fetch(self) -> list[Msg]:
        sub = await self._subscription()
        try:
            msgs = await sub.fetch(self._batch, timeout=self._timeout)
        except (TimeoutError, NatsTimeoutError):
            return []
        if msgs:
            await msgs[-1].ack()
        return msgs

    async def close(self) -> None:
        if self._sub is not None:
            await self._sub.unsubscribe()
            self._sub = None
