"""API keys: format and hashing (keys.py), their store (store.py), cached lookup
(authenticator.py), and the middleware that enforces them (middleware.py)."""
