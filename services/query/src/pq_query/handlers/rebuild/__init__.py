"""Rebuild of the bars model: replay PQ_BARS into a fresh generation, then swap it in."""
