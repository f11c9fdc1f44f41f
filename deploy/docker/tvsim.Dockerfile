# syntax=docker/dockerfile:1.7
# The TradingView protocol simulator (tools/tv-simulator), a development tool:
# compose.yaml and the dev overlay run it so that the stack works without
# TradingView. Same layout as services/*/Dockerfile. Build from the repo root:
#   docker build -f deploy/docker/tvsim.Dockerfile -t pocketquant/tvsim .

# Pinned by version tag. Release builds also pin the digest:
#   --build-arg PYTHON_IMAGE=python:3.11.13-slim-bookworm@sha256:<digest>
ARG PYTHON_IMAGE=python:3.11.13-slim-bookworm
# Same uv as the Makefile's UV_VERSION (a test keeps them equal).
ARG UV_IMAGE=ghcr.io/astral-sh/uv:0.13.9

FROM ${UV_IMAGE} AS uv

# ---- builder: resolve nothing, install exactly what uv.lock says -------------
FROM ${PYTHON_IMAGE} AS builder
COPY --from=uv /uv /usr/local/bin/uv
ENV UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PYTHON_DOWNLOADS=never \
    UV_PROJECT_ENVIRONMENT=/app/.venv
WORKDIR /src

# 1. Third-party dependencies only. uv needs every workspace member's manifest
#    to read the lock; this layer is rebuilt only when a manifest or the lock changes.
COPY pyproject.toml uv.lock ./
COPY libs/domain/pyproject.toml libs/domain/
COPY libs/launcher/pyproject.toml libs/launcher/
COPY libs/runtime/pyproject.toml libs/runtime/
COPY libs/tradingview/pyproject.toml libs/tradingview/
COPY services/bar-builder/pyproject.toml services/bar-builder/
COPY services/gateway/pyproject.toml services/gateway/
COPY services/ingest-history/pyproject.toml services/ingest-history/
COPY services/ingest-stream/pyproject.toml services/ingest-stream/
COPY services/query/pyproject.toml services/query/
COPY tools/loadgen/pyproject.toml tools/loadgen/
COPY tools/tv-simulator/pyproject.toml tools/tv-simulator/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-install-workspace --package pq-tvsim

# 2. The workspace packages this service uses, installed as wheels
#    (--no-editable) so that the final image needs the venv and nothing else.
COPY libs/ libs/
COPY tools/tv-simulator/ tools/tv-simulator/
RUN --mount=type=cache,target=/root/.cache/uv \
    uv sync --frozen --no-dev --no-editable --package pq-tvsim

# ---- runtime: the venv, a healthcheck script, a non-root user ----------------
# The simulator speaks WebSocket and may serve no /health: the check is a TCP connect.
FROM ${PYTHON_IMAGE} AS runtime
RUN groupadd --system --gid 10001 pq \
 && useradd --system --uid 10001 --gid pq --no-create-home --home-dir /nonexistent \
        --shell /usr/sbin/nologin pq
# Owned by root and not writable by pq: the code cannot be changed at run time,
# and the root filesystem can be mounted read-only.
COPY --from=builder /app/.venv /app/.venv
COPY deploy/docker/healthcheck.py /app/healthcheck.py
ENV PATH=/app/.venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PQ_HTTP_HOST=0.0.0.0 \
    PQ_HTTP_PORT=18765 \
    PQ_TVSIM_HOST=0.0.0.0 \
    PQ_TVSIM_PORT=18765 \
    OTEL_SERVICE_NAME=pq-tvsim
WORKDIR /app
USER 10001:10001
EXPOSE 18765
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD ["python", "/app/healthcheck.py", "--tcp"]
CMD ["python", "-m", "pq_tvsim"]
