"""The service's HTTP surface: /health (worker_app serves /metrics)."""
