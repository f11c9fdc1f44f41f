"""Webhook schemas: WebhookCreate (request), WebhookPublic, WebhookCreated (with secret)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from ...webhooks.model import EventType
from .fields import SymbolText

# For the document: https, a host name or IPv4 address, a port in 1..65535, no credentials
# (webhooks/url_guard.py is the rule; it also takes IPv6 literals).
_PORT = "([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5])"
URL_PATTERN = f"^https://[A-Za-z0-9.-]+(:{_PORT})?(/[!-~]*)?$"


class WebhookCreate(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "url": "https://example.com/hooks/pq",
                    "event_types": ["bar.completed", "sync.job"],
                    "symbols": ["NASDAQ:AAPL"],
                }
            ]
        },
    )

    url: str = Field(
        min_length=8,
        max_length=2048,
        description="https URL; must resolve to public addresses",
        examples=["https://example.com/hooks/pq"],
        json_schema_extra={"pattern": URL_PATTERN},
    )
    event_types: list[EventType] = Field(min_length=1, max_length=5)
    symbols: list[SymbolText] = Field(
        default_factory=list,
        max_length=100,
        description="Only events of these symbols (bar events); empty: every symbol",
    )


class WebhookPublic(BaseModel):
    id: str
    url: str
    event_types: list[EventType]
    symbols: list[str]
    enabled: bool
    consecutive_failures: int
    disabled_reason: str | None
    created_at: datetime


class WebhookCreated(WebhookPublic):
    secret: str = Field(
        description="`whsec_...`: verifies the `webhook-signature` header; shown only now"
    )


class WebhooksList(BaseModel):
    webhooks: list[WebhookPublic]
