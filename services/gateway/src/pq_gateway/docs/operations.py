"""What each REST operation is called and says in the OpenAPI document: operationIds named
for what they do (clients generated from the document get `listBars`, not
`list_bars_v1_bars_get`), a description per operation, and the tags' descriptions.

An operation missing here still gets a camelCase id from its function's name and its
summary as description, so a new route never leaves a hole (the unit test checks both).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Operation:
    operation_id: str
    description: str


OPERATIONS: dict[tuple[str, str], Operation] = {
    ("get", "/health"): Operation(
        "getHealth",
        "Each dependency's state (NATS, Redis, the query service). 200 when every one "
        "answers, 503 naming the one that does not. No API key needed.",
    ),
    ("get", "/metrics"): Operation(
        "getMetrics", "Prometheus text exposition of the gateway's metrics (for scrapers)."
    ),
    ("get", "/v1/bars"): Operation(
        "listBars",
        "Bars of one symbol and interval with `start <= t < end`, ascending by `t` "
        "(`sort=desc` for newest first), a page of at most `limit` at a time: follow "
        "`next_cursor`. The body's `coverage` (and the `Pq-Coverage` header) names the "
        "range the read model holds for that symbol and interval, so an empty page says "
        "why it is empty: `null` means never synced or built (POST /v1/sync first).\n\n"
        "Bulk export: with `Accept: text/csv`, `application/vnd.apache.parquet` or "
        "`application/vnd.apache.arrow.stream` the whole range comes in one streamed "
        "answer (no paging; `limit` is ignored), columns `t` (CSV: RFC 3339 UTC; Arrow "
        "and Parquet: timestamp[ms, UTC]) and `o h l c v` (float64): the very bars the "
        "JSON pages hold. A range that may hold more than PQ_EXPORT_MAX_BARS (5,000,000) "
        "bars is refused (422): split it. An Accept no type matches: 406.",
    ),
    ("get", "/v1/quotes/{symbol}"): Operation(
        "getQuote",
        "The latest quote received for a symbol on the live watchlist (404 until one came).",
    ),
    ("get", "/v1/symbols"): Operation(
        "listSymbols",
        "Every symbol the read model holds bars of, with its metadata and, per interval, "
        "the covered range (first and last bar's open time) and bar count.",
    ),
    ("get", "/v1/symbols/{symbol}"): Operation(
        "getSymbol", "One symbol's metadata and covered range per interval (404: none held)."
    ),
    ("post", "/v1/sync"): Operation(
        "createSyncJob",
        "Asks for history: the latest `bars` bars, or the bars in `[start, end)`. Answers "
        "202 with the job's id and `Location` at once; the job runs in the background. "
        "Watch it with GET /v1/sync/{job_id}, the SSE stream (`job_id=`) or webhooks.",
    ),
    ("get", "/v1/sync"): Operation(
        "listSyncJobs",
        "Sync jobs with their progress, newest first, filtered by `status` and `symbol`, "
        "cursor-paged: follow `next_cursor` until it is null (a page may hold fewer than "
        "`limit` jobs when a status filter leaves some out).",
    ),
    ("get", "/v1/sync/{job_id}"): Operation(
        "getSyncJob",
        "A sync job's state and progress: `bars_fetched` from the provider, `bars_written` "
        "to the read model, `expected` when known. `done` is shown only once every bar is "
        "readable by GET /v1/bars; `failed` carries the `error`.",
    ),
    ("get", "/v1/schedules"): Operation(
        "listSchedules", "Every scheduled re-sync, sorted by symbol and interval."
    ),
    ("get", "/v1/schedules/{symbol}"): Operation(
        "getSchedules", "The scheduled re-syncs of one symbol, one per interval (may be empty)."
    ),
    ("put", "/v1/schedules/{symbol}"): Operation(
        "putSchedule",
        "Creates (201, with `Location`) or replaces (200) the re-sync schedule of a symbol "
        "and interval: ingest-history syncs it again at that period.",
    ),
    ("delete", "/v1/schedules/{symbol}"): Operation(
        "deleteSchedule", "Removes the re-sync schedule of a symbol and interval."
    ),
    ("get", "/v1/stream/events"): Operation(
        "streamEvents",
        "A Server-Sent Events stream of live quotes and bars for the given symbols, and of "
        "sync jobs (`jobs=1` or `job_id`). See the operation's notes on payloads and "
        "resuming with Last-Event-ID.",
    ),
    ("get", "/v1/stream/status"): Operation(
        "getStreamStatus",
        "Each ingest-stream shard's quote session: connected, symbols, last quote, reconnects.",
    ),
    ("get", "/v1/stream/subscriptions"): Operation(
        "listSubscriptions", "The live watchlist: the symbols whose quotes are streamed."
    ),
    ("put", "/v1/stream/subscriptions/{symbol}"): Operation(
        "addSubscription",
        "Adds a symbol to the live watchlist (201 with `Location`; 200 when already there).",
    ),
    ("delete", "/v1/stream/subscriptions/{symbol}"): Operation(
        "removeSubscription", "Removes a symbol from the live watchlist."
    ),
    ("get", "/v1/webhooks"): Operation(
        "listWebhooks", "The registered webhooks with their delivery health (no secrets)."
    ),
    ("post", "/v1/webhooks"): Operation(
        "createWebhook",
        "Registers an HTTPS callback for event types (`bar.completed`, `bar.synced`, "
        "`sync.job`, `job.progress`, `job.done`), optionally for some symbols. Deliveries "
        "are signed (Standard Webhooks); the secret is in this answer only.",
    ),
    ("get", "/v1/webhooks/{webhook_id}"): Operation(
        "getWebhook", "One webhook, with its delivery health."
    ),
    ("delete", "/v1/webhooks/{webhook_id}"): Operation(
        "deleteWebhook", "Deletes a webhook; its pending deliveries are dropped."
    ),
}

TAGS = [
    {"name": "bars", "description": "Historical and live-built OHLCV bars; bulk export"},
    {"name": "sync", "description": "History sync jobs: request, watch, list"},
    {"name": "symbols", "description": "Symbols held, their metadata and covered ranges"},
    {"name": "quotes", "description": "Latest quotes of watched symbols"},
    {"name": "stream", "description": "The live watchlist and the Server-Sent Events stream"},
    {"name": "schedules", "description": "Periodic re-syncs"},
    {"name": "webhooks", "description": "Signed HTTPS callbacks for events"},
    {"name": "health", "description": "Liveness of the gateway and its dependencies"},
    {"name": "operations", "description": "Metrics for operators"},
]


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)
