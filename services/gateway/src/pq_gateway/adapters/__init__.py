"""Adapters to the gateway's dependencies: NATS (JetStream, KV, core), query HTTP, Redis."""
