"""The service layer of a sync: fetch with retries, keep complete bars, build the events."""
