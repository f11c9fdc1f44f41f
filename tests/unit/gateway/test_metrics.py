"""GET /metrics: request latency by route template and status."""

from __future__ import annotations

import httpx


async def test_latency_is_labelled_by_route_template(gateway_client: httpx.AsyncClient) -> None:
    await gateway_client.get("/v1/quotes/NASDAQ:AAPL")
    await gateway_client.get("/no/such/route")
    text = (await gateway_client.get("/metrics")).text
    assert (
        'pq_gateway_request_duration_seconds_count{method="GET",'
        'route="/v1/quotes/{symbol:path}",status="200"} 1.0'
    ) in text
    assert 'method="GET",route="unmatched",status="404"' in text
