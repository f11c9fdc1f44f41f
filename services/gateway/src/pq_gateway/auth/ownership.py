"""Who may change what another key made: watchlist entries and schedules record the API
key that created them (`owner`, its public key id); only that key or an admin key may
remove or replace them, and one key may own at most a set number of each.

With auth disabled every caller is the anonymous admin, and an entry written before
owners were recorded (`owner` null) is an admin's to remove.
"""

from __future__ import annotations

from pq_domain.problem_types import NOT_OWNER_TYPE, QUOTA_TYPE

from ..api.problems import ProblemError
from .authenticator import Principal
from .keys import Scope


def owner_of(principal: Principal) -> str | None:
    return principal.key_id


def capped(principal: Principal) -> bool:
    """Whether the per-key caps apply: to every key but admins (and auth disabled)."""
    return principal.key_id is not None and not principal.allows(Scope.ADMIN)


def may_change(principal: Principal, owner: str | None) -> bool:
    if principal.allows(Scope.ADMIN):
        return True
    return owner is not None and owner == principal.key_id


def require_owner(principal: Principal, owner: str | None, what: str) -> None:
    if not may_change(principal, owner):
        raise ProblemError(
            403,
            f"{what} was added by another API key; only that key or an admin key may change it",
            type_=NOT_OWNER_TYPE,
            title="Forbidden",
        )


def within_quota(owned: int, cap: int, what: str, setting: str) -> None:
    """ProblemError 409 when a key already owns `cap` of `what`."""
    if owned < cap:
        return
    raise ProblemError(
        409,
        f"this API key already owns {owned} {what}, the most one key may ({setting}); "
        "remove some first",
        type_=QUOTA_TYPE,
        title="Quota exceeded",
    )
