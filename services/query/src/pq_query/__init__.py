"""Projections into read models and the internal read API."""
