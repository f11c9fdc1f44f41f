"""The internal read API: the public REST paths and JSON shapes, served to the gateway."""
