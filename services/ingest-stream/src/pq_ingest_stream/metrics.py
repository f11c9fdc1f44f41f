"""Prometheus metrics of ingest-stream, in a registry the service owns (`GET /metrics`)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge


class StreamMetrics:
    def __init__(self, registry: CollectorRegistry | None = None) -> None:
        self.registry = registry if registry is not None else CollectorRegistry()
        r = self.registry
        self.quotes_published = Counter(
            "pq_stream_quotes_published_total", "QuoteReceived stored by PQ_QUOTES", registry=r
        )
        self.quotes_duplicate = Counter(
            "pq_stream_quotes_duplicate_total",
            "QuoteReceived dropped by the stream as duplicates (same event id)",
            registry=r,
        )
        self.publish_retries = Counter(
            "pq_stream_publish_retries_total",
            "Quotes published again after a failed ack",
            registry=r,
        )
        self.symbol_rejections = Counter(
            "pq_stream_symbol_rejections_total", "Symbols the provider refused", registry=r
        )
        self.backfill_commands = Counter(
            "pq_stream_backfill_commands_total", "SyncRequested sent to fill gaps", registry=r
        )
        self.backfill_queued = Gauge(
            "pq_stream_backfill_queued", "Backfill commands waiting for the rate limit", registry=r
        )
        self.backfill_follow_ups = Gauge(
            "pq_stream_backfill_follow_ups",
            "Follow-up syncs waiting for the bucket they re-sync to close",
            registry=r,
        )
        self.gaps_open = Gauge(
            "pq_stream_gaps_open", "Symbols with a gap not yet turned into commands", registry=r
        )
        self.symbols_owned = Gauge(
            "pq_stream_symbols_owned", "Watchlist symbols this shard streams", registry=r
        )
        self.members = Gauge("pq_stream_members", "Live shards this shard sees", registry=r)
        self.connected = Gauge(
            "pq_stream_connected", "1 while the quote session is connected", registry=r
        )
        self.reconnects = Counter(
            "pq_stream_reconnects_total", "Quote-session connections after the first", registry=r
        )
        self.conflated_quotes = Gauge(
            "pq_stream_conflated_quotes",
            "Quotes dropped from a full per-symbol backlog (the publisher fell behind)",
            registry=r,
        )
        self.drop_reports = Counter(
            "pq_stream_drop_reports_total",
            "Reports of dropped quotes, each opening or widening a gap of its symbol",
            registry=r,
        )
