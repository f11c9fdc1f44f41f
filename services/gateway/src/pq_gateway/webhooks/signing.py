"""Standard Webhooks signatures (the `standardwebhooks` package): the three headers."""

from __future__ import annotations

from datetime import UTC, datetime

from standardwebhooks.webhooks import Webhook as Signer


def signed_headers(
    secret: str, message_id: str, body: str, at: datetime | None = None
) -> dict[str, str]:
    """`webhook-id`, `webhook-timestamp`, `webhook-signature` for `body`."""
    at = at or datetime.now(tz=UTC)
    return {
        "webhook-id": message_id,
        "webhook-timestamp": str(int(at.timestamp())),
        "webhook-signature": Signer(secret).sign(message_id, at, body),
    }
