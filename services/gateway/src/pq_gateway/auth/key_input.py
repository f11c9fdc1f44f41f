"""What `pq keys` accepts: a name people can read, known scopes (at least one), and key
ids in the form keys are made with. Each check raises ValueError saying what is wrong."""

from __future__ import annotations

import re

from .keys import Scope

MAX_NAME_LENGTH = 100
_KEY_ID = re.compile(r"[0-9a-f]{16}")


def key_name(text: str) -> str:
    name = text.strip()
    if not name:
        raise ValueError("--name must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ValueError(f"--name must be at most {MAX_NAME_LENGTH} characters")
    if not name.isprintable():
        raise ValueError("--name must not contain control characters (newlines, tabs, escapes)")
    return name


def key_scopes(text: str) -> tuple[Scope, ...]:
    names = [s.strip().lower() for s in text.split(",") if s.strip()]
    if not names:
        raise ValueError("--scopes must name at least one of read, write, admin")
    unknown = [n for n in names if n not in {s.value for s in Scope}]
    if unknown:
        raise ValueError(f"unknown scope {unknown[0]!r} in --scopes; use read, write, admin")
    return tuple(dict.fromkeys(Scope(n) for n in names))


def key_id(text: str) -> str:
    """A key's public id (16 hex digits); the whole key is also accepted, for convenience."""
    candidate = text.strip()
    if candidate.startswith("pq_"):
        candidate = candidate.split("_", 2)[1] if candidate.count("_") >= 2 else ""
    if not _KEY_ID.fullmatch(candidate):
        shown = text if text.isprintable() and len(text) <= 40 else repr(text[:40])
        raise ValueError(f"not a key id: {shown} (16 hex digits, as `pq keys list` shows)")
    return candidate
