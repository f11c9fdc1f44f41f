"""The one Dockerfile every image is built from (deploy/docker/service.Dockerfile), read
with BuildKit's own parser and resolved for each image's build arguments in compose.yaml:
each names a real package, module and port; multi-stage, locked uv install, pinned base,
non-root user, healthcheck, the module as PID 1."""

from __future__ import annotations

import fnmatch
import importlib
import re
import shlex
import tomllib
from pathlib import Path

import dockerfile
import pytest
import yaml
from pydantic_settings import BaseSettings

from pq_tvsim.config import SimulatorConfig
from tests.unit.deploy.conftest import REPO_ROOT
from tests.unit.deploy.dockerfile_model import (
    DockerfileError,
    MissingBuildArg,
    NotExpanded,
    OutOfScope,
    Stage,
    container_argv,
    required_build_args,
    resolve,
)

DOCKERFILE = "deploy/docker/service.Dockerfile"
BUILD_ARGS = {"SOURCE", "PACKAGE", "MODULE", "PORT"}
# tools/tv-simulator: a development tool, built by the same recipe as the services.
SIMULATOR = "tvsim"


def dockerfile_instructions(path: Path) -> tuple[dockerfile.Command, ...]:
    instructions: tuple[dockerfile.Command, ...] = dockerfile.parse_file(str(path))
    return instructions


def _compose_builds() -> dict[str, dict[str, str]]:
    """The images built from DOCKERFILE, by compose service: their build arguments."""
    compose = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())
    return {
        name: {key: str(value) for key, value in service["build"].get("args", {}).items()}
        for name, service in compose["services"].items()
        if service.get("build", {}).get("dockerfile") == DOCKERFILE
    }


BUILDS = _compose_builds()


@pytest.fixture(scope="module")
def instructions() -> tuple[dockerfile.Command, ...]:
    return dockerfile_instructions(REPO_ROOT / DOCKERFILE)


@pytest.fixture(params=sorted(BUILDS))
def image(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _stages(instructions: tuple[dockerfile.Command, ...], image: str) -> list[Stage]:
    return resolve(instructions, BUILDS[image])


def _container_command(instructions: tuple[dockerfile.Command, ...], image: str) -> list[str]:
    stages = _stages(instructions, image)
    (cmd,) = stages[-1].of("CMD")
    return container_argv(stages, cmd.args)


def _base_images(stages: list[Stage]) -> list[str]:
    names = [s.name for s in stages]
    return [s.base for i, s in enumerate(stages) if s.base not in names[:i]]


def _runs(stage: Stage) -> list[list[str]]:
    return [shlex.split(step.args[0]) for step in stage.of("RUN")]


def _workspace_members() -> list[str]:
    root = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())
    members: list[str] = root["tool"]["uv"]["workspace"]["members"]
    return members


def _default_port(module: str) -> int:
    """The port `python -m module` listens on when nothing is configured."""
    if module == "pq_tvsim":  # the simulator has its own settings (PQ_TVSIM_PORT)
        return SimulatorConfig.from_env({}).port
    settings = importlib.import_module(f"{module}.settings")
    ports = {
        cls.model_fields["http_port"].default
        for cls in vars(settings).values()
        if isinstance(cls, type)
        and issubclass(cls, BaseSettings)
        and cls.__module__ == settings.__name__
        and "http_port" in cls.model_fields
    }
    assert len(ports) == 1, f"{module}.settings: {ports}"
    return int(ports.pop())


# ---- one recipe, and arguments that name real things ---------------------------------


def test_one_dockerfile_builds_every_image() -> None:
    services = {p.name for p in (REPO_ROOT / "services").iterdir() if p.is_dir()}
    assert set(BUILDS) == services | {SIMULATOR}
    found = {
        str(path.relative_to(REPO_ROOT))
        for top in ("deploy", "libs", "services", "tools")
        for pattern in ("Dockerfile", "*.Dockerfile", "Dockerfile.*")
        for path in (REPO_ROOT / top).rglob(pattern)
        if not {".venv", "__pycache__"} & set(path.parts)
    } | {p.name for p in REPO_ROOT.glob("*Dockerfile*")}
    assert found == {DOCKERFILE}


