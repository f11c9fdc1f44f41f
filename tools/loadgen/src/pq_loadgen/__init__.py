"""Open-loop load generator for the gateway: fixed rate, errors and latency percentiles."""

from .histogram import LatencyHistogram
from .mix import RequestKind, RequestMix
from .plan import LoadPlan
from .results import RunResult
from .runner import run_load

__all__ = ["LatencyHistogram", "LoadPlan", "RequestKind", "RequestMix", "RunResult", "run_load"]
