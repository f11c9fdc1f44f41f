"""PocketQuant's Python SDK: bars as DataFrames, sync jobs, quotes and live streams.

    import pocketquant
    df = pocketquant.Client().bars("NASDAQ:NVDA", "1d", start="2025-01-01", end="2025-07-01")

`Client()` reads PQ_URL and PQ_API_KEY, falling back to the local `make up` stack.
Errors are typed (`NotFound`, `Invalid`, `RateLimited`, `Unauthorized`, ... all
`PocketQuantError`s).
"""

from __future__ import annotations

from .async_client import AsyncClient
from .client import Client
from .errors import (
    Conflict,
    ConnectionFailed,
    Forbidden,
    Invalid,
    NotFound,
    NotSupported,
    PocketQuantError,
    RateLimited,
    ServerError,
    SyncFailed,
    Unauthorized,
    Unavailable,
)
from .events import BarEvent, JobEvent, QuoteEvent, StreamEvent
from .job import AsyncJob, Job
from .models import Coverage, JobInfo, JobProgress, Quote, Subscription, SymbolInfo
from .version import __version__

__all__ = [
    "AsyncClient",
    "AsyncJob",
    "BarEvent",
    "Client",
    "Conflict",
    "ConnectionFailed",
    "Coverage",
    "Forbidden",
    "Invalid",
    "Job",
    "JobEvent",
    "JobInfo",
    "JobProgress",
    "NotFound",
    "NotSupported",
    "PocketQuantError",
    "Quote",
    "QuoteEvent",
    "RateLimited",
    "ServerError",
    "StreamEvent",
    "Subscription",
    "SymbolInfo",
    "SyncFailed",
    "Unauthorized",
    "Unavailable",
    "__version__",
]
