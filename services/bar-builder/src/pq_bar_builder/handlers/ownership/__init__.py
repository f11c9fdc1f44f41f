"""Which partitions this instance runs: static (settings) or leases (NATS KV)."""
