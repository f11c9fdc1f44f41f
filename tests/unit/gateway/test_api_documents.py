"""The API documents: generated from code, committed under docs/, and never drifting."""

from __future__ import annotations

from pathlib import Path

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
