"""No credential reaches a log line, in console or JSON mode, from structlog or the
standard library, in fields, messages or tracebacks (which show no local variables)."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog

from pq_runtime.telemetry import configure_logging
from pq_runtime.telemetry.redaction import redact_text

API_KEY = "pq_0123456789abcdef_S3cretS3cretS3cretS3cretS3cretS3cret1234"
WEBHOOK_SECRET = "whsec_c2VjcmV0LXNpZ25pbmcta2V5LWZvci10ZXN0cw"
MONGO_URL = "mongodb://pq:m0ngoPa55@db-0.mongo:27017,db-1.mongo:27017/pq?replicaSet=rs0"
REDIS_URL = "redis://:r3disPa55@127.0.0.1:16379/0"
TV_FRAME = '~m~52~m~{"m":"set_auth_token","p":["eyJhbGciOiJIUzI1NiJ9.eyJ1IjoxfQ.c2ln"]}'
SECRETS = ("S3cretS3cret", "c2VjcmV0LXNpZ25pbmc", "m0ngoPa55", "r3disPa55", "eyJ1IjoxfQ", "tvPa55")


@pytest.fixture(params=[False, True], ids=["console", "json"])
def logging_mode(request: pytest.FixtureRequest) -> Iterator[bool]:
    configure_logging("INFO", json=request.param, service="security-test")
    yield request.param
    configure_logging("INFO", json=True, service=None)


def _fail_with_key_in_locals(api_key: str) -> None:
    headers = {"authorization": f"Bearer {api_key}"}  # noqa: F841 - a local in the traceback
    raise RuntimeError("upstream refused the request")


def test_credentials_are_masked_everywhere(
    logging_mode: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    log = structlog.get_logger("security")
    log.info("store connected", url=MONGO_URL, redis=REDIS_URL)
    log.info("request", headers={"Authorization": f"Bearer {API_KEY}", "X-API-Key": API_KEY})
    log.info(f"webhook registered with {WEBHOOK_SECRET}", password="tvPa55", token="tvPa55")
    log.info("tradingview frame", frame=TV_FRAME)
    logging.getLogger("aiohttp.client").warning("connecting to %s with key %s", MONGO_URL, API_KEY)
    try:
        _fail_with_key_in_locals(API_KEY)
    except RuntimeError:
        log.exception("request failed")
        logging.getLogger("uvicorn.error").exception("Exception in ASGI application")
    err = capsys.readouterr().err
    for secret in SECRETS:
        assert secret not in err, f"{secret!r} reached the log:\n{err}"
    assert "mongodb://pq:***@db-0.mongo" in err
    assert "pq_0123456789abcdef_***" in err  # the public key id stays, for support
    assert "upstream refused the request" in err  # the traceback itself is still there
    assert "_fail_with_key_in_locals" in err


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("mongodb+srv://u:p%40ss@cluster0.x.net/db", "mongodb+srv://u:***@cluster0.x.net/db"),
        ("nats://gateway:s3cr3t@127.0.0.1:14222", "nats://gateway:***@127.0.0.1:14222"),
        ("Authorization: Basic dXNlcjpwYXNz", "Authorization: Basic ***"),
        ('{"password": "hunter2"}', '{"password": "***"}'),
        ("api_key=abc123&x=1", "api_key=***&x=1"),
    ],
)
def test_redaction_of_texts(text: str, masked: str) -> None:
    assert redact_text(text) == masked


def test_ordinary_texts_are_left_alone() -> None:
    for text in ("GET /v1/bars?symbol=NASDAQ:AAPL", "https://example.com/hooks", "key_id=abc"):
        assert redact_text(text) == text
