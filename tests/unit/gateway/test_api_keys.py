"""API key format, hashing and scope ranks (pure)."""

from __future__ import annotations

from pq_gateway.auth.keys import ApiKeyRecord, Scope, granted, hash_key, key_id_of, new_key


def test_a_new_key_carries_its_id_and_a_long_secret() -> None:
    key_id, key = new_key()
    assert key_id_of(key) == key_id
    assert key.startswith(f"pq_{key_id}_")
    assert len(key.split("_", 2)[2]) >= 43  # 256 bits, url-safe base64


def test_malformed_keys_have_no_id() -> None:
    for text in ["", "pq_", "pq_xyz_secret", "sk_0123456789abcdef_s", "pq_0123456789ABCDEF_s"]:
        assert key_id_of(text) is None


def test_the_hash_depends_on_the_pepper() -> None:
    _, key = new_key()
    assert hash_key(key, "a") != hash_key(key, "b")
    assert hash_key(key, "a") == hash_key(key, "a")


def test_scopes_are_ranked() -> None:
    assert granted((Scope.READ,)) == {Scope.READ}
    assert granted((Scope.WRITE,)) == {Scope.READ, Scope.WRITE}
    assert granted((Scope.ADMIN,)) == set(Scope)


def test_records_round_trip() -> None:
    record = ApiKeyRecord("0123456789abcdef", "ci", (Scope.READ, Scope.WRITE), "ab", 1, None)
    assert ApiKeyRecord.from_payload(record.to_payload()) == record
    assert not record.revoked(5).active
