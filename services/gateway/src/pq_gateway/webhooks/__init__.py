"""Webhooks: registrations (store.py), URL safety (url_guard.py), Standard Webhooks
signing (signing.py), and the in-process delivery worker (fanout.py, deliverer.py,
worker.py). See services/gateway/README.md, Webhooks."""
