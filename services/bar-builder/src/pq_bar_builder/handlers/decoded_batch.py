"""A fetched batch, sorted into quotes to apply, poison to dead-letter, and redeliveries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from nats.aio.msg import Msg

from pq_domain import Quote

from ..model.ack_reply import ack_fields
from ..model.quote_decoder import PoisonQuote, QuoteDecoder


@dataclass(slots=True)
class DecodedBatch:
    last_seq: int  # the tracking record after this batch
    pending: int = 0  # messages the stream holds beyond this batch
    quotes: list[Quote] = field(default_factory=list)
    arrivals_ms: list[int] = field(default_factory=list)  # stream time of each quote
    poison: list[tuple[Msg, str]] = field(default_factory=list)
    skipped: int = 0  # already applied (sequence <= the tracking record)


def decode_batch(msgs: Sequence[Msg], applied_seq: int, decoder: QuoteDecoder) -> DecodedBatch:
    batch = DecodedBatch(last_seq=applied_seq)
    quotes, arrivals = batch.quotes, batch.arrivals_ms
    for msg in msgs:
        seq, ts_ms, pending = ack_fields(msg.reply)
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
    return batch
