"""API keys: format and hashing (keys.py), their store (store.py), cached lookup
(authenticator.py); the middleware that enforces them is middleware/auth.py."""
