"""A fetched batch, sorted into quotes to apply, poison to dead-letter, and redeliveries.

Every delivery of the partition's consumer must reach this worker: the ack of a batch
(AckPolicy ALL) also acknowledges any message delivered in between to someone else (an
old owner still pulling on the same durable after a take-over), which would then never
come back. The consumer numbers its deliveries 1, 2, 3... from its creation, so a number
missing is a delivery this worker did not get: the batch is refused (`DeliveryGap`) and
the worker recreates the consumer from its stored position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nats.aio.msg import Msg

from pq_domain import Quote

from ..model.ack_reply import ack_fields
from ..model.quote_decoder import PoisonQuote, QuoteDecoder


class DeliveryGap(Exception):
    """The consumer delivered messages this worker never received."""


@dataclass(slots=True)
class DecodedBatch:
    last_seq: int  # the tracking record after this batch
    pending: int = 0  # messages the stream holds beyond this batch
    quotes: list[Quote] = field(default_factory=list)
    arrivals_ms: list[int] = field(default_factory=list)  # stream time of each quote
    poison: list[tuple[Msg, str]] = field(default_factory=list)
    skipped: int = 0  # already applied (sequence <= the tracking record)
    next_delivery: int = 1  # the consumer's delivery number expected after this batch


def decode_batch(
    msgs: Sequence[Msg], applied_seq: int, decoder: QuoteDecoder, next_delivery: int
) -> DecodedBatch:
    """Raises DeliveryGap, before anything is applied, when a delivery is missing."""
    batch = DecodedBatch(last_seq=applied_seq)
    quotes, arrivals = batch.quotes, batch.arrivals_ms
    for msg in msgs:
        seq, ts_ms, pending, delivery = ack_fields(msg.reply)
        if delivery != next_delivery:
            raise DeliveryGap(f"delivery {delivery} where {next_delivery} was next (seq {seq})")
        next_delivery += 1
        batch.pending = pending
        if seq <= batch.last_seq:  # a redelivery of something this partition applied
            batch.skipped += 1
            continue
        batch.last_seq = seq
        try:
            quotes.append(decoder.decode(msg.data, msg.headers))
        except PoisonQuote as exc:
            batch.poison.append((msg, str(exc)))
            continue
        arrivals.append(ts_ms)
    batch.next_delivery = next_delivery
    return batch
