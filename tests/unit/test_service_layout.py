"""Every service names its folders by layer with one vocabulary (docs/architecture.md,
"Layers inside a service"), and its `model/` stays pure: no I/O library, no adapter,
handler or HTTP code of its own service."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SERVICES = sorted(p for p in ROOT.glob("services/*/src/pq_*") if p.is_dir())
LAYERS = {"model", "handlers", "adapters", "api", "assembly"}
# The gateway is an HTTP edge organised by feature: each feature folder holds its own
# rules, store and middleware; `edge/` the middleware every request passes.
GATEWAY_FEATURES = {"auth", "ratelimit", "idempotency", "streaming", "webhooks", "docs", "edge"}
IO_LIBRARIES = {
    "nats", "redis", "aiohttp", "httpx", "sqlite3", "pymongo", "motor", "fastapi",
    "starlette", "uvicorn", "socket", "websockets", "pq_tradingview",
}  # fmt: skip
NOT_IN_MODEL = {"adapters", "handlers", "api", "assembly", "bootstrap", "main", "resources"}


def folders(package: Path) -> set[str]:
    return {p.name for p in package.iterdir() if p.is_dir() and (p / "__init__.py").exists()}


def imported_modules(file: Path, package: str) -> set[str]:
    """Absolute names imported by `file`, relative imports resolved within `package`."""
    parts = file.relative_to(ROOT).parts
    here = list(parts[parts.index(package) : -1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(file.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            found.add(".".join([*base, *([node.module] if node.module else [])]))
    return found


def test_the_five_services_are_checked() -> None:
    assert len(SERVICES) == 5, SERVICES


@pytest.mark.parametrize("package", SERVICES, ids=lambda p: p.name)
def test_a_service_names_its_folders_by_layer(package: Path) -> None:
    allowed = LAYERS | (GATEWAY_FEATURES if package.name == "pq_gateway" else set())
    assert folders(package) - allowed == set()
    if package.name != "pq_gateway":
        assert {"model", "handlers", "adapters", "api"} <= folders(package)


@pytest.mark.parametrize("package", SERVICES, ids=lambda p: p.name)
def test_a_service_model_does_no_io(package: Path) -> None:
    bad: dict[str, set[str]] = {}
    for file in sorted((package / "model").rglob("*.py")):
        for name in imported_modules(file, package.name):
            top, _, rest = name.partition(".")
            layer = rest.split(".")[0] if top == package.name else ""
            if top in IO_LIBRARIES or layer in NOT_IN_MODEL:
                bad.setdefault(str(file.relative_to(package)), set()).add(name)
    assert bad == {}
