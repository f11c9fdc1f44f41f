"""Loopback-only targets, the request mix's parsing and paths, the CLI's refusals."""

from __future__ import annotations

import pytest
from pq_loadgen.cli import main
from pq_loadgen.mix import RequestKind, RequestMix, parse_kinds
from pq_loadgen.targets import TargetRefused, check_target


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "http://127.3.4.5", "http://localhost:1/", "http://[::1]:8080"],
)
def test_loopback_targets_are_allowed(url: str) -> None:
    assert check_target(url, allow_remote=False) == url.rstrip("/")


@pytest.mark.parametrize(
    "url", ["http://10.0.0.1", "https://api.example.com", "http://127.0.0.1.nip.io"]
)
def test_remote_targets_need_the_flag(url: str) -> None:
    with pytest.raises(TargetRefused, match="allow-remote"):
        check_target(url, allow_remote=False)
    assert check_target(url, allow_remote=True) == url


@pytest.mark.parametrize("url", ["ftp://127.0.0.1", "127.0.0.1:8080", "http://"])
def test_malformed_base_urls_are_refused(url: str) -> None:
    with pytest.raises(TargetRefused):
        check_target(url, allow_remote=True)


def test_cli_refuses_remote_target_before_sending(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--base-url", "http://192.0.2.1:8080", "--duration", "1"]) == 2
    assert "refusing non-loopback" in capsys.readouterr().err


def test_parse_kinds() -> None:
    assert parse_kinds("bars=6, quote=3,health") == [
        RequestKind("bars", 6),
        RequestKind("quote", 3),
        RequestKind("health", 1),
    ]
    for bad in ("webhooks=1", "bars=x", "bars=-1"):
        with pytest.raises(ValueError):  # noqa: PT011 - messages differ per case
            parse_kinds(bad)


def test_mix_needs_a_positive_weight() -> None:
    with pytest.raises(ValueError, match="positive weight"):
        RequestMix([RequestKind("bars", 0)])


def test_paths() -> None:
    mix = RequestMix([RequestKind("bars", 1)], interval="1h", limit=1000)
    assert mix.path_of("bars", "NYSE:BRK.B") == (
        "/v1/bars?symbol=NYSE%3ABRK.B&interval=1h&limit=1000"
    )
    assert mix.path_of("quote", "CME_MINI:ES1!") == "/v1/quotes/CME_MINI:ES1%21"
    assert mix.path_of("health", "X:Y") == "/health"


def test_same_seed_same_sequence() -> None:
    kinds = parse_kinds("bars=1,quote=1,health=1")
    a = RequestMix(kinds, symbols=["A:B", "C:D"], seed=5)
    b = RequestMix(kinds, symbols=["A:B", "C:D"], seed=5)
    assert [a.next_request() for _ in range(50)] == [b.next_request() for _ in range(50)]
