"""Bulk export of GET /v1/bars: a whole range as CSV, Parquet or an Arrow IPC stream."""

from .response import export_response

__all__ = ["export_response"]
