"""NATS adapters: KV buckets (watchlist, shard status, cursors) and JetStream publishers."""
