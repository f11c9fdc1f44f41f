"""Server-Sent Events of live quotes and bars, served from NATS directly."""
