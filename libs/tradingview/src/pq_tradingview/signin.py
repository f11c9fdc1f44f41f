"""TradingView's sign-in, as tvdatafeed does it: `POST <web>/accounts/signin/` with form
fields `username`, `password`, `remember=on` and a `Referer`; the JSON answer's
`user.auth_token` is the token for `set_auth_token`.

An answer without a token is typed: a captcha or second-factor demand is `SignInChallenge`,
any other refusal `SignInRejected` (a retry would repeat it); no answer, a 5xx or 429, or
garbage is `SignInUnavailable`. The password and the token are never put in a message.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from pydantic import SecretStr

from .errors import SignInChallenge, SignInRejected, SignInUnavailable

SIGNIN_PATH = "/accounts/signin/"
_CHALLENGES = {"recaptcha_required": "a captcha", "2fa_required": "a second factor (2FA)"}


async def sign_in(
    http: aiohttp.ClientSession,
    web_url: str,
    username: str,
    password: SecretStr,
    *,
    timeout_s: float,
) -> SecretStr:
    """The account's auth token; raises a SignInError subclass naming the account."""
    who = f"TradingView sign-in as {username!r}"
    form = {"username": username, "password": password.get_secret_value(), "remember": "on"}
    try:
        async with asyncio.timeout(timeout_s):
            async with http.post(
                web_url.rstrip("/") + SIGNIN_PATH, data=form, headers={"Referer": web_url}
            ) as response:
                status = response.status
                body: Any = await response.json(content_type=None)
    except (aiohttp.ClientError, OSError, TimeoutError, ValueError) as exc:
        raise SignInUnavailable(f"{who} failed: no usable answer ({type(exc).__name__})") from None
    if not isinstance(body, dict):
        raise SignInUnavailable(f"{who} failed: HTTP {status} without a JSON object")
    token = (
        (body.get("user") or {}).get("auth_token") if isinstance(body.get("user"), dict) else None
    )
    if isinstance(token, str) and token and not body.get("error"):
        return SecretStr(token)
    code = str(body.get("code") or body.get("error") or "").strip()
    reason = str(body.get("error") or body.get("message") or "no token in the answer")[:200]
    if code.lower() in _CHALLENGES:
        raise SignInChallenge(
            f"{who} needs {_CHALLENGES[code.lower()]}, which a headless client cannot give; "
            "sign in once in a browser or use PQ_TRADINGVIEW_TOKEN"
        )
    if status >= 500 or status == 429:
        raise SignInUnavailable(f"{who} failed: HTTP {status}: {reason}")
    raise SignInRejected(f"{who} failed: {reason} (HTTP {status}, code {code or 'none'})")
