"""Deployables stay apart: what each package may import of the workspace's others.

- A service imports no other service and not the launcher (its image carries neither).
- A library (libs/*) imports no service; the domain imports only itself.
- The SDK (clients/python) imports nothing of the server side: users install it alone.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = {"pq_gateway", "pq_ingest_history", "pq_ingest_stream", "pq_bar_builder", "pq_query"}
WORKSPACE = SERVICES | {
    "pq_domain", "pq_runtime", "pq_tradingview", "pq_launcher", "pq_tvsim", "pq_loadgen",
    "pocketquant",
}  # fmt: skip
ALLOWED: dict[str, set[str]] = {
    **{s: {"pq_domain", "pq_runtime", "pq_tradingview"} for s in SERVICES},
    "pq_domain": set(),
    "pq_runtime": {"pq_domain"},
    "pq_tradingview": {"pq_domain"},
    "pq_launcher": {"pq_domain", "pq_runtime"},
    "pq_tvsim": {"pq_domain", "pq_tradingview"},  # speaks the client's framing
    "pq_loadgen": set(),
    "pocketquant": set(),
}


def packages() -> list[Path]:
    found = [p for p in ROOT.glob("*/*/src/*") if p.is_dir() and p.name in WORKSPACE]
    found += [p for p in ROOT.glob("clients/*/src/*") if p.is_dir() and p.name in WORKSPACE]
    return sorted(set(found))


def imported_workspace_packages(package: Path) -> dict[str, set[str]]:
    """Other workspace packages imported anywhere in `package` -> the files importing each."""
    found: dict[str, set[str]] = {}
    for file in package.rglob("*.py"):
        for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            for name in names:
                top = name.split(".")[0]
                if top in WORKSPACE and top != package.name:
                    found.setdefault(top, set()).add(str(file.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("package", packages(), ids=lambda p: p.name)
def test_a_package_imports_only_what_its_layer_allows(package: Path) -> None:
    forbidden = {
        name: sorted(files)
        for name, files in imported_workspace_packages(package).items()
        if name not in ALLOWED[package.name]
    }
    assert forbidden == {}, f"{package.name} must not import these: {forbidden}"


def test_every_workspace_package_is_checked() -> None:
    assert {p.name for p in packages()} >= WORKSPACE - {"pocketquant"}
