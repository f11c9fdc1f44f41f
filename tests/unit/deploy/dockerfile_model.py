"""A Dockerfile as BuildKit builds it for one set of build arguments.

BuildKit's own parser (the `dockerfile` package) reads the instructions; this module
applies the Dockerfile frontend's variable rules to them, so that the tests look at the
image a build would make, and catch the mistakes a build would make silently:

- FROM, COPY, ENV, EXPOSE, LABEL, USER, WORKDIR, ... are expanded by BuildKit when it
  reads the file, before any step runs: `${VAR:?message}` there stops the build at once.
- A shell-form RUN is expanded by /bin/sh when the step runs, with the stage's ARGs and ENV.
- An ARG is visible only in the stage that declares it (a global one, before the first
  FROM, only in FROM lines); used anywhere else it expands to nothing, without an error.
- CMD and HEALTHCHECK run in the container, where ARGs are gone, and their exec form
  expands nothing.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import dataclass, field

import dockerfile

# Instructions whose arguments the frontend expands when it reads the file.
READ_TIME = frozenset(
    {"ADD", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"}
)
VARIABLE = re.compile(r"\$(?:\{(?P<braced>\w+)(?P<op>:?[-+?])?(?P<word>[^}]*)\}|(?P<bare>\w+))")

Scope = Mapping[str, str | None]  # None: an ARG declared without a value


class DockerfileError(Exception):
    """Something a build would get wrong."""


class MissingBuildArg(DockerfileError):
    """A `${VAR:?}` the frontend expands found VAR unset: the build stops before any step."""

    def __init__(self, name: str, message: str) -> None:
        super().__init__(f"{name}: {message}")
        self.name = name


class OutOfScope(DockerfileError):
    """A build argument used where it is not declared: it would expand to nothing."""


class NotExpanded(DockerfileError):
    """A variable in an exec-form command: it reaches the program as written."""


@dataclass(frozen=True)
class Step:
    cmd: str
    flags: tuple[str, ...]
    args: tuple[str, ...]  # expanded where the frontend or the shell would expand them
    json: bool
    line: int


@dataclass
class Stage:
    name: str
    base: str
    steps: list[Step] = field(default_factory=list)
    env: dict[str, str] = field(default_factory=dict)  # ENV set in this stage

    def of(self, cmd: str) -> list[Step]:
        return [s for s in self.steps if s.cmd == cmd]


def arg_declarations(words: tuple[str, ...]) -> list[tuple[str, str | None]]:
    """`ARG A B=2` -> [("A", None), ("B", "2")]."""
    pairs = (word.partition("=") for word in words)
    return [(name, _unquote(value) if sep else None) for name, sep, value in pairs]


def required_build_args(instructions: tuple[dockerfile.Command, ...]) -> set[str]:
    """ARGs declared in a stage with no default of their own nor a global one."""
    defaults: set[str] = set()
    required: set[str] = set()
    in_stage = False
    for ins in instructions:
        in_stage = in_stage or ins.cmd == "FROM"
        if ins.cmd != "ARG":
            continue
        for name, default in arg_declarations(ins.value):
            if default is not None:
                defaults.add(name)
            elif in_stage and name not in defaults:
                required.add(name)
    return required


def resolve(
    instructions: tuple[dockerfile.Command, ...], build_args: Mapping[str, str]
) -> list[Stage]:
    """The stages a build with `build_args` runs, each step's arguments as it sees them."""
    all_args = {
        name for i in instructions if i.cmd == "ARG" for name, _ in arg_declarations(i.value)
    }
    global_scope: dict[str, str | None] = {}
    stages: list[Stage] = []
    scope: dict[str, str | None] = {}
    for ins in instructions:
        where = f"line {ins.start_line}: {ins.original[:60]}"
        if ins.cmd == "FROM":
            base = _expand(ins.value[0], global_scope, all_args, where, read_time=True)
            named = len(ins.value) == 3 and ins.value[1].upper() == "AS"
            stages.append(Stage(ins.value[2] if named else str(len(stages)), base))
            scope = {}
            continue
        if ins.cmd == "ARG":
            target = scope if stages else global_scope
            for name, default in arg_declarations(ins.value):
                if name in build_args:
                    target[name] = build_args[name]
                elif default is not None:
                    target[name] = _expand(default, target, all_args, where, read_time=True)
                else:
                    target[name] = global_scope.get(name) if stages else None
        if not stages:
            continue
        args = ins.value
        if ins.cmd in READ_TIME:
            args = tuple(_unquote(_expand(a, scope, all_args, where, read_time=True)) for a in args)
        elif ins.cmd == "RUN" and not ins.json:
            args = tuple(_expand(a, scope, all_args, where, read_time=False) for a in args)
        stage = stages[-1]
        if ins.cmd == "ENV":
            stage.env.update(zip(args[::2], args[1::2], strict=True))
            scope.update(zip(args[::2], args[1::2], strict=True))
        stage.steps.append(Step(ins.cmd, ins.flags, args, ins.json, ins.start_line))
    return stages


def container_argv(stages: list[Stage], command: tuple[str, ...]) -> list[str]:
    """What PID 1 runs for an exec-form CMD (or HEALTHCHECK CMD) of the final stage.

    Only the final stage's ENV exists in the container. `/bin/sh -c "exec ..."` is
    expanded by the shell, which then replaces itself; anything else runs as written.
    """
    env = stages[-1].env
    all_args = {n for s in stages for a in s.of("ARG") for n, _ in arg_declarations(a.args)}
    all_args -= set(env)
    if list(command[:2]) == ["/bin/sh", "-c"] and len(command) == 3:
        script = _expand(command[2], env, all_args, "the container's shell", read_time=False)
        words = shlex.split(script)
        if not words or words[0] != "exec":
            raise DockerfileError(f"{command[2]!r}: without exec the shell stays PID 1")
        return words[1:]
    for word in command:
        if "$" in word:
            raise NotExpanded(f"{word!r}: an exec-form command expands no variables")
    return list(command)


def _expand(text: str, scope: Scope, all_args: set[str], where: str, *, read_time: bool) -> str:
    def substitute(match: re.Match[str]) -> str:
        name = match["braced"] or match["bare"]
        op, word = match["op"] or "", match["word"] or ""
        if name not in scope:
            if name in all_args:
                raise OutOfScope(f"{where}: ${name} is not declared here")
            if read_time and op.endswith("?"):
                raise MissingBuildArg(name, word or "is not allowed to be unset")
            return match.group(0)  # the base image's environment (PATH): left as written
        value = scope[name]
        missing = value is None or (op.startswith(":") and value == "")
        if op.endswith("?") and missing and read_time:
            raise MissingBuildArg(name, word or "is not allowed to be unset")
        if op.endswith("-"):
            return word if missing else str(value)
        if op.endswith("+"):
            return "" if missing else word
        return value or ""

    return VARIABLE.sub(substitute, text)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value
