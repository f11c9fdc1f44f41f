"""`POST /accounts/signin/`: TradingView's sign-in, on the simulator's own port.

Form fields `username`, `password`, `remember` and a `Referer` header, as tvdatafeed sends
them. A good password answers `{"error": "", "user": {..., "auth_token": <JWT>}}`; anything
else answers an error object and no token: `invalid_credentials` for a wrong name or
password, `recaptcha_required` or `2FA_required` for an account set up to demand them
(the bodies TradingView's own are reported to be). Passwords and tokens are never logged.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .world import World

log = logging.getLogger(__name__)

SIGNIN_PATH = "/accounts/signin/"
WRONG_PASSWORD = {"error": "Invalid username or password", "code": "invalid_credentials"}
CAPTCHA = {
    "error": "Please confirm that you are not a robot by clicking the captcha box.",
    "code": "recaptcha_required",
}
SECOND_FACTOR = {
    "error": "2FA_required",
    "code": "2FA_required",
    "message": "Second authentication factor is needed",
    "two_factor_types": [{"name": "totp"}],
}


def signin_routes(world: World) -> list[web.RouteDef]:
    async def sign_in(request: web.Request) -> web.Response:
        if not request.headers.get("Referer"):
            world.signins["refused"] += 1
            body = {"error": "Referer checking failed - no Referer.", "code": "csrf_failed"}
            return web.json_response(body, status=403)
        form = await request.post()
        username, password = form.get("username"), form.get("password")
        if not isinstance(username, str) or not isinstance(password, str):
            world.signins["refused"] += 1
            body = {"error": "username and password are required", "code": "invalid_form"}
            return web.json_response(body, status=400)
        account = world.accounts.get(username)
        if account is None or account.password != password:
            world.signins["rejected"] += 1
            log.info("sign-in refused for %r: wrong username or password", username)
            return web.json_response(WRONG_PASSWORD)
        if account.challenge is not None:
            world.signins["challenged"] += 1
            log.info("sign-in of %r asks for a %s", username, account.challenge)
            return web.json_response(CAPTCHA if account.challenge == "captcha" else SECOND_FACTOR)
        world.signins["ok"] += 1
        return web.json_response({"error": "", "user": _user(username, world)})

    return [web.post(SIGNIN_PATH, sign_in)]


def _user(username: str, world: World) -> dict[str, Any]:
    return {
        "username": username,
        "is_pro": True,
        "pro_plan": "pro_premium",
        "auth_token": world.tokens.issue(username),
    }
