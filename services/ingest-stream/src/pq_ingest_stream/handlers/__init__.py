"""The service's loops and coordinators, wired together by bootstrap.py."""
