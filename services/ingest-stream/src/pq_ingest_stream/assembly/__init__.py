"""Sub-assemblies of the service, each building one part from settings and what it needs.

bootstrap.py composes them in order; nothing is patched after construction.
"""
