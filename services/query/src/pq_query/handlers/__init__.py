"""Projections: JetStream events -> read models, one batch per transaction; and the
rebuild, an ordered replay of PQ_BARS into a fresh generation (rebuild/)."""
