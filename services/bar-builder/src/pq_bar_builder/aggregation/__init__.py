"""Quotes of one partition -> bars: decoding and per-symbol aggregators with their state."""
