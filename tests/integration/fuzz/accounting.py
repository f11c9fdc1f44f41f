"""Did every fuzzed message end exactly once, applied or dead-lettered, as it should?"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from fnmatch import fnmatchcase

from .cases import FuzzCase
from .dead_letters import Letter


@dataclass(frozen=True, slots=True)
class Published:
    seq: int
    case: FuzzCase


@dataclass(frozen=True, slots=True)
class Observed:
    """One case's fate, for the report: `applied`, or `dlq` with the attempts it took."""

    label: str
    outcome: str
    delivered: int = 0
    error: str = ""


def settled(
    published: Sequence[Published], applied: Counter[int], letters: Sequence[Letter]
) -> bool:
    """Every published message is applied or dead-lettered (the wait condition)."""
    done = set(applied) | {letter.original_seq for letter in letters}
    return all(p.seq in done for p in published)


def check_accounting(
    published: Sequence[Published],
    applied: Counter[int],
    letters: Sequence[Letter],
    *,
    accepted_findings: Collection[str] = (),
) -> list[Observed]:
    """Assert the fuzz invariants; return what happened to the cases that are findings or
    took the retry path (dead-lettered after more than one delivery)."""
    by_seq: dict[int, list[Letter]] = {}
    for letter in letters:
        by_seq.setdefault(letter.original_seq, []).append(letter)
    problems: list[str] = []
    notable: list[Observed] = []
    for p in published:
        case, got = p.case, by_seq.get(p.seq, [])
        times_applied = applied.get(p.seq, 0)
        if times_applied + len(got) != 1:
            problems.append(
                f"applied {times_applied}x, dead-lettered {len(got)}x: {case.describe()}"
            )
            continue
        if got:
            letter = got[0]
            if not letter.error or letter.original_subject != case.subject:
                problems.append(f"dead letter lacks error/subject: {letter}: {case.describe()}")
            if not _keeps_payload(letter, case):
                problems.append(f"dead letter payload changed: {case.describe()}")
        if case.strictly_valid and got:
            problems.append(f"valid message dead-lettered ({got[0].error}): {case.describe()}")
        finding = any(fnmatchcase(case.label, pattern) for pattern in accepted_findings)
        if not case.strictly_valid and times_applied and not finding:
            problems.append(f"invalid message applied: {case.describe()}")
        if finding or (got and got[0].delivered > 1):
            outcome = "applied" if times_applied else "dlq"
            notable.append(
                Observed(
                    case.label, outcome, got[0].delivered if got else 0, got[0].error if got else ""
                )
            )
    assert not problems, f"{len(problems)} fuzz invariant violations:\n" + "\n".join(problems[:40])
    return notable


def _keeps_payload(letter: Letter, case: FuzzCase) -> bool:
    """The original bytes, or (too big to copy with the DLQ headers) a marked prefix of them."""
    if letter.truncated:
        size_ok = letter.original_size == len(case.payload)
        return size_ok and case.payload.startswith(letter.payload)
    return letter.payload == case.payload


def _observed(case: FuzzCase, letters: list[Letter]) -> Observed:
    if not letters:
        return Observed(case.label, "applied")
    return Observed(case.label, "dlq", letters[0].delivered, letters[0].error)
