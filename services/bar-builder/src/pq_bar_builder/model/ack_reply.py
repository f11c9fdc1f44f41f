"""Stream sequence, stream time, pending count and delivery number from a JetStream
message's reply subject.

nats-py's `Msg.metadata` builds dataclasses and a datetime per message; the hot path
needs four integers, so it reads them from the reply tokens directly.
`$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts_ns>.<pending>` (v1), or
`$JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts_ns>.<pending>...`
(v2, two more tokens in front).
"""

from __future__ import annotations

_V1_TOKENS = 9


class NotJetStreamReply(ValueError):
    """A message without a JetStream ack reply subject."""


def ack_fields(reply: str | None) -> tuple[int, int, int, int]:
    """(stream sequence, stream timestamp in ms, messages pending after this one, the
    consumer's delivery number: 1, 2, 3... for each message the consumer delivers)."""
    if not reply or not reply.startswith("$JS.ACK."):
        raise NotJetStreamReply(f"not a JetStream reply: {reply!r}")
    tokens = reply.split(".")
    base = 0 if len(tokens) == _V1_TOKENS else 2
    return (
        int(tokens[base + 5]),
        int(tokens[base + 7]) // 1_000_000,
        int(tokens[base + 8]),
        int(tokens[base + 6]),
    )
