"""Public HTTP gateway."""
