"""Provisional (forming) bars on core NATS: throttled, never durable."""
