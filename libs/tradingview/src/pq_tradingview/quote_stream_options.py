"""Tuning of a QuoteStream: liveness, reconnect pacing, and how much it buffers."""

from __future__ import annotations

from dataclasses import dataclass

from .quote_book import QUOTE_FIELDS


@dataclass(frozen=True, slots=True)
class QuoteStreamOptions:
    fields: tuple[str, ...] = QUOTE_FIELDS
    silence_timeout_s: float = 30.0  # no frame at all (not even a heartbeat) this long: reconnect
    backoff_initial_s: float = 0.5
    backoff_max_s: float = 30.0
    backlog_per_symbol: int = 1024  # pending quotes per symbol before the oldest is dropped
    max_pending_rejections: int = 1000
