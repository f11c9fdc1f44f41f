"""Who may use the bus: roles (one table) and the nats-server permissions derived from it."""

from pq_domain.buckets import ALL_BUCKETS

from .nats_permissions import Permissions, kv_stream, role_permissions
from .roles import (
    ADMIN,
    CONSUMER_STREAMS,
    SERVICE_ROLES,
    Role,
    consumer_role,
    service_role,
)

__all__ = [
    "ADMIN",
    "ALL_BUCKETS",
    "CONSUMER_STREAMS",
    "SERVICE_ROLES",
    "Permissions",
    "Role",
    "consumer_role",
    "kv_stream",
    "role_permissions",
    "service_role",
]
