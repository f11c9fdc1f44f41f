"""The AsyncAPI 3.0 document of every subject and event, built from pq_domain.

Channels come from the subject table (pq_domain.subjects: the `*_ALL` wildcards become
`{exchange}.{code}[.{interval}]` addresses), each one's stream from ALL_STREAMS, and
message payloads from the event classes (event_schemas.py). Served at /asyncapi and
committed as docs/asyncapi.json (`python -m pq_gateway.docs_export`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pq_domain import subjects as s
from pq_domain.events import (
    JOB_LIFECYCLE_EVENTS,
    BarCompleted,
    BarSynced,
    BarUpdated,
    QuoteReceived,
    SymbolResolved,
    SyncRequested,
)

from .event_examples import EXAMPLES
from .event_schemas import payload_schema

SERVERS: dict[str, Any] = {
    "embedded": {
        "host": "127.0.0.1:14222",
        "protocol": "nats",
        "description": "`make up` on one machine (PQ_NATS_PORT); user and password per "
        "service, or a consumer identity from `pq consumers add NAME --json`",
    },
    "production": {
        "host": "nats.pocketquant.svc.cluster.local:4222",
        "protocol": "nats",
        "description": "The Kubernetes deployment (deploy/k8s): a three-node JetStream "
        "cluster (R3 streams) behind the `nats` Service. TLS and authenticated: each "
        "service has its own identity; other systems get a read-only consumer identity "
        "(`pq consumers add NAME --json` prints URL, credentials and CA)",
    },
}

_SYMBOL = ".{exchange}.{code}"
_MESSAGE_REF = "#/components/messages/"
_PARAMETERS = {
    "exchange": "The symbol's exchange, escaped as a subject token (see subject_tokens)",
    "code": "The symbol's code, escaped as a subject token (`.` -> `~2E`)",
    "interval": "Bar interval: 1m 5m 15m 1h 4h 1d 1w 1M",
    "stream": "The stream whose message failed",
}


@dataclass(frozen=True, slots=True)
class ChannelSpec:
    name: str
    address: str
    events: tuple[type, ...]
    description: str


def _under(wildcard: str, suffix: str) -> str:
    return wildcard.removesuffix(".>") + suffix


CHANNELS: tuple[ChannelSpec, ...] = (
    ChannelSpec("syncCommand", s.SYNC_COMMAND, (SyncRequested,), "Sync commands (work queue)"),
    ChannelSpec(
        "syncJobs",
        s.SYNC_JOB_EVENTS,
        JOB_LIFECYCLE_EVENTS,
        "Sync job lifecycle, in order per job",
    ),
    ChannelSpec("quotes", _under(s.QUOTES_ALL, _SYMBOL), (QuoteReceived,), "Live quotes"),
    ChannelSpec(
        "barsSynced",
        _under(s.BARS_SYNCED_ALL, _SYMBOL + ".{interval}"),
        (BarSynced,),
        "History fetched by sync jobs, chunked",
    ),
    ChannelSpec(
        "barsCompleted",
        _under(s.BARS_COMPLETED_ALL, _SYMBOL + ".{interval}"),
        (BarCompleted,),
        "Closed bars built from live quotes",
    ),
    ChannelSpec(
        "symbolsResolved", _under(s.SYMBOLS_META_ALL, _SYMBOL), (SymbolResolved,), "Symbol metadata"
    ),
    ChannelSpec(
        "liveBars",
        _under(s.LIVE_BARS_ALL, _SYMBOL + ".{interval}"),
        (BarUpdated,),
        "Provisional (forming) bars",
    ),
    ChannelSpec("deadLetters", s.dlq_subject("{stream}"), (), "Failed messages with their error"),
)


def stream_of(address: str) -> str | None:
    for stream in s.ALL_STREAMS:
        if any(address.startswith(subject.removesuffix(">")) for subject in stream.subjects):
            return stream.name
    return None


def _headers_schema() -> dict[str, Any]:
    text = {"type": "string"}
    return {
        "type": "object",
        "properties": {
            "Nats-Msg-Id": {**text, "description": "The event id (stream de-duplication)"},
            "Pq-Event-Type": {**text, "description": "The event class name"},
            "Pq-Schema-Version": {**text, "description": "The payload's schema version"},
            "X-Correlation-ID": {**text, "description": "The originating request's id"},
            "traceparent": {**text, "description": "W3C trace context"},
        },
        "required": ["Nats-Msg-Id", "Pq-Event-Type", "Pq-Schema-Version"],
    }


def _channel(spec: ChannelSpec) -> dict[str, Any]:
    stream = stream_of(spec.address)
    where = f"stream {stream}" if stream else "core NATS (not stored)"
    channel: dict[str, Any] = {
        "address": spec.address,
        "description": f"{spec.description}; {where}.",
        "messages": {
            e.__name__: {"$ref": f"#/components/messages/{e.__name__}"} for e in spec.events
        },
    }
    names = [n for n in _PARAMETERS if "{" + n + "}" in spec.address]
    if names:
        channel["parameters"] = {n: {"description": _PARAMETERS[n]} for n in names}
    return channel


def _message(event: type) -> dict[str, Any]:
    version = getattr(event, "SCHEMA_VERSION", 1)
    example = EXAMPLES[event]
    headers = {
        "Nats-Msg-Id": getattr(example, "event_id", "(core NATS: none)"),
        "Pq-Event-Type": event.__name__,
        "Pq-Schema-Version": str(version),
        "X-Correlation-ID": "req-7f3a9c",
        "traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    }
    return {
        "name": event.__name__,
        "title": event.__name__,
        "contentType": "application/json",
        "headers": {"$ref": "#/components/schemas/Headers"},
        "payload": {"$ref": f"#/components/schemas/{event.__name__}"},
        "x-schema-version": version,
        "examples": [{"name": event.__name__, "headers": headers, "payload": example.to_payload()}],
    }


def asyncapi_document() -> dict[str, Any]:
    events = sorted({e for c in CHANNELS for e in c.events}, key=lambda e: e.__name__)
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "PocketQuant events",
            "version": "1.0.0",
            "description": "Commands and events on NATS JetStream. Payloads are JSON with "
            "snake_case fields, times as epoch milliseconds UTC.",
        },
        "defaultContentType": "application/json",
        "servers": SERVERS,
        "channels": {c.name: _channel(c) for c in CHANNELS},
        "operations": {
            f"on{c.name[0].upper()}{c.name[1:]}": {
                "action": "receive",
                "channel": {"$ref": f"#/channels/{c.name}"},
                "summary": f"Consume {c.address}",
            }
            for c in CHANNELS
        },
        "components": {
            "messages": {e.__name__: _message(e) for e in events},
            "schemas": {
                "Headers": _headers_schema(),
                **{e.__name__: payload_schema(e) for e in events},
            },
        },
    }
