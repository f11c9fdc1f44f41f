"""Shared runtime: settings, messaging (outbox, relay, consumers), stores, telemetry.

See libs/runtime/README.md for how a service uses it.
"""

from .codec import CodecError, decode, encode
from .envelope import DomainEvent, Envelope, EnvelopeError

__all__ = ["CodecError", "DomainEvent", "Envelope", "EnvelopeError", "decode", "encode"]