def test_build_args_are_the_ones_the_dockerfile_requires(
    instructions: tuple[dockerfile.Command, ...], image: str
) -> None:
    assert required_build_args(instructions) == BUILD_ARGS
    assert set(BUILDS[image]) == BUILD_ARGS


def test_build_args_name_a_workspace_package_and_its_module(image: str) -> None:
    args = BUILDS[image]
    assert any(fnmatch.fnmatchcase(args["SOURCE"], m) for m in _workspace_members())
    source = REPO_ROOT / args["SOURCE"]
    project = tomllib.loads((source / "pyproject.toml").read_text())
    assert project["project"]["name"] == args["PACKAGE"]
    assert (source / "src" / args["MODULE"] / "__main__.py").is_file()
    # The module is in the wheel that `uv sync --no-editable` installs.
    wheel = project["tool"]["hatch"]["build"]["targets"]["wheel"]
    assert f"src/{args['MODULE']}" in wheel["packages"]
    if image != SIMULATOR:
        # compose service <name>: services/<name>, pq-<name>, pq_<name>.
        assert args["SOURCE"] == f"services/{image}"
        assert args["PACKAGE"] == f"pq-{image}"
        assert args["MODULE"] == "pq_" + image.replace("-", "_")


def test_port_is_where_the_module_listens_by_default(image: str) -> None:
    args = BUILDS[image]
    assert int(args["PORT"]) == _default_port(args["MODULE"])


def test_a_bare_simulator_container_listens_on_every_interface_at_its_port(
    instructions: tuple[dockerfile.Command, ...],
) -> None:
    """`docker run` with nothing but the image's ENV: pq_tvsim falls back to PQ_HTTP_*."""
    env = resolve(instructions, BUILDS[SIMULATOR])[-1].env
    config = SimulatorConfig.from_env(env)
    assert (config.host, config.port) == ("0.0.0.0", int(BUILDS[SIMULATOR]["PORT"]))


def test_the_simulator_is_told_where_to_listen() -> None:
    """The deployments that run it also set its own PQ_TVSIM_HOST and PQ_TVSIM_PORT."""
    port = BUILDS[SIMULATOR]["PORT"]
    compose = yaml.safe_load((REPO_ROOT / "compose.yaml").read_text())
    overlay = yaml.safe_load_all((REPO_ROOT / "deploy/k8s/overlays/dev/tvsim.yaml").read_text())
    (deployment,) = [o for o in overlay if o["kind"] == "Deployment"]
    (container,) = deployment["spec"]["template"]["spec"]["containers"]
    k8s_env = {e["name"]: e["value"] for e in container["env"]}
    for env in (compose["services"][SIMULATOR]["environment"], k8s_env):
        config = SimulatorConfig.from_env({k: str(v) for k, v in env.items()})
        assert (config.host, config.port) == ("0.0.0.0", int(port))


# ---- what a build would do with the arguments -----------------------------------------


@pytest.mark.parametrize("missing", sorted(BUILD_ARGS))
def test_a_build_missing_an_argument_stops_before_any_step(
    instructions: tuple[dockerfile.Command, ...], missing: str
) -> None:
    """Expanded by BuildKit while it reads the file: the build stops naming the argument."""
    args = {k: v for k, v in BUILDS["gateway"].items() if k != missing}
    with pytest.raises(MissingBuildArg) as raised:
        resolve(instructions, args)
    assert raised.value.name == missing
    assert f"--build-arg {missing}=" in str(raised.value)


def test_without_its_check_a_missing_argument_would_go_unnoticed() -> None:
    """The ${SOURCE:?} check is what stops it: without it the build would copy the whole
    context into / instead of failing."""
    text = (REPO_ROOT / DOCKERFILE).read_text()
    unchecked, count = re.subn(r"\$\{SOURCE:\?[^}]*\}", "${SOURCE}", text)
    assert count == 1
    args = {k: v for k, v in BUILDS["gateway"].items() if k != "SOURCE"}
    (builder,) = [
        s for s in resolve(dockerfile.parse_string(unchecked), args) if s.name == "builder"
    ]
    assert ("/", "/") in [step.args for step in builder.of("COPY")]


