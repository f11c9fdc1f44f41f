"""One partition's loop: fetch a batch, apply it, commit state + outbox, ack."""
