"""Idempotency-Key (Stripe's semantics): claim, replay, conflict; stored in Redis
(store.py), enforced by middleware.py."""
