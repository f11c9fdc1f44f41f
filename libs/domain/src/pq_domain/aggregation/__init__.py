"""Streaming aggregation of live quotes into bars of many intervals."""

from .aggregator import BarAggregator, SessionFor
from .config import AggregatorConfig

__all__ = ["AggregatorConfig", "BarAggregator", "SessionFor"]
