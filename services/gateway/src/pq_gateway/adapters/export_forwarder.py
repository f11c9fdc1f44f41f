"""Bulk exports of GET /v1/bars: the query service's body streamed through, never held.

The gateway relays each chunk as it arrives (aiohttp's read buffer, then the ASGI
send), so its memory stays a few chunks however large the export; the connection to
the query service is released when the client has the last byte or goes away. A
non-200 answer is a small problem document, passed on (404 and 5xx translated as for
the JSON reads).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import structlog
from starlette.responses import Response, StreamingResponse

from pq_domain.problem_types import UPSTREAM_TYPE
from pq_runtime.envelope import CORRELATION_ID, TRACEPARENT
from pq_runtime.http.media_types import BarsMediaType

from ..api.problems import ProblemError, dependency_unavailable
from .upstream import Upstream, UpstreamStream, UpstreamUnreachable

log = structlog.get_logger("pq_gateway.export")

COVERAGE_HEADER = "pq-coverage"
_PASSED = frozenset({"content-type", "content-disposition", COVERAGE_HEADER})
_MAX_ERROR_BODY = 64 * 1024


async def _relay(stream: UpstreamStream) -> AsyncIterator[bytes]:
    try:
        async for chunk in stream.chunks:
            yield chunk
    except UpstreamUnreachable as exc:
        # Headers are sent: the client sees a cut body (an Arrow/Parquet reader refuses it).
        log.warning("query service cut an export", error=str(exc))
        raise
    finally:
        await stream.close()


async def _small_body(stream: UpstreamStream) -> bytes:
    parts, size = [], 0
    try:
        async for chunk in stream.chunks:
            parts.append(chunk)
            size += len(chunk)
            if size > _MAX_ERROR_BODY:
                break
    finally:
        await stream.close()
    return b"".join(parts)


async def forward_export(
    upstream: Upstream,
    query: str,
    media_type: BarsMediaType,
    *,
    correlation_id: str,
    traceparent: str | None,
    not_found_detail: str,
) -> Response:
    headers = {CORRELATION_ID: correlation_id, "Accept": media_type.value}
    if traceparent:
        headers[TRACEPARENT] = traceparent
    try:
        stream = await upstream.stream(f"/v1/bars?{query}" if query else "/v1/bars", headers)
    except UpstreamUnreachable as exc:
        log.warning("query service unreachable", path="/v1/bars", error=str(exc))
        raise dependency_unavailable("Query service", "the read service is unreachable") from exc
    passed = {k: v for k, v in stream.headers if k.lower() in _PASSED}
    if stream.status == 200:
        return StreamingResponse(_relay(stream), status_code=200, headers=passed)
    body = await _small_body(stream)
    if stream.status == 404:
        raise ProblemError(404, not_found_detail)
    if stream.status >= 500:
        log.warning("query service failed", path="/v1/bars", status=stream.status)
        raise ProblemError(
            502,
            f"the read service answered {stream.status}",
            type_=UPSTREAM_TYPE,
            title="Bad Gateway",
        )
    return Response(body, status_code=stream.status, headers=passed)
