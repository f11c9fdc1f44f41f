"""No secret value lives in git: Secrets are generated from files that are ignored,
made by deploy/k8s/make_secrets.py, and every value in the build comes from them."""

from __future__ import annotations

import base64
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.unit.deploy.conftest import K8S_DIR, OVERLAYS, REPO_ROOT, BuiltOverlay


def _committed_yaml() -> list[Path]:
    return sorted(K8S_DIR.rglob("*.yaml"))


def _env_file(text: str) -> dict[str, str]:
    return dict(line.split("=", 1) for line in text.splitlines() if line and "=" in line)


def test_no_secret_object_is_written_in_the_manifests() -> None:
    for path in _committed_yaml():
        for doc in yaml.safe_load_all(path.read_text()):
            if isinstance(doc, dict) and doc.get("kind") == "Secret":
                pytest.fail(f"{path}: a Secret object in git")


def test_secret_generators_read_only_from_the_ignored_secrets_folder() -> None:
    generators = 0
    for overlay in OVERLAYS:
        path = K8S_DIR / "overlays" / overlay / "kustomization.yaml"
        kustomization = yaml.safe_load(path.read_text())
        for gen in kustomization.get("secretGenerator", []):
            generators += 1
            assert "literals" not in gen, f"{overlay}: {gen['name']} has literal values"
            sources = [*gen.get("envs", []), *(f.split("=")[-1] for f in gen.get("files", []))]
            assert sources
            assert all(s.startswith("secrets/") for s in sources), sources
    base = yaml.safe_load((K8S_DIR / "base" / "kustomization.yaml").read_text())
    assert "secretGenerator" not in base
    assert generators == 3 * len(OVERLAYS)  # pq-secrets, pq-nats-identities, mongo-secrets


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_ignores_the_secret_files() -> None:
    if not (REPO_ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    for overlay in OVERLAYS:
        path = f"deploy/k8s/overlays/{overlay}/secrets/pq-secrets.env"
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", path], cwd=REPO_ROOT, check=False
        ).returncode
        assert ignored == 0, f"{path} is not ignored by git"
        tracked = subprocess.run(
            ["git", "ls-files", f"deploy/k8s/overlays/{overlay}/secrets"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert tracked == "", f"committed secret files: {tracked}"


def test_built_secrets_hold_exactly_the_generated_values(overlay: BuiltOverlay) -> None:
    generated = {
        **_env_file(overlay.secret_files["pq-secrets.env"]),
        **_env_file(overlay.secret_files["mongo-secrets.env"]),
        **_env_file(overlay.secret_files["nats-identities.env"]),
        "keyfile": overlay.secret_files["mongo-keyfile"],
    }
    seen = {}
    for secret in overlay.of_kind("Secret"):
        assert "stringData" not in secret
        for key, value in secret["data"].items():
            seen[key] = base64.b64decode(value).decode()
    assert seen == generated
    committed = "\n".join(p.read_text() for p in K8S_DIR.rglob("*") if p.is_file())
    for key, value in seen.items():
        if key != "root-username":  # a user name, not a secret
            assert value.strip() not in committed, f"{key} is committed"


def test_make_secrets_keeps_rotates_or_forces_values(tmp_path: Path) -> None:
    overlay = tmp_path / "overlay"
    overlay.mkdir()
    (overlay / "kustomization.yaml").write_text("resources: []\n")
    command = [sys.executable, str(K8S_DIR / "make_secrets.py"), str(overlay)]

    def make(*extra: str) -> None:
        subprocess.run([*command, *extra], check=True, capture_output=True)

    make()
    first = (overlay / "secrets" / "pq-secrets.env").read_text()
    make()
    assert (overlay / "secrets" / "pq-secrets.env").read_text() == first
    make("--force")
    rotated = (overlay / "secrets" / "pq-secrets.env").read_text()
    assert rotated != first
    assert set(_env_file(rotated)) == {"api-key-pepper", "mongodb-password", "redis-password"}
    assert (overlay / "secrets" / "pq-secrets.env").stat().st_mode & 0o077 == 0
    mongo = (overlay / "secrets" / "mongo-secrets.env").read_text()
    make("--rotate", "mongodb-password")
    after = _env_file((overlay / "secrets" / "pq-secrets.env").read_text())
    assert after["api-key-pepper"] == _env_file(rotated)["api-key-pepper"]
    assert after["mongodb-password"] != _env_file(rotated)["mongodb-password"]
    assert (overlay / "secrets" / "mongo-secrets.env").read_text() == mongo
