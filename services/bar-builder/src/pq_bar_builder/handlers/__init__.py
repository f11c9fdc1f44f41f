"""The service's loops: one partition's worker (fetch a batch, apply it, commit state +
outbox, ack) and the ownership loops that start and stop the workers."""
