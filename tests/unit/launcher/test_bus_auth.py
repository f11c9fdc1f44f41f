"""The embedded stack's credentials: created once, owner-only, never in a printable URL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pq_launcher.bus_auth import (
    IDENTITIES,
    BusAuth,
    ConsumerNameError,
    with_userinfo,
    without_userinfo,
)


def test_first_start_creates_one_password_per_identity_owner_only(tmp_path: Path) -> None:
    auth = BusAuth(tmp_path)
    first = auth.secrets()
    assert set(first.nats) == set(IDENTITIES)
    assert len(set(first.nats.values())) == len(IDENTITIES)  # all different
    assert auth.secrets_path.stat().st_mode & 0o077 == 0
    assert auth.secrets() == first  # reused on every later start


def test_the_rendered_config_names_every_identity_and_no_anonymous_user(tmp_path: Path) -> None:
    auth = BusAuth(tmp_path)
    auth.consumers.add("analytics")
    text = auth.render_nats()
    for identity in (*IDENTITIES, "analytics"):
        assert f'user: "{identity}"' in text
    assert "no_auth_user" not in text


def test_consumers_are_added_once_listed_and_removed(tmp_path: Path) -> None:
    registry = BusAuth(tmp_path).consumers
    password, new = registry.add("analytics")
    assert new
    assert registry.add("analytics") == (password, False)
    assert json.loads(registry.path.read_text()) == {"analytics": password}
    assert registry.path.stat().st_mode & 0o077 == 0
    assert registry.remove("analytics")
    assert not registry.remove("analytics")


@pytest.mark.parametrize("name", ["", "Upper", "with.dot", "a*", "gateway", "admin", "x" * 64])
def test_a_consumer_name_that_nats_or_the_stack_cannot_take_is_refused(
    tmp_path: Path, name: str
) -> None:
    with pytest.raises(ConsumerNameError):
        BusAuth(tmp_path).consumers.add(name)


def test_urls_carry_or_shed_credentials() -> None:
    url = with_userinfo("nats://127.0.0.1:4222", "gateway", "p@ss/word")
    assert url == "nats://gateway:p%40ss%2Fword@127.0.0.1:4222"
    assert without_userinfo(url) == "nats://127.0.0.1:4222"
    assert without_userinfo("redis://:secret@127.0.0.1:6379/0") == "redis://127.0.0.1:6379/0"


def test_every_node_of_a_cluster_url_carries_the_identity(tmp_path: Path) -> None:
    auth = BusAuth(tmp_path)
    urls = auth.nats_url_as("nats://127.0.0.1:1,nats://127.0.0.1:2", "admin").split(",")
    assert [without_userinfo(u) for u in urls] == ["nats://127.0.0.1:1", "nats://127.0.0.1:2"]
    assert all(u.startswith("nats://admin:") for u in urls)
