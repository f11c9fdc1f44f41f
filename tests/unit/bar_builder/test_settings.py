from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from pq_bar_builder.settings import BarBuilderSettings


def test_defaults(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("PQ_STORE_URL", raising=False)
    s = BarBuilderSettings(data_dir=tmp_path)
    assert s.http_port == 18094
    assert s.partition_count == 8
    assert s.static_partitions() is None  # leases
    assert s.store_url == f"sqlite:///{tmp_path}/data/bar-builder.db"


def test_partitions_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQ_PARTITIONS", "3, 0,1")
    assert BarBuilderSettings().static_partitions() == (0, 1, 3)


def test_statefulset_ordinal() -> None:
    s = BarBuilderSettings(instance_index=1, instance_count=3)
    assert s.static_partitions() == (1, 4, 7)


@pytest.mark.parametrize(
    "values",
    [
        {"partitions": (8,)},
        {"instance_index": 1},
        {"instance_index": 2, "instance_count": 2},
        {"lease_ttl_s": 4.0, "lease_renew_s": 3.0},
    ],
)
def test_refused(values: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        BarBuilderSettings(**values)  # type: ignore[arg-type]
