"""Where Client() connects: arguments, PQ_URL/PQ_API_KEY, then the local stack's files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from pocketquant.settings import DEFAULT_URL, resolve


def local_stack(data_dir: Path, url: str = "http://127.0.0.1:18999", key: str = "pq_dev") -> None:
    data_dir.mkdir(parents=True)
    record = {"launcher_pid": 1, "data_dir": str(data_dir), "endpoints": {"gateway_url": url}}
    (data_dir / "stack.json").write_text(json.dumps(record))
    (data_dir / "dev-api-key").write_text(key + "\n")


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("PQ_URL", "PQ_API_KEY", "PQ_DATA_DIR"):
        monkeypatch.delenv(name, raising=False)


def test_pq_url_and_api_key_win(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    local_stack(tmp_path / ".pq")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PQ_URL", "https://pq.example.test/")
    monkeypatch.setenv("PQ_API_KEY", "pq_secret")
    connection = resolve()
    assert (connection.url, connection.api_key) == ("https://pq.example.test", "pq_secret")
    assert "pq_secret" not in repr(connection)


def test_arguments_win_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PQ_URL", "http://env.test")
    monkeypatch.setenv("PQ_API_KEY", "env-key")
    connection = resolve("http://arg.test", "arg-key")
    assert (connection.url, connection.api_key) == ("http://arg.test", "arg-key")


def test_the_dev_key_is_never_sent_to_another_gateway(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    local_stack(tmp_path / ".pq")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PQ_URL", "https://pq.example.test")
    assert (resolve().url, resolve().api_key) == ("https://pq.example.test", None)
    monkeypatch.setenv("PQ_URL", "http://127.0.0.1:18999/")
    assert resolve().api_key == "pq_dev", "the local stack's own URL still gets its key"


def test_the_local_stack_is_found_from_a_subfolder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    local_stack(tmp_path / ".pq")
    (tmp_path / "notebooks" / "deep").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks" / "deep")
    connection = resolve()
    assert (connection.url, connection.api_key) == ("http://127.0.0.1:18999", "pq_dev")


def test_pq_data_dir_points_at_another_stack(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    local_stack(tmp_path / "elsewhere", url="http://127.0.0.1:28000", key="other")
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PQ_DATA_DIR", str(tmp_path / "elsewhere"))
    connection = resolve()
    assert (connection.url, connection.api_key) == ("http://127.0.0.1:28000", "other")


def test_no_stack_and_no_settings_means_the_default_gateway_without_a_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PQ_DATA_DIR", str(tmp_path / "none"))
    assert (resolve().url, resolve().api_key) == (DEFAULT_URL, None)


def test_the_sdk_and_its_cli_import_no_server_package() -> None:
    code = (
        "import sys, pocketquant, pocketquant.cli; "
        "print([m for m in sys.modules if m.startswith('pq_')])"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
