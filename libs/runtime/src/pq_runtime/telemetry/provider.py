"""The process's TracerProvider, configured by the standard `OTEL_*` variables.

`configure_tracing(service_name, settings)` is called in a composition root's lifespan.
It always installs an SDK provider, even when nothing exports: spans then get real ids,
so every event a service emits carries a `traceparent` and every log line a `trace_id`
(while nothing exports, spans are dropped, not recorded: see sampling.py).

- `OTEL_SDK_DISABLED=true`: no provider (the API's no-op spans only pass contexts on).
- `OTEL_SERVICE_NAME`, `OTEL_RESOURCE_ATTRIBUTES`: the resource (default name `pq-<service>`).
- `OTEL_TRACES_EXPORTER`: `otlp`, `console`, `none`, comma-separated; by default `otlp`
  when an OTLP endpoint is set, else `none`.
- `OTEL_EXPORTER_OTLP_ENDPOINT` / `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` (OTLP over HTTP),
  else the runtime's `PQ_OTEL_EXPORTER_OTLP_ENDPOINT`.
- `OTEL_TRACES_SAMPLER`, `OTEL_TRACES_SAMPLER_ARG`, `OTEL_BSP_*`: read by the SDK itself.
"""

from __future__ import annotations

import os

import structlog
from opentelemetry import trace
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import TracerProvider, sampling
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
    SpanExporter,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from ..settings import TelemetrySettings
from .sampling import RecordWhenExported

log = structlog.get_logger(__name__)
_OTLP_ENDPOINT_VARS = ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "OTEL_EXPORTER_OTLP_ENDPOINT")
_HTTP_PROTOCOLS = ("", "http/protobuf")


def configure_tracing(
    service_name: str, settings: TelemetrySettings | None = None
) -> TracerProvider | None:
    """Install the process's SDK provider once; later calls return the installed one.

    OpenTelemetry allows one global provider per process, so several services built in one
    process (tests) share the first one. None when `OTEL_SDK_DISABLED=true`.
    """
    installed = trace.get_tracer_provider()
    if isinstance(installed, TracerProvider):
        return installed
    if _env("OTEL_SDK_DISABLED").lower() == "true":
        return None
    # OTEL_SERVICE_NAME wins over our default, as the specification says.
    name = service_name if service_name.startswith("pq-") else f"pq-{service_name}"
    attributes = {} if _env("OTEL_SERVICE_NAME") else {SERVICE_NAME: name}
    endpoint = settings.otel_exporter_otlp_endpoint if settings else None
    exporters = _exporters(endpoint)
    # _get_from_env_or_default: the SDK's own reading of OTEL_TRACES_SAMPLER(_ARG).
    configured = sampling._get_from_env_or_default()
    sampler = RecordWhenExported(configured, exporting=bool(exporters))
    provider = TracerProvider(sampler=sampler, resource=Resource.create(attributes))
    for exporter in exporters:
        provider.add_span_processor(BatchSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return provider


def flush_tracing(timeout_s: float = 5.0) -> None:
    """Export what is buffered (a lifespan's end); the SDK shuts down at process exit."""
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.force_flush(int(timeout_s * 1000))


def shutdown_tracing() -> None:
    """Flush and stop the exporters, for a process that ends without running atexit."""
    provider = trace.get_tracer_provider()
    if isinstance(provider, TracerProvider):
        provider.shutdown()


def install_in_memory_exporter() -> InMemorySpanExporter:
    """For in-process tests: every span ended from now on also goes, synchronously, to
    the returned exporter (on top of whatever the installed provider already exports)."""
    provider = configure_tracing("tests")
    if provider is None:
        raise RuntimeError("OTEL_SDK_DISABLED=true: no spans to capture")
    exporter = InMemorySpanExporter()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    if isinstance(provider.sampler, RecordWhenExported):
        provider.sampler.exporting = True
    return exporter


def _exporters(settings_endpoint: str | None) -> list[SpanExporter]:
    has_endpoint = bool(settings_endpoint) or any(_env(v) for v in _OTLP_ENDPOINT_VARS)
    names = _env("OTEL_TRACES_EXPORTER") or ("otlp" if has_endpoint else "none")
    exporters: list[SpanExporter] = []
    for raw in names.split(","):
        name = raw.strip().lower()
        if name == "otlp":
            exporters.extend(_otlp(settings_endpoint))
        elif name == "console":
            exporters.append(ConsoleSpanExporter())
        elif name not in ("none", ""):
            log.warning("tracing.unknown_exporter", exporter=name)
    return exporters


def _otlp(settings_endpoint: str | None) -> list[SpanExporter]:
    protocol = _env("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or _env("OTEL_EXPORTER_OTLP_PROTOCOL")
    if protocol not in _HTTP_PROTOCOLS:
        # Only the OTLP/HTTP exporter is installed: say so rather than export nothing silently.
        log.warning("tracing.unsupported_protocol", protocol=protocol, using="http/protobuf")
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    if settings_endpoint and not any(_env(v) for v in _OTLP_ENDPOINT_VARS):
        return [OTLPSpanExporter(endpoint=f"{settings_endpoint.rstrip('/')}/v1/traces")]
    return [OTLPSpanExporter()]  # reads the OTEL_EXPORTER_OTLP_* variables itself


def _env(name: str) -> str:
    return os.environ.get(name, "").strip()
