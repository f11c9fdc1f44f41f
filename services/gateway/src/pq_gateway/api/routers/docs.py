"""GET /asyncapi: the AsyncAPI document of every NATS subject and event."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from ...docs.asyncapi import asyncapi_document

router = APIRouter(tags=["operations"])


@router.get("/asyncapi", include_in_schema=False)
async def asyncapi() -> dict[str, Any]:
    return asyncapi_document()
