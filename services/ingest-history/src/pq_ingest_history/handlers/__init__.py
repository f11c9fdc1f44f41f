"""Message handlers: decode, call the service layer, commit through the outbox."""
