"""Scheduled re-sync: schedules in the PQ_SCHEDULES KV bucket, fired once per period."""
