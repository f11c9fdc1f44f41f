"""What reacts to messages and runs loops: the SyncRequested handler (decode, call the
model, commit through the outbox), its progress reports, the scheduler and keep-alive."""
