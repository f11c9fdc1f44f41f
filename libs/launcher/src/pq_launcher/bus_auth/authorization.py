"""The nats-server `authorization` block: every identity with the permissions its role
table entry grants (pq_runtime.bus_access). Written to its own file, which the server's
main config includes, so `pq consumers` can rewrite it and signal a reload."""

from __future__ import annotations

import json
from collections.abc import Mapping

from pq_runtime.bus_access import (
    ADMIN,
    SERVICE_ROLES,
    Permissions,
    consumer_role,
    role_permissions,
)

# Other systems use nats-py's default reply prefix; our services use private ones.
CONSUMER_INBOX = "_INBOX.>"


def _list(subjects: tuple[str, ...]) -> str:
    return "[" + ", ".join(json.dumps(s) for s in subjects) + "]"


def _permissions(p: Permissions) -> str:
    return (
        f"permissions: {{\n"
        f"      publish: {{allow: {_list(p.publish_allow)}, deny: {_list(p.publish_deny)}}}\n"
        f"      subscribe: {{allow: {_list(p.subscribe_allow)}, "
        f"deny: {_list(p.subscribe_deny)}}}\n"
        f"    }}"
    )


def _user(name: str, password: str, permissions: Permissions | None) -> str:
    """`password`: a config value as written (a quoted string, or a `$VARIABLE`)."""
    head = f"    {{user: {json.dumps(name)}, password: {password}"
    if permissions is None:
        return head + "}"
    return f"{head},\n    {_permissions(permissions)}}}"


def render_authorization(secrets: Mapping[str, str], consumers: Mapping[str, str]) -> str:
    """`secrets`: identity -> password (admin and every service); `consumers`: name -> password."""
    quoted = {name: json.dumps(password) for name, password in secrets.items()}
    return authorization_block(
        quoted, {name: json.dumps(p) for name, p in consumers.items()}, admin=True
    )


def authorization_block(
    services: Mapping[str, str], consumers: Mapping[str, str], *, admin: bool
) -> str:
    """Passwords as config values: quoted literals, or `$VAR` read from the environment."""
    users = [_user(ADMIN, services[ADMIN], None)] if admin else []
    users += [_user(r.name, services[r.name], role_permissions(r)) for r in SERVICE_ROLES]
    users += [
        _user(name, password, role_permissions(consumer_role(name), inbox=CONSUMER_INBOX))
        for name, password in sorted(consumers.items())
    ]
    # No `no_auth_user`: a connection without credentials is refused.
    return "authorization {\n  users = [\n" + ",\n".join(users) + "\n  ]\n}\n"
