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


async def test_a_public_https_address_is_accepted() -> None:
    await check_url("https://93.184.216.34:8443/hook", allow_private=False)


async def test_development_allows_private_and_http() -> None:
    await check_url("http://127.0.0.1:9999/hook", allow_private=True)


@pytest.mark.parametrize("url", ["https://93.184.216.34:99999/hook", "https://[::1/hook"])
@pytest.mark.parametrize("allow_private", [False, True])
async def test_an_unparseable_url_is_refused_not_a_crash(url: str, allow_private: bool) -> None:
    with pytest.raises(UnsafeUrl, match="not a usable URL"):
        await check_url(url, allow_private=allow_private)
