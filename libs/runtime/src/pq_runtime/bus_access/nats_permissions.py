"""A Role as nats-server permissions: publish and subscribe allow/deny lists.

JetStream is driven by requests on `$JS.API.>`; each grant names the stream (and, where the
API has one, the consumer) so a role reaches only its own streams. KV bucket B is stream
KV_B written through `$KV.B.>`. Replies arrive on the role's private inbox prefix.
"""

from __future__ import annotations

from dataclasses import dataclass

from pq_domain.buckets import ALL_BUCKETS

from .roles import CONTRACT_STREAMS, Role, owned_durables

JS_API = "$JS.API"


@dataclass(frozen=True, slots=True)
class Permissions:
    publish_allow: tuple[str, ...]
    publish_deny: tuple[str, ...]
    subscribe_allow: tuple[str, ...]
    subscribe_deny: tuple[str, ...]


def kv_stream(bucket: str) -> str:
    return f"KV_{bucket}"


def stream_read_subjects(
    stream: str, *, delete_consumers: bool, unnamed_consumers: bool = True
) -> list[str]:
    """Inspect a stream, create/read/ack its consumers, get messages (direct or by sequence)."""
    subjects = [
        f"{JS_API}.STREAM.INFO.{stream}",
        f"{JS_API}.STREAM.MSG.GET.{stream}",
        f"{JS_API}.DIRECT.GET.{stream}",
        f"{JS_API}.DIRECT.GET.{stream}.>",
        *([f"{JS_API}.CONSUMER.CREATE.{stream}"] if unnamed_consumers else []),
        f"{JS_API}.CONSUMER.CREATE.{stream}.>",
        f"{JS_API}.CONSUMER.DURABLE.CREATE.{stream}.*",
        f"{JS_API}.CONSUMER.INFO.{stream}.*",
        f"{JS_API}.CONSUMER.MSG.NEXT.{stream}.*",
        f"$JS.ACK.{stream}.>",
        f"$JS.FC.{stream}.>",
    ]
    if delete_consumers:
        subjects += [
            f"{JS_API}.CONSUMER.DELETE.{stream}.*",
            f"{JS_API}.CONSUMER.LIST.{stream}",
            f"{JS_API}.CONSUMER.NAMES.{stream}",
        ]
    return subjects


def stream_manage_subjects(stream: str) -> list[str]:
    """Ensure a stream's configuration (create, update); deleting one is nobody's role."""
    return [f"{JS_API}.STREAM.CREATE.{stream}", f"{JS_API}.STREAM.UPDATE.{stream}"]


def _foreign_durables(role: Role) -> list[str]:
    """Our services' durables on the streams this role reads, unless the role owns them."""
    own = set(role.durables)
    denied = []
    for stream in role.streams:
        for durable in owned_durables(stream):
            if (stream, durable) in own:
                continue
            # `*` is one token: the two-token verbs (MSG.NEXT, DURABLE.CREATE) are named.
            denied += [
                f"{JS_API}.CONSUMER.*.{stream}.{durable}",
                f"{JS_API}.CONSUMER.*.{stream}.{durable}.>",
                f"{JS_API}.CONSUMER.MSG.NEXT.{stream}.{durable}",
                f"{JS_API}.CONSUMER.DURABLE.CREATE.{stream}.{durable}",
                f"$JS.ACK.{stream}.{durable}.>",
            ]
    return denied


def role_permissions(role: Role, *, inbox: str | None = None) -> Permissions:
    """`inbox`: the reply subjects the role may subscribe (default its private prefix)."""
    allow = [f"{JS_API}.INFO", f"{JS_API}.STREAM.NAMES", *role.publishes]
    for stream in role.streams:
        allow += stream_read_subjects(
            stream,
            delete_consumers=role.may_delete_consumers,
            unnamed_consumers=role.unnamed_consumers,
        )
    for stream in role.manages:
        allow += [f"{JS_API}.STREAM.INFO.{stream}", *stream_manage_subjects(stream)]
    for bucket in (*role.reads_buckets, *role.writes_buckets):
        allow += stream_read_subjects(kv_stream(bucket), delete_consumers=True)
    for bucket in role.writes_buckets:
        allow += [
            f"$KV.{bucket}.>",
            f"{JS_API}.STREAM.PURGE.{kv_stream(bucket)}",
            *stream_manage_subjects(kv_stream(bucket)),
        ]
    deny = [
        f"{JS_API}.STREAM.DELETE.>",
        *(f"{JS_API}.STREAM.PURGE.{s}" for s in CONTRACT_STREAMS),
        *_foreign_durables(role),
    ]
    own_buckets = {*role.reads_buckets, *role.writes_buckets}
    subscribe_deny = [f"$KV.{b}.>" for b in ALL_BUCKETS if b not in own_buckets]
    return Permissions(
        publish_allow=tuple(dict.fromkeys(allow)),
        publish_deny=tuple(deny),
        subscribe_allow=(inbox or f"{role.inbox_prefix}.>", *role.subscribes),
        subscribe_deny=tuple(subscribe_deny),
    )
