"""Shared runtime: settings, messaging (outbox, relay, consumers), stores, telemetry."""
