"""Rate limits: GCRA in Redis (one Lua script per decision), per route class, enforced by
middleware.py."""