CMD_LINE = 'CMD ["/bin/sh", "-c", "exec python -m \\"$PQ_MODULE\\""]'


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        # The builder no longer declares PACKAGE: `uv sync --package ""`.
        ("ARG PACKAGE\nRUN", "RUN", OutOfScope),
        # Exec form: python would be asked for a module named "${MODULE}".
        (CMD_LINE, 'CMD ["python", "-m", "${MODULE}"]', NotExpanded),
        # Build arguments are gone in the container: `python -m ""`.
        ('\\"$PQ_MODULE\\"', '\\"$MODULE\\"', OutOfScope),
        # The shell would stay PID 1, and docker stop's SIGTERM would not reach python.
        ("exec python", "python", DockerfileError),
    ],
    ids=["arg-not-in-stage", "exec-form-variable", "arg-in-container", "no-exec"],
)
def test_the_reading_catches_what_a_build_would_get_wrong_silently(
    old: str, new: str, error: type[Exception]
) -> None:
    text = (REPO_ROOT / DOCKERFILE).read_text()
    assert text.count(old) == 1, old
    broken = dockerfile.parse_string(text.replace(old, new))
    with pytest.raises(error):
        _container_command(broken, "bar-builder")


# ---- the image's essentials -----------------------------------------------------------


def test_base_images_are_pinned_versions(
    instructions: tuple[dockerfile.Command, ...], image: str
) -> None:
    for base in _base_images(_stages(instructions, image)):
        name, _, tag = base.partition("@")[0].rpartition(":")
        assert name, f"{base}: no tag"
        assert tag != "latest"
        assert re.match(r"\d+\.\d+\.\d+", tag), f"{base}: pin a full version"


def test_uv_in_the_image_is_the_makefile_uv(
    instructions: tuple[dockerfile.Command, ...], image: str
) -> None:
    makefile = (REPO_ROOT / "Makefile").read_text()
    (version,) = re.findall(r"^UV_VERSION\s*:=\s*(\S+)", makefile, re.MULTILINE)
    assert f"ghcr.io/astral-sh/uv:{version}" in _base_images(_stages(instructions, image))


def test_multi_stage_with_a_locked_uv_install(
    instructions: tuple[dockerfile.Command, ...], image: str
) -> None:
    stages = _stages(instructions, image)
    assert len(stages) >= 2
    package = BUILDS[image]["PACKAGE"]
    deps_only = ["uv", "sync", "--frozen", "--no-dev", "--no-install-workspace"]
    wheels = ["uv", "sync", "--frozen", "--no-dev", "--no-editable"]
    (builder,) = [s for s in stages[:-1] if [*deps_only, "--package", package] in _runs(s)]
    assert [*wheels, "--package", package] in _runs(builder)
    # Cache-friendly: the dependencies are installed from the manifests alone, before
    # any source is copied, so a code change does not reinstall them.
    steps = builder.steps
    first_sync = next(
        i for i, s in enumerate(steps) if s.cmd == "RUN" and shlex.split(s.args[0])[:5] == deps_only
    )
    sources = [i for i, s in enumerate(steps) if s.cmd == "COPY" and not s.flags]
    copied_before = {src for i in sources if i < first_sync for src in steps[i].args[:-1]}
    assert all(src.endswith(("pyproject.toml", "uv.lock")) for src in copied_before)
    assert any(steps[i].args[0] == f"{BUILDS[image]['SOURCE']}/" for i in sources)
    final = stages[-1]
    # The final stage takes the built venv, not the toolchain or the sources.
    copies = final.of("COPY")
    assert any("--from=builder" in s.flags and s.args[0] == "/app/.venv" for s in copies)
    assert all("uv" not in run for run in _runs(final))


