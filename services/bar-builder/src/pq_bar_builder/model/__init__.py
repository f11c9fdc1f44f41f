"""Pure rules of the service (no I/O): quote decoding, per-symbol aggregators with their
state, the live-bar throttle, the lease plan, JetStream ack-reply parsing."""
