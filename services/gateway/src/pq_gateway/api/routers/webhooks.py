"""Webhooks: POST/GET/DELETE /v1/webhooks (admin scope). Deliveries: webhooks/worker.py."""

from __future__ import annotations

import secrets
import time
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from ...idempotency.middleware import WITHHELD_KEY
from ...webhooks.model import Webhook, new_secret
from ...webhooks.url_guard import UnsafeUrl, check_url
from ..deps import SettingsDep, WebhookStoreDep, require_json_body
from ..problems import ProblemError, invalid, problem_responses
from ..schemas.webhooks import WebhookCreate, WebhookCreated, WebhookPublic, WebhooksList

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])
WEBHOOK_ID_PATTERN = r"^wh_[0-9a-f]{24}$"


def _public_fields(hook: Webhook) -> dict[str, Any]:
    return {
        "id": hook.webhook_id,
        "url": hook.url,
        "event_types": list(hook.event_types),
        "symbols": list(hook.symbols),
        "enabled": hook.enabled,
        "consecutive_failures": hook.consecutive_failures,
        "disabled_reason": hook.disabled_reason,
        "created_at": datetime.fromtimestamp(hook.created_at / 1000, tz=UTC),
    }


@router.post(
    "",
    status_code=201,
    response_model=WebhookCreated,
    dependencies=[Depends(require_json_body)],
    responses=problem_responses(400, 409, 413, 415, 422, 503),
    summary="Register a webhook (the signing secret is in this answer only)",
    description="The answer carries the signing `secret`, once. A retry with the same "
    "`Idempotency-Key` gets the same webhook back without it (`Idempotent-Replayed: true`): "
    "the secret is never stored outside the webhook itself. Lost it? Delete and register again.",
)
async def create_webhook(
    body: WebhookCreate,
    store: WebhookStoreDep,
    settings: SettingsDep,
    request: Request,
    response: Response,
) -> WebhookCreated:
    request.scope[WITHHELD_KEY] = ("secret",)  # never replayed, never in Redis
    try:
        await check_url(
            body.url,
            allow_private=settings.webhooks_allow_private,
            allowed_ports=settings.webhooks_allowed_ports,
        )
    except UnsafeUrl as exc:
        raise invalid("body.url", str(exc)) from None
    hook = Webhook(
        webhook_id=f"wh_{secrets.token_hex(12)}",
        url=body.url,
        event_types=tuple(dict.fromkeys(body.event_types)),
        symbols=tuple(dict.fromkeys(body.symbols)),
        secret=new_secret(),
        created_at=int(time.time() * 1000),
    )
    await store.put(hook)
    response.headers["Location"] = f"/v1/webhooks/{hook.webhook_id}"
    return WebhookCreated(**_public_fields(hook), secret=hook.secret)


@router.get(
    "",
    response_model=WebhooksList,
    responses=problem_responses(503),
    summary="Registered webhooks (without secrets)",
)
async def list_webhooks(store: WebhookStoreDep) -> WebhooksList:
    return WebhooksList(webhooks=[WebhookPublic(**_public_fields(h)) for h in await store.all()])


@router.get(
    "/{webhook_id}",
    response_model=WebhookPublic,
    responses=problem_responses(404, 422, 503),
    summary="One webhook, with its delivery health",
)
async def get_webhook(
    webhook_id: Annotated[str, Path(pattern=WEBHOOK_ID_PATTERN)], store: WebhookStoreDep
) -> WebhookPublic:
    hook = await store.get(webhook_id)
    if hook is None:
        raise ProblemError(404, f"no webhook {webhook_id}")
    return WebhookPublic(**_public_fields(hook))


@router.delete(
    "/{webhook_id}",
    status_code=204,
    responses=problem_responses(404, 409, 422, 503),
    summary="Delete a webhook (pending deliveries are dropped)",
)
async def delete_webhook(
    webhook_id: Annotated[str, Path(pattern=WEBHOOK_ID_PATTERN)], store: WebhookStoreDep
) -> Response:
    if not await store.delete(webhook_id):
        raise ProblemError(404, f"no webhook {webhook_id}")
    return Response(status_code=204)
