"""The 429 problem of a refused rate decision, with `Retry-After` and the RateLimit headers."""

from __future__ import annotations

from pq_domain.problem_types import RATE_LIMITED_TYPE

from ..api.problems import ProblemError
from .gcra import RateDecision


def rate_limited(decision: RateDecision, detail: str | None = None) -> ProblemError:
    headers = {k.decode(): v.decode() for k, v in decision.headers()}
    headers["Retry-After"] = str(decision.retry_after_s)
    if detail is None:
        detail = (
            f"rate limit of {decision.policy.count} {decision.route_class} per "
            f"{decision.policy.window_s:g} s exceeded; retry in {decision.retry_after_s} s"
        )
    return ProblemError(
        429, detail, type_=RATE_LIMITED_TYPE, title="Too Many Requests", headers=headers
    )
