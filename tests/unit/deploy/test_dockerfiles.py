"""The images' essentials, read with BuildKit's own Dockerfile parser: multi-stage,
locked uv install, pinned base, non-root user, healthcheck, the right module."""

from __future__ import annotations

import fnmatch
import re
import tomllib
from pathlib import Path

import dockerfile
import pytest

from tests.unit.deploy.conftest import REPO_ROOT

SERVICES = {
    "gateway": 8080,
    "query": 18091,
    "ingest-history": 18092,
    "ingest-stream": 18093,
    "bar-builder": 18094,
}
IMAGES = {
    **{name: REPO_ROOT / "services" / name / "Dockerfile" for name in SERVICES},
    "tvsim": REPO_ROOT / "deploy" / "docker" / "tvsim.Dockerfile",
}
PACKAGES = {name: f"pq-{name}" for name in SERVICES} | {"tvsim": "pq-tvsim"}


def dockerfile_instructions(path: Path) -> tuple[dockerfile.Command, ...]:
    return dockerfile.parse_file(str(path))


def _global_args(instructions: tuple[dockerfile.Command, ...]) -> dict[str, str]:
    args = {}
    for ins in instructions:
        if ins.cmd == "FROM":
            break
        if ins.cmd == "ARG" and "=" in ins.value[0]:
            key, value = ins.value[0].split("=", 1)
            args[key] = value
    return args


def _stages(instructions: tuple[dockerfile.Command, ...]) -> list[list[dockerfile.Command]]:
    stages: list[list[dockerfile.Command]] = []
    for ins in instructions:
        if ins.cmd == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(ins)
    return stages


def _base_images(instructions: tuple[dockerfile.Command, ...]) -> list[str]:
    args = _global_args(instructions)
    stage_names = set()
    images = []
    for ins in instructions:
        if ins.cmd != "FROM":
            continue
        image = re.sub(r"\$\{?(\w+)\}?", lambda m: args[m.group(1)], ins.value[0])
        if image not in stage_names:
            images.append(image)
        if len(ins.value) == 3 and ins.value[1].upper() == "AS":
            stage_names.add(ins.value[2])
    return images


@pytest.fixture(params=sorted(IMAGES))
def image(request: pytest.FixtureRequest) -> str:
    return request.param


def test_every_service_has_a_dockerfile() -> None:
    services = {p.name for p in (REPO_ROOT / "services").iterdir() if p.is_dir()}
    assert services == set(SERVICES)
    for path in IMAGES.values():
        assert path.is_file(), path


def test_base_images_are_pinned_versions(image: str) -> None:
    for base in _base_images(dockerfile_instructions(IMAGES[image])):
        name, _, tag = base.partition("@")[0].rpartition(":")
        assert name, f"{base}: no tag"
        assert tag != "latest"
        assert re.match(r"\d+\.\d+\.\d+", tag), f"{base}: pin a full version"


def test_uv_in_the_image_is_the_makefile_uv(image: str) -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    (version,) = re.findall(r"^UV_VERSION\s*:=\s*(\S+)", makefile, re.MULTILINE)
    bases = _base_images(dockerfile_instructions(IMAGES[image]))
    assert f"ghcr.io/astral-sh/uv:{version}" in bases


def test_multi_stage_with_a_locked_uv_install(image: str) -> None:
    stages = _stages(dockerfile_instructions(IMAGES[image]))
    assert len(stages) >= 2
    runs = " ".join(" ".join(i.value) for stage in stages[:-1] for i in stage if i.cmd == "RUN")
    package = PACKAGES[image]
    assert f"uv sync --frozen --no-dev --no-install-workspace --package {package}" in runs
    assert f"uv sync --frozen --no-dev --no-editable --package {package}" in runs
    final = stages[-1]
    # The final stage takes the built venv, not the toolchain or the sources.
    copies = [i for i in final if i.cmd == "COPY"]
    assert any("--from=builder" in i.flags and i.value[0] == "/app/.venv" for i in copies)
    assert not any(i.cmd == "RUN" and "uv " in " ".join(i.value) for i in final)


