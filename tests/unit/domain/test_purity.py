"""The domain imports only the standard library (no I/O modules), itself and tzdata."""

import ast
import pathlib
import sys

import pytest

DOMAIN_SRC = pathlib.Path(__file__).resolve().parents[3] / "libs" / "domain" / "src"

# Standard-library modules that do I/O, concurrency or serialisation: they belong
# in the runtime and the services, never in the domain.
FORBIDDEN = {
    "asyncio", "socket", "ssl", "select", "selectors", "http", "urllib", "ftplib",
    "smtplib", "sqlite3", "dbm", "shelve", "pickle", "json", "csv", "io", "os",
    "pathlib", "shutil", "tempfile", "glob", "subprocess", "threading",
    "multiprocessing", "concurrent", "signal", "logging", "time", "random",
    "ctypes", "mmap", "fcntl", "sched", "queue", "webbrowser", "xml", "email",
}  # fmt: skip
ALLOWED_THIRD_PARTY = {"tzdata"}


def imported_modules(source: str) -> set[str]:
    """Top-level names of absolute imports in `source` (relative ones stay inside)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def violations(source: str) -> set[str]:
    bad = set()
    for name in imported_modules(source):
        if name == "pq_domain" or name in ALLOWED_THIRD_PARTY or name == "__future__":
            continue
        if name not in sys.stdlib_module_names or name in FORBIDDEN:
            bad.add(name)
    return bad


def test_the_domain_imports_nothing_impure() -> None:
    files = sorted(DOMAIN_SRC.rglob("*.py"))
    assert len(files) >= 15  # the walk really found the package
    found = {
        str(path.relative_to(DOMAIN_SRC)): bad
        for path in files
        if (bad := violations(path.read_text(encoding="utf-8")))
    }
    assert found == {}


def test_the_domain_uses_zoneinfo() -> None:
    sources = "".join(p.read_text(encoding="utf-8") for p in DOMAIN_SRC.rglob("*.py"))
    assert "zoneinfo" in imported_modules(sources)


@pytest.mark.parametrize(
    ("source", "bad"),
    [
        ("import socket", {"socket"}),
        ("import asyncio.tasks", {"asyncio"}),
        ("from sqlite3 import connect", {"sqlite3"}),
        ("import json", {"json"}),
        ("import numpy as np", {"numpy"}),
        ("from pydantic import BaseModel", {"pydantic"}),
        ("def f():\n    import os\n", {"os"}),
        ("from zoneinfo import ZoneInfo\nimport math\nfrom . import bar\nimport tzdata", set()),
        ("from pq_domain.bar import Bar", set()),
    ],
)
def test_the_check_catches_impure_imports(source: str, bad: set[str]) -> None:
    assert violations(source) == bad
