"""MongoDB read models (PyMongo async), written through the runtime's Mongo unit of work."""
