"""The REST surface: one router per resource (routers/), the request and response schemas
(schemas/), `Annotated` dependencies (deps.py), problem+json (problems.py,
error_handlers.py), and the forwarded reads' pure-ASGI fast path (forwarded_reads.py)."""
