"""Projections: JetStream events -> read models, one batch per transaction."""
