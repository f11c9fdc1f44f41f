"""Credentials of the embedded stack: NATS identities per role, consumers, Redis password."""

from .authorization import render_authorization
from .bus_auth import BusAuth, with_userinfo, without_userinfo
from .consumer_registry import ConsumerNameError, ConsumerRegistry, check_consumer_name
from .stack_secrets import IDENTITIES, StackSecrets, load_or_create_secrets

__all__ = [
    "IDENTITIES",
    "BusAuth",
    "ConsumerNameError",
    "ConsumerRegistry",
    "StackSecrets",
    "check_consumer_name",
    "load_or_create_secrets",
    "render_authorization",
    "with_userinfo",
    "without_userinfo",
]
