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
    head = f"    {{user: {json.dumps(name)}, password: {json.dumps(password)}"
    if permissions is None:
        return head + "}"
    return f"{head},\n    {_permissions(permissions)}}}"


def render_authorization(secrets: Mapping[str, str], consumers: Mapping[str, str]) -> str:
    """`secrets`: identity -> password (admin and every service); `consumers`: name -> password."""
    users = [_user(ADMIN, secrets[ADMIN], None)]
    users += [_user(r.name, secrets[r.name], role_permissions(r)) for r in SERVICE_ROLES]
    users += [
        _user(name, password, role_permissions(consumer_role(name), inbox=CONSUMER_INBOX))
        for name, password in sorted(consumers.items())
    ]
    # No `no_auth_user`: a connection without credentials is refused.
    return "authorization {\n  users = [\n" + ",\n".join(users) + "\n  ]\n}\n"
