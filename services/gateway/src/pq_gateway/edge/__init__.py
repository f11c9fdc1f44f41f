"""The request's edge: pure-ASGI middleware every request passes whatever its feature
(correlation id, the catch-all 500, the body limit). No BaseHTTPMiddleware: it costs a
task and a copy per request.

Order, outermost first (see main.py): correlation id -> server span and latency (the
runtime's ServerTelemetryMiddleware) -> unhandled errors -> body limit -> auth
(auth/middleware.py) -> rate limit (ratelimit/middleware.py) -> idempotency
(idempotency/middleware.py) -> the forwarded reads' fast path (api/forwarded_reads.py).
"""
