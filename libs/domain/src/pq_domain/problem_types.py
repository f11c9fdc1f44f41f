"""The REST contract's problem types (RFC 9457 `type`), one table for every service.

`about:blank` for plain HTTP errors (the title is the status phrase); `urn:pq:problem:<slug>`
for ours, so that clients switch on `type` without parsing text. The gateway answers with
them and forwards the query service's unchanged, so both take them from here.
"""

from __future__ import annotations

PROBLEM_MEDIA_TYPE = "application/problem+json"

VALIDATION_TYPE = "urn:pq:problem:validation-error"
MALFORMED_TYPE = "urn:pq:problem:malformed-request"
DEPENDENCY_TYPE = "urn:pq:problem:dependency-unavailable"
UPSTREAM_TYPE = "urn:pq:problem:upstream-error"
INTERNAL_TYPE = "urn:pq:problem:internal-error"
UNAUTHENTICATED_TYPE = "urn:pq:problem:unauthenticated"
FORBIDDEN_TYPE = "urn:pq:problem:insufficient-scope"
RATE_LIMITED_TYPE = "urn:pq:problem:rate-limited"
IDEMPOTENCY_IN_FLIGHT_TYPE = "urn:pq:problem:idempotency-in-flight"
IDEMPOTENCY_MISMATCH_TYPE = "urn:pq:problem:idempotency-key-reused"
NOT_OWNER_TYPE = "urn:pq:problem:not-owner"
QUOTA_TYPE = "urn:pq:problem:quota-exceeded"
