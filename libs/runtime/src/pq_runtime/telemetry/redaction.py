"""Credentials never reach a log line: a structlog processor that masks them.

It runs last before rendering, on every line (structlog's and the standard library's),
and on the text of a formatted traceback. What it masks:
- the password of a URL's user info (`mongodb://pq:s3cret@db` -> `mongodb://pq:***@db`,
  `redis://:s3cret@host`), in any field or message;
- `Bearer <token>`, API keys (`pq_<id>_<secret>` keeps its public id), webhook secrets
  (`whsec_...`), JSON Web Tokens and TradingView's `set_auth_token` frames;
- the value of any field, or `name=value` / `"name": "value"` pair in a text, whose name
  says it is a secret: password, token, secret, authorization, x-api-key, api_key,
  pepper, credentials, cookie.
"""

from __future__ import annotations

import re
from collections.abc import MutableMapping
from typing import Any

MASK = "***"
_SECRET_NAME = re.compile(
    r"(?i)(pass(word|wd)?|token|secret|authorization|api[-_]?key|pepper|credentials?|cookie)"
)
# Names that contain a secret's name but hold none (ids, counts, types).
_NOT_SECRET = frozenset({"token_type", "tokens", "key_id", "secret_id", "webhook_id"})
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    # user info in any URL: keep the scheme and user, drop the password
    (re.compile(r"([A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]*):[^@\s/]+@"), rf"\1:{MASK}@"),
    (re.compile(r"(?i)\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]+"), rf"\1 {MASK}"),
    (re.compile(r"\b(pq_[0-9a-f]{16})_[A-Za-z0-9_-]+"), rf"\1_{MASK}"),
    (re.compile(r"\bwhsec_[A-Za-z0-9+/=_-]+"), f"whsec_{MASK}"),
    (re.compile(r"\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*"), MASK),
    (re.compile(r'("set_auth_token"\s*,\s*"p"\s*:\s*\[\s*")[^"]*'), rf"\1{MASK}"),
    # name=value, name: value, "name": "value", 'name': 'value' for secret names
    (
        re.compile(
            r"(?i)((?:pass(?:word|wd)?|token|secret|authorization|x-api-key|api[-_]?key|pepper)"
            r"[\"']?\s*[:=]\s*[\"']?)(?!\*\*\*|(?i:bearer|basic)\s)[^\s\"',;&}\]]+"
        ),
        rf"\1{MASK}",
    ),
)


def redact_text(text: str) -> str:
    for pattern, replacement in _PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def _is_secret_name(name: object) -> bool:
    return (
        isinstance(name, str) and name not in _NOT_SECRET and _SECRET_NAME.search(name) is not None
    )


def _redact(value: Any, depth: int = 0) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if depth > 4:  # deep structures in a log line are rare; never recurse without bound
        return value
    if isinstance(value, dict):
        return {
            k: (MASK if _is_secret_name(k) and v is not None else _redact(v, depth + 1))
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_redact(v, depth + 1) for v in value)
    if isinstance(value, bytes | bytearray):
        return redact_text(bytes(value).decode("utf-8", "replace"))
    return value


def redact_credentials(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """The structlog processor: every field, the message and the traceback text."""
    for key, value in list(event.items()):
        if key.startswith("_"):  # structlog's own (the stdlib record, the logger)
            continue
        if _is_secret_name(key) and value is not None:
            event[key] = MASK
        elif isinstance(value, str | dict | list | tuple | bytes | bytearray):
            event[key] = _redact(value)
        elif value is not None and not isinstance(value, int | float | bool):
            # Exceptions and other objects render through str()/repr(): mask that text.
            event[key] = redact_text(repr(value))
    return event
