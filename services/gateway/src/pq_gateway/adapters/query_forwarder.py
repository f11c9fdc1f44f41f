"""Forwards validated reads to the query service and passes its answer through.

The query service already speaks the public JSON shapes (docs/development.md, Gateway
and query), so the body bytes, status and content type go back unchanged. Only its
failures are translated: 404 -> our 404 problem, 5xx -> 502, unreachable -> 503.
Answers with an ETag are kept and revalidated (adapters/revalidated_reads.py), and a
client's own If-None-Match gets its 304 here.
"""

from __future__ import annotations

from dataclasses import dataclass

import structlog
from starlette.responses import Response

from pq_domain.problem_types import UPSTREAM_TYPE
from pq_runtime.envelope import CORRELATION_ID, TRACEPARENT
from pq_runtime.http.conditional import CACHE_CONTROL, ETAG, IF_NONE_MATCH, none_match

from ..api.problems import ProblemError, dependency_unavailable
from .read_flights import ReadFlights
from .revalidated_reads import KeptRead, RevalidatedReads, storable
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


@dataclass(frozen=True, slots=True)
class _Read:
    """The query service's answer to one fetch, as every read sharing it sees it."""

    status: int
    headers: dict[str, str]
    body: bytes


class QueryForwarder:
    def __init__(self, upstream: Upstream, kept: RevalidatedReads | None = None) -> None:
        self._upstream = upstream
        self._kept = kept
        self._flights: ReadFlights[_Read] = ReadFlights()

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
        if_none_match: str | None = None,
    ) -> Response:
        # `path` is already percent-encoded; it is sent as it is.
        url = f"{path}?{query}" if query else path
        try:
            read = await self._flights.share(
                url, lambda: self._fetch(url, correlation_id, traceparent)
            )
        except UpstreamUnreachable as exc:
            log.warning("query service unreachable", path=path, error=str(exc))
            detail = "the read service is unreachable"
            raise dependency_unavailable("Query service", detail) from exc
        if read.status == 404:
            raise ProblemError(404, not_found_detail)
        if read.status >= 500:
            log.warning("query service failed", path=path, status=read.status)
            raise ProblemError(
                502,
                f"the read service answered {read.status}",
                type_=UPSTREAM_TYPE,
                title="Bad Gateway",
            )
        etag = read.headers.get(ETAG)
        if etag is not None and not none_match(if_none_match, etag):
            return Response(status_code=304, headers=_validators(read.headers))
        return Response(content=read.body, status_code=read.status, headers=read.headers)

    async def _fetch(self, url: str, correlation_id: str, traceparent: str | None) -> _Read:
        """One request upstream, revalidating the kept copy if there is one. The client's
        own If-None-Match is not sent: reads with different tags share this fetch, and
        each gets its 304 from the answer's ETag."""
        headers = {CORRELATION_ID: correlation_id}
        if traceparent:
            headers[TRACEPARENT] = traceparent
        kept = None if self._kept is None else self._kept.get(url)
        if kept is not None:
            headers[IF_NONE_MATCH] = kept.etag
        upstream = await self._upstream.get(url, headers)
        if upstream.status == 304 and kept is not None:  # the kept copy is current
            return _Read(200, kept.headers, kept.body)
        passed = {k.lower(): v for k, v in upstream.headers if k.lower() in _PASSED_HEADERS}
        if self._kept is not None:
            if upstream.status == 200 and storable(passed):
                self._kept.keep(url, KeptRead(passed, upstream.body))
            else:
                self._kept.drop(url)
        return _Read(upstream.status, passed, upstream.body)

    async def forward(self, path: str, read: ForwardedRead, *, not_found_detail: str) -> Response:
        return await self.get(
            path,
            read.query_string,
            correlation_id=read.correlation_id,
            traceparent=read.traceparent,
            not_found_detail=not_found_detail,
        )

    async def aclose(self) -> None:
        await self._flights.aclose()

    async def is_healthy(self, timeout_s: float) -> tuple[bool, str | None]:
        try:
            answer = await self._upstream.get("/health", {}, timeout_s)
        except UpstreamUnreachable as exc:
            return False, f"unreachable: {exc}"
        if answer.status != 200:
            return False, f"/health answered {answer.status}"
        return True, None


def _validators(headers: dict[str, str]) -> dict[str, str]:
    """What a 304 repeats of the 200 it stands for (RFC 9110 §15.4.5)."""
    return {k: v for k, v in headers.items() if k in (ETAG, CACHE_CONTROL)}
