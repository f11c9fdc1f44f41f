"""Webhook URLs: only https to public addresses, unless private ones are allowed."""

from __future__ import annotations

import pytest

from pq_gateway.webhooks.url_guard import UnsafeUrl, check_url


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://192.168.0.10/hook",
        "https://172.16.5.4/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[::ffff:10.0.0.1]/hook",
        "https://0.0.0.0/hook",
    ],
)
async def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl, match="non-public"):
        await check_url(url, allow_private=False)


@pytest.mark.parametrize(
    "url", ["http://93.184.216.34/hook", "ftp://93.184.216.34/x", "https://user:pw@93.184.216.34/"]
)
async def test_plain_http_other_schemes_and_credentials_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl):
        await check_url(url, allow_private=False)


async def test_a_public_https_address_is_accepted_and_pinned() -> None:
    target = await check_url("https://93.184.216.34/hook?x=1", allow_private=False)
    assert target.address == "93.184.216.34"
    assert target.pinned_url() == "https://93.184.216.34:443/hook?x=1"
    assert target.host_header == "93.184.216.34"


@pytest.mark.parametrize(
    "url",
    [
        "https://[64:ff9b::7f00:1]/hook",  # NAT64 of 127.0.0.1
        "https://[64:ff9b::a9fe:a9fe]/latest/meta-data",  # NAT64 of 169.254.169.254
        "https://[64:ff9b:1::a00:1]/hook",  # local-use NAT64 prefix
        "https://[2002:7f00:1::]/hook",  # 6to4 of 127.0.0.1
        "https://[2002:a9fe:a9fe::1]/hook",  # 6to4 of 169.254.169.254
        "https://[::127.0.0.1]/hook",  # IPv4-compatible loopback
        "https://[::a9fe:a9fe]/hook",  # IPv4-compatible metadata address
        "https://[2001:0:4136:e378:8000:63bf:3fff:fdd2]/hook",  # Teredo, documentation client
    ],
)
async def test_ipv6_forms_of_inside_addresses_are_refused(url: str) -> None:
    with pytest.raises(UnsafeUrl, match="non-public"):
        await check_url(url, allow_private=False)


async def test_a_nat64_form_of_a_public_address_is_accepted() -> None:
    await check_url("https://[64:ff9b::5db8:d822]/hook", allow_private=False)


async def test_only_port_443_by_default_and_others_when_configured() -> None:
    with pytest.raises(UnsafeUrl, match="PQ_WEBHOOKS_ALLOWED_PORTS"):
        await check_url("https://93.184.216.34:8443/hook", allow_private=False)
    with pytest.raises(UnsafeUrl, match="PQ_WEBHOOKS_ALLOWED_PORTS"):
        await check_url("https://93.184.216.34:6379/hook", allow_private=False)
    target = await check_url(
        "https://93.184.216.34:8443/hook", allow_private=False, allowed_ports=(443, 8443)
    )
    assert target.pinned_url() == "https://93.184.216.34:8443/hook"
    assert target.host_header == "93.184.216.34:8443"


async def test_a_named_host_is_pinned_to_the_address_it_resolved_to() -> None:
    target = await check_url("http://localhost:9999/h", allow_private=True)
    assert target.address in ("127.0.0.1", "::1")
    assert target.host == "localhost"
    assert target.host_header == "localhost:9999"
    assert "localhost" not in target.pinned_url()


async def test_development_allows_private_and_http() -> None:
    await check_url("http://127.0.0.1:9999/hook", allow_private=True)


@pytest.mark.parametrize("url", ["https://93.184.216.34:99999/hook", "https://[::1/hook"])
@pytest.mark.parametrize("allow_private", [False, True])
async def test_an_unparseable_url_is_refused_not_a_crash(url: str, allow_private: bool) -> None:
    with pytest.raises(UnsafeUrl, match="not a usable URL"):
        await check_url(url, allow_private=allow_private)
