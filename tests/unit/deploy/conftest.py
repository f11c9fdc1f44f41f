"""Fixtures for the static deployment checks: repository paths and built overlays."""

from __future__ import annotations

import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parents[3]
K8S_DIR = REPO_ROOT / "deploy" / "k8s"
OVERLAYS = ("dev", "prod")


@dataclass(frozen=True)
class BuiltOverlay:
    """`kubectl kustomize` output of one overlay, built with freshly made secret files."""

    name: str
    objects: list[dict[str, Any]]
    secret_files: dict[str, str]  # file name in <overlay>/secrets -> content

    def of_kind(self, kind: str) -> list[dict[str, Any]]:
        return [o for o in self.objects if o["kind"] == kind]

    def get(self, kind: str, name: str) -> dict[str, Any]:
        found = [o for o in self.of_kind(kind) if o["metadata"]["name"] == name]
        assert len(found) == 1, f"{self.name}: expected one {kind}/{name}, found {len(found)}"
        return found[0]


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def kubectl() -> str:
    path = shutil.which("kubectl")
    if path is None:
        pytest.skip("kubectl is not installed: the kustomize overlays cannot be built here")
    return path


def kustomize_build(kubectl: str, overlay_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [kubectl, "kustomize", str(overlay_dir)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="session")
def k8s_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """deploy/k8s copied without any local secrets/ folders, so builds never see them."""
    target = tmp_path_factory.mktemp("k8s") / "k8s"
    shutil.copytree(K8S_DIR, target, ignore=shutil.ignore_patterns("secrets"))
    return target


@pytest.fixture(scope="session")
def built_overlays(kubectl: str, k8s_copy: Path) -> dict[str, BuiltOverlay]:
    """Each overlay built the documented way: make_secrets.py, then `kubectl kustomize`."""
    built = {}
    for name in OVERLAYS:
        overlay = k8s_copy / "overlays" / name
        subprocess.run(
            [sys.executable, str(k8s_copy / "make_secrets.py"), str(overlay)],
            check=True,
            capture_output=True,
        )
        result = kustomize_build(kubectl, overlay)
        assert result.returncode == 0, f"kubectl kustomize {name} failed:\n{result.stderr}"
        objects = [o for o in yaml.safe_load_all(result.stdout) if o]
        secret_files = {p.name: p.read_text() for p in (overlay / "secrets").iterdir()}
        built[name] = BuiltOverlay(name=name, objects=objects, secret_files=secret_files)
    return built


@pytest.fixture(params=OVERLAYS)
def overlay(
    request: pytest.FixtureRequest, built_overlays: dict[str, BuiltOverlay]
) -> BuiltOverlay:
    return built_overlays[request.param]