def test_steps_every_image_shares_come_before_the_build_args(
    instructions: tuple[dockerfile.Command, ...],
) -> None:
    """Every RUN after an ARG depends on its value: one that does the same for every image
    (creating the user, say) must come before it, or each image repeats it."""
    resolved = {name: _stages(instructions, name) for name in BUILDS}
    reference = next(iter(resolved.values()))
    for index, stage in enumerate(reference):
        args_seen = False
        for position, step in enumerate(stage.steps):
            args_seen = args_seen or step.cmd == "ARG"
            if args_seen and step.cmd == "RUN":
                variants = {stages[index].steps[position].args for stages in resolved.values()}
                assert len(variants) == len(resolved), f"{stage.name}: {step.args[0]}"


def test_builder_copies_every_workspace_manifest(
    instructions: tuple[dockerfile.Command, ...],
) -> None:
    """uv needs all members' pyproject.toml to read the lock; a new member must be added."""
    members = {
        str(path.relative_to(REPO_ROOT))
        for pattern in _workspace_members()
        for path in REPO_ROOT.glob(f"{pattern}/pyproject.toml")
    }
    assert len(members) >= 10
    for image in BUILDS:
        copied = {
            src
            for stage in _stages(instructions, image)
            for step in stage.of("COPY")
            if not step.flags
            for src in step.args[:-1]
        }
        assert members <= copied, f"missing: {sorted(members - copied)}"
        assert {"pyproject.toml", "uv.lock"} <= copied


def test_final_stage_runs_as_a_non_root_user(
    instructions: tuple[dockerfile.Command, ...], image: str
) -> None:
    final = _stages(instructions, image)[-1]
    users = [step.args[0] for step in final.of("USER")]
    assert users, "no USER in the final stage"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_final_stage_has_a_healthcheck_and_runs_the_module_as_pid_1(
    instructions: tuple[dockerfile.Command, ...], image: str
) -> None:
    args = BUILDS[image]
    stages = _stages(instructions, image)
    final = stages[-1]
    (health,) = final.of("HEALTHCHECK")
    assert health.args[0] == "CMD"
    assert container_argv(stages, health.args[1:]) == ["python", "/app/healthcheck.py"]
    (cmd,) = final.of("CMD")
    assert cmd.json
    assert _container_command(instructions, image) == ["python", "-m", args["MODULE"]]
    assert final.env["PQ_HTTP_PORT"] == args["PORT"]
    assert final.env["PQ_HTTP_HOST"] == "0.0.0.0"
    assert final.env["OTEL_SERVICE_NAME"] == args["PACKAGE"]
    assert [step.args for step in final.of("EXPOSE")] == [(args["PORT"],)]


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


def _dockerignore_patterns() -> list[str]:
    lines = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_dockerignore_sends_sources_and_keeps_local_state_out() -> None:
    patterns = _dockerignore_patterns()
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


def test_every_copy_source_reaches_the_build_context(
    instructions: tuple[dockerfile.Command, ...], image: str
) -> None:
    patterns = _dockerignore_patterns()
    for stage in _stages(instructions, image):
        for step in stage.of("COPY"):
            if step.flags:
                continue
            for src in step.args[:-1]:
                assert (REPO_ROOT / src).exists(), src
                assert not _dockerignore_excludes(patterns, src.rstrip("/")), src


def test_the_gateway_image_serves_the_chart_page_built_from_the_lockfile(
    instructions: tuple[dockerfile.Command, ...],
) -> None:
    """/ui/ in a container: the page is built by npm from ui/package-lock.json in its own
    stage, and the final image holds the build where PQ_UI_DIR says."""
    stages = _stages(instructions, "gateway")
    (ui,) = [s for s in stages if s.name == "ui"]
    assert ["npm", "ci", "--no-audit", "--no-fund"] in _runs(ui)
    assert ["npm", "run", "build"] in _runs(ui)
    manifests = ui.of("COPY")[0].args
    assert "ui/package-lock.json" in manifests
    final = stages[-1]
    (copied,) = [s for s in final.of("COPY") if "--from=ui" in s.flags]
    assert copied.args == ("/ui/dist", final.env["PQ_UI_DIR"])
    ignored = (REPO_ROOT / ".dockerignore").read_text().splitlines()
    assert "!ui/" in ignored
    assert "**/node_modules" in ignored
