"""Pure-ASGI middleware (no BaseHTTPMiddleware: it costs a task and a copy per request).

Order, outermost first (see main.py): correlation id -> unhandled errors -> body limit.
Issue 7 slots auth and rate limits in after the body limit; idempotency is a route dependency.
"""
