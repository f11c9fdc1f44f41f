"""`python -m pq_<service>`: one way every service runs its app under uvicorn."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import uvicorn

from ..settings import ServiceSettings
from ..telemetry import configure_logging

S = TypeVar("S", bound=ServiceSettings)


def serve(settings: S, create_app: Callable[[S], Any], **uvicorn_options: Any) -> None:
    # Before the app and uvicorn's first lines; the lifespan configures it again
    # (in-process apps in tests have no __main__).
    configure_logging(settings.log_level, json=settings.log_json, service=settings.service_name)
    uvicorn.run(
        create_app(settings),
        host=settings.http_host,
        port=settings.http_port,
        access_log=False,
        log_config=None,  # uvicorn's own lines go through structlog's handler
        timeout_graceful_shutdown=5,
        **uvicorn_options,
    )
