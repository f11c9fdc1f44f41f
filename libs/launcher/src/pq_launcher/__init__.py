"""Embedded stack launcher and the `pq` command."""
