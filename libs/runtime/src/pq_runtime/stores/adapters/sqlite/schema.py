"""Tables of the runtime in a service's SQLite database."""

from __future__ import annotations

RUNTIME_SCHEMA = """
CREATE TABLE IF NOT EXISTS pq_outbox (
    seq            INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id       TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    schema_version INTEGER NOT NULL,
    subject        TEXT NOT NULL,
    partition_key  TEXT NOT NULL,
    correlation_id TEXT,
    traceparent    TEXT,
    payload        BLOB NOT NULL,
    created_at     REAL NOT NULL,
    claimed_by     TEXT,
    lease_until    REAL,
    sent_at        REAL,
    stream         TEXT,
    stream_seq     INTEGER
);
CREATE INDEX IF NOT EXISTS pq_outbox_pending ON pq_outbox(seq) WHERE sent_at IS NULL;
CREATE INDEX IF NOT EXISTS pq_outbox_leased
    ON pq_outbox(lease_until, partition_key) WHERE sent_at IS NULL AND claimed_by IS NOT NULL;
CREATE INDEX IF NOT EXISTS pq_outbox_sent ON pq_outbox(sent_at) WHERE sent_at IS NOT NULL;

CREATE TABLE IF NOT EXISTS pq_inbox (
    consumer     TEXT NOT NULL,
    event_id     TEXT NOT NULL,
    processed_at REAL NOT NULL,
    PRIMARY KEY (consumer, event_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS pq_inbox_age ON pq_inbox(processed_at);
"""

OUTBOX_COLUMNS = (
    "seq, event_id, event_type, schema_version, subject, partition_key, correlation_id, "
    "traceparent, payload, created_at, sent_at, stream, stream_seq"
)

INSERT_OUTBOX = (
    "INSERT INTO pq_outbox (event_id, event_type, schema_version, subject, partition_key, "
    "correlation_id, traceparent, payload, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)

INSERT_INBOX = "INSERT OR IGNORE INTO pq_inbox (consumer, event_id, processed_at) VALUES (?, ?, ?)"
