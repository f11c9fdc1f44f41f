"""Forwards validated reads to the query service and passes its answer through.

The query service already speaks the public JSON shapes (docs/development.md, Gateway
and query), so the body bytes, status and content type go back unchanged. Only its
failures are translated: 404 -> our 404 problem, 5xx -> 502, unreachable -> 503.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from starlette.responses import Response

from pq_domain.problem_types import UPSTREAM_TYPE
from pq_runtime.envelope import CORRELATION_ID, TRACEPARENT

from ..api.problems import ProblemError, dependency_unavailable
from .upstream import Upstream, UpstreamUnreachable

log = structlog.get_logger("pq_gateway.query")

# Passed through so that caches and clients see what the query service decided.
_PASSED_HEADERS = frozenset(
    {"content-type", "cache-control", "etag", "last-modified", "pq-coverage"}
)


@dataclass(frozen=True, slots=True)
class ForwardedRead:
    """What a forwarded read passes on from the client's request, whichever path took it
    (the route's dependencies or the fast path's scope)."""

    query_string: str
    correlation_id: str
    traceparent: str | None


class QueryForwarder:
    def __init__(self, upstream: Upstream) -> None:
        self._upstream = upstream

    @property
    def upstream(self) -> Upstream:
        """For bodies streamed through rather than read (adapters/export_forwarder.py)."""
        return self._upstream

    async def get(
        self,
        path: str,
        query: str,
        *,
        correlation_id: str,
        traceparent: str | None,
        not_found_detail: str,
    ) -> Response:
        headers = {CORRELATION_ID: correlation_id}
        if traceparent:
            headers[TRACEPARENT] = traceparent
        # `path` is already percent-encoded; it is sent as it is.
        url = f"{path}?{query}" if query else path
        try:
            upstream = await self._upstream.get(url, headers)
        except UpstreamUnreachable as exc:
            log.warning("query service unreachable", path=path, error=str(exc))
            detail = "the read service is unreachable"
            raise dependency_unavailable("Query service", detail) from exc
        if upstream.status == 404:
            raise ProblemError(404, not_found_detail)
        if upstream.status >= 500:
            log.warning("query service failed", path=path, status=upstream.status)
            raise ProblemError(
                502,
                f"the read service answered {upstream.status}",
                type_=UPSTREAM_TYPE,
                title="Bad Gateway",
            )
        passed = {k: v for k, v in upstream.headers if k.lower() in _PASSED_HEADERS}
        return Response(content=upstream.body, status_code=upstream.status, headers=passed)

    async def forward(self, path: str, read: ForwardedRead, *, not_found_detail: str) -> Response:
        return await self.get(
            path,
            read.query_string,
            correlation_id=read.correlation_id,
            traceparent=read.traceparent,
            not_found_detail=not_found_detail,
        )

    async def is_healthy(self, timeout_s: float) -> tuple[bool, str | None]:
        try:
            answer = await self._upstream.get("/health", {}, timeout_s)
        except UpstreamUnreachable as exc:
            return False, f"unreachable: {exc}"
        if answer.status != 200:
            return False, f"/health answered {answer.status}"
        return True, None
