"""Every document stands alone: its links and the files it names are in this repository."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
TOP_LEVEL = ("libs/", "services/", "tools/", "tests/", "docs/", "deploy/", "bench/", ".ci/")
LINK = re.compile(r"\]\(([^)\s]+)\)")
CODE = re.compile(r"`([^`\s]+)`")
FILE_SUFFIXES = (".py", ".md", ".json", ".yaml", ".yml", ".toml", ".ts", ".sh")


def markdown_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard", "*.md"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return [ROOT / name for name in listed if (ROOT / name).is_file()]


def named_paths(text: str) -> list[str]:
    """Backticked repo paths (`services/gateway/...`, `adapters/x.py`), no globs or placeholders."""
    found = []
    for token in CODE.findall(text):
        path = token.rstrip(".,:;").split(":")[0].split("#")[0]
        if re.search(r"[<>*{}$=()|]|\.\.\.", path) or "//" in path or path[:1] in ("", "/", "."):
            continue
        if path.startswith(TOP_LEVEL) or (path.endswith(FILE_SUFFIXES) and "/" in path):
            found.append(path)
    return found


def repository_files() -> list[str]:
    listed = subprocess.run(
        ["git", "ls-files", "-co", "--exclude-standard"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    return ["/" + name for name in listed]


FILES = repository_files()


def exists(doc: Path, path: str) -> bool:
    """From the root, beside the doc, or (a path named in its package's context) any file
    of the repository whose path ends with it."""
    if (ROOT / path).exists() or (doc.parent / path).exists():
        return True
    tail = "/" + path.rstrip("/")
    return any(name.endswith(tail) or f"{tail}/" in name for name in FILES)


@pytest.mark.parametrize("doc", markdown_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_links_and_named_files_exist_inside_the_repository(doc: Path) -> None:
    text = doc.read_text(encoding="utf-8")
    problems = [m for m in ("shared/design", "../shared") if m in text]
    for target in LINK.findall(text):
        if target.startswith(("http://", "https://")):
            problems.append(target)  # the documents stand alone: no link out
            continue
        if target.startswith(("mailto:", "#")):
            continue
        resolved = (doc.parent / target.split("#")[0]).resolve()
        if not resolved.is_relative_to(ROOT) or not resolved.exists():
            problems.append(target)
    for path in named_paths(text):
        if not exists(doc, path):
            problems.append(path)
    assert problems == [], f"{doc.relative_to(ROOT)} points outside the repository: {problems}"
