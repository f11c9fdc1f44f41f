"""Messaging: topology, outbox relay, reconciler, batch consumers with dead letters."""

from .connection import connect_nats, server_urls
from .consumer import BatchConsumer, BatchHandler
from .consumer_spec import ConsumerSpec
from .delivery import Delivery, PermanentError
from .known_schemas import KnownSchemas, UnknownSchema
from .outbox_port import OutboxSource
from .pull_subscription import ResilientPullSubscription
from .reconcile import ReconcileReport, reconcile
from .relay import OutboxRelay, RelaySettings
from .sync_command_publisher import SyncCommandPublisher
from .topology import TopologyError, TopologySettings, ensure_topology, topology_from

__all__ = [
    "BatchConsumer",
    "BatchHandler",
    "ConsumerSpec",
    "Delivery",
    "KnownSchemas",
    "OutboxRelay",
    "OutboxSource",
    "PermanentError",
    "ReconcileReport",
    "RelaySettings",
    "ResilientPullSubscription",
    "SyncCommandPublisher",
    "TopologyError",
    "TopologySettings",
    "UnknownSchema",
    "connect_nats",
    "ensure_topology",
    "reconcile",
    "server_urls",
    "topology_from",
]