def test_builder_copies_every_workspace_manifest(image: str) -> None:
    """uv needs all members' pyproject.toml to read the lock; a new member must be added."""
    root = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    members = {
        str(path.relative_to(REPO_ROOT))
        for pattern in root["tool"]["uv"]["workspace"]["members"]
        for path in REPO_ROOT.glob(f"{pattern}/pyproject.toml")
    }
    assert len(members) >= 10
    copied = {
        src
        for ins in dockerfile_instructions(IMAGES[image])
        if ins.cmd == "COPY" and not ins.flags
        for src in ins.value[:-1]
    }
    assert members <= copied, f"missing: {sorted(members - copied)}"
    assert {"pyproject.toml", "uv.lock"} <= copied


def test_final_stage_runs_as_a_non_root_user(image: str) -> None:
    final = _stages(dockerfile_instructions(IMAGES[image]))[-1]
    users = [i.value[0] for i in final if i.cmd == "USER"]
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_final_stage_has_a_healthcheck_and_runs_the_module(image: str) -> None:
    final = _stages(dockerfile_instructions(IMAGES[image]))[-1]
    (health,) = [i for i in final if i.cmd == "HEALTHCHECK"]
    assert health.value[:3] == ("CMD", "python", "/app/healthcheck.py")
    (cmd,) = [i for i in final if i.cmd == "CMD"]
    module = "pq_" + image.replace("-", "_")
    assert cmd.json
    assert cmd.value == ("python", "-m", module)
    env = {}
    for ins in (i for i in final if i.cmd == "ENV"):
        env.update(zip(ins.value[::2], ins.value[1::2], strict=True))
    port = SERVICES.get(image, 18765)
    assert env["PQ_HTTP_PORT"] == str(port)
    assert env["PQ_HTTP_HOST"] == "0.0.0.0"
    assert env["OTEL_SERVICE_NAME"] == PACKAGES[image]
    assert [i.value[0] for i in final if i.cmd == "EXPOSE"] == [str(port)]


def test_service_dockerfiles_differ_only_by_service() -> None:
    """One recipe for five images: a fix made in one is made in all."""

    manifest_copy = re.compile(r"^COPY (libs|services|tools)/[^/]+/pyproject\.toml .*\n", re.M)

    def normalised(name: str) -> str:
        # The manifest COPY lines list every member (checked above), not the service.
        text = manifest_copy.sub("", IMAGES[name].read_text())
        for token in (name, name.replace("-", "_")):
            text = text.replace(token, "SERVICE")
        return text.replace(str(SERVICES[name]), "PORT")

    reference = normalised("gateway")
    for name in SERVICES:
        assert normalised(name) == reference, name


def _dockerignore_excludes(patterns: list[str], path: str) -> bool:
    """Docker's rule: the last matching pattern wins; `!` re-includes."""
    excluded = False
    for pattern in patterns:
        negate = pattern.startswith("!")
        pat = pattern.lstrip("!").rstrip("/")
        candidates = [pat, pat.removeprefix("**/")]
        parts = path.split("/")
        prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        suffixes = ["/".join(parts[i:]) for i in range(len(parts))]
        hit = any(fnmatch.fnmatchcase(p, pat) for p in prefixes) or (
            pat.startswith("**/") and any(fnmatch.fnmatchcase(s, candidates[1]) for s in suffixes)
        )
        if hit:
            excluded = not negate
    return excluded


def test_dockerignore_sends_sources_and_keeps_local_state_out() -> None:
    lines = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for path in (
        "pyproject.toml",
        "uv.lock",
        "libs/runtime/src/pq_runtime/settings.py",
        "services/gateway/src/pq_gateway/__init__.py",
        "tools/tv-simulator/pyproject.toml",
        "deploy/docker/healthcheck.py",
    ):
        assert not _dockerignore_excludes(patterns, path), path
    for path in (
        ".git/config",
        ".venv/bin/python",
        ".pq/dev-api-key",
        ".tools/bin/uv",
        "tests/unit/__init__.py",
        "deploy/k8s/overlays/prod/secrets/pq-secrets.env",
        "libs/runtime/src/pq_runtime/__pycache__/x.pyc",
    ):
        assert _dockerignore_excludes(patterns, path), path


def test_every_copy_source_reaches_the_build_context(image: str) -> None:
    lines = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    patterns = [line.strip() for line in lines if line.strip() and not line.startswith("#")]
    for ins in dockerfile_instructions(IMAGES[image]):
        if ins.cmd == "COPY" and not ins.flags:
            for src in ins.value[:-1]:
                assert (REPO_ROOT / src).exists(), src
                assert not _dockerignore_excludes(patterns, src.rstrip("/")), src
