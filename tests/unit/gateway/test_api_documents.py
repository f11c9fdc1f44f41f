"""The API documents: generated from code, committed under docs/, and never drifting."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pq_domain import subjects
from pq_gateway.docs.asyncapi import CHANNELS, asyncapi_document
from pq_gateway.docs.event_schemas import payload_schema, sample
from pq_gateway.docs_export import documents

DOCS = Path(__file__).resolve().parents[3] / "docs"


@pytest.mark.parametrize("name", ["openapi.json", "asyncapi.json"])
def test_committed_documents_match_the_code(name: str) -> None:
    generated = documents()[name]
    committed = (DOCS / name).read_text(encoding="utf-8")
    assert committed == generated, f"docs/{name} drifted: run python -m pq_gateway.docs_export"


def test_every_subject_family_has_a_channel() -> None:
    addresses = [c.address for c in CHANNELS]
    for wildcard in (
        subjects.QUOTES_ALL,
        subjects.BARS_SYNCED_ALL,
        subjects.BARS_COMPLETED_ALL,
        subjects.SYMBOLS_META_ALL,
        subjects.LIVE_BARS_ALL,
    ):
        assert any(a.startswith(wildcard.removesuffix(">")) for a in addresses), wildcard
    assert subjects.SYNC_COMMAND in addresses
    assert subjects.SYNC_JOB_EVENTS in addresses


@pytest.mark.parametrize("event", sorted({e for c in CHANNELS for e in c.events}, key=str))
def test_payload_schemas_accept_real_payloads(event: type) -> None:
    jsonschema.validate(sample(event).to_payload(), payload_schema(event))


def test_the_document_is_asyncapi_3() -> None:
    document = asyncapi_document()
    assert document["asyncapi"].startswith("3.")
    for channel in document["channels"].values():
        for ref in channel["messages"].values():
            assert ref["$ref"].split("/")[-1] in document["components"]["messages"]


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    document = json.loads(documents()["openapi.json"])
    return [
        (method, path, op) for path, ops in document["paths"].items() for method, op in ops.items()
    ]


def test_every_operation_is_named_tagged_and_described() -> None:
    ids = [op["operationId"] for _, _, op in _operations()]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[a-z]+(?:[A-Z][a-z]+)*", i) for i in ids), ids
    assert {"listBars", "createSyncJob", "getSyncJob", "listSyncJobs", "getQuote",
            "listSymbols"} <= set(ids)  # fmt: skip
    for _, path, op in _operations():
        assert op["tags"], path
        assert len(op["description"]) > 20, path


def test_response_headers_are_declared() -> None:
    by_key = {(m, p): op for m, p, op in _operations()}
    for (_, path), op in by_key.items():
        for status, answer in op["responses"].items():
            assert "X-Correlation-ID" in answer["headers"], (path, status)
            if status in ("429", "503"):
                assert "Retry-After" in answer["headers"], (path, status)
    created = by_key[("post", "/v1/sync")]["responses"]["202"]["headers"]
    assert {"Location", "Idempotent-Replayed", "RateLimit", "RateLimit-Policy"} <= set(created)
    bars = by_key[("get", "/v1/bars")]["responses"]
    assert "Pq-Coverage" in bars["200"]["headers"]
    assert "application/vnd.apache.arrow.stream" in bars["200"]["content"]
    assert "406" in bars


def test_every_event_field_is_described_and_every_message_has_a_valid_example() -> None:
    document = asyncapi_document()
    schemas = document["components"]["schemas"]
    for name, message in document["components"]["messages"].items():
        schema = schemas[name]
        for field, prop in schema["properties"].items():
            assert prop.get("description"), f"{name}.{field}"
        (example,) = message["examples"]
        jsonschema.validate(example["payload"], schema)
        assert example["headers"]["Pq-Event-Type"] == name
    times = schemas["SyncJobProgressed"]["properties"]["at"]["description"]
    assert "epoch milliseconds" in times
    assert {"embedded", "production"} <= set(document["servers"])
