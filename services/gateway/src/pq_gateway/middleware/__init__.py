"""Pure-ASGI middleware (no BaseHTTPMiddleware: it costs a task and a copy per request).

Order, outermost first (see main.py): correlation id -> server span and latency (the
runtime's ServerTelemetryMiddleware) -> unhandled errors -> body limit -> auth -> rate
limit -> idempotency.
"""
