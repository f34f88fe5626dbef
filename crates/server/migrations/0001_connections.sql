-- Connections. Secret values live only in `secrets`, encrypted (see crypto.rs).
CREATE TABLE connections (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    name            TEXT    NOT NULL,
    -- lower-cased name: unique, and the key for case-insensitive sorting
    name_key        TEXT    NOT NULL,
    driver          TEXT    NOT NULL,
    -- copy of fields.cloud_name, for filtering and sorting
    cloud_name      TEXT    NOT NULL DEFAULT '',
    -- JSON object of the non-secret field values
    fields          TEXT    NOT NULL DEFAULT '{}',
    -- JSON object: secret key -> base64(nonce || AES-256-GCM ciphertext)
    secrets         TEXT    NOT NULL DEFAULT '{}',
    status_state    TEXT    NOT NULL DEFAULT 'unverified',
    status_message  TEXT,
    checked_at      TEXT,
    created_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1
);

CREATE UNIQUE INDEX connections_name_unique ON connections (name_key);
CREATE INDEX connections_driver ON connections (driver, id);
CREATE INDEX connections_cloud_name ON connections (cloud_name COLLATE NOCASE, id);
CREATE INDEX connections_status ON connections (status_state, id);
CREATE INDEX connections_checked_at ON connections (checked_at, id);
CREATE INDEX connections_created_at ON connections (created_at, id);
CREATE INDEX connections_updated_at ON connections (updated_at, id);

-- Idempotency-Key of create requests, remembered for at least 24 hours.
CREATE TABLE idempotency_keys (
    key            TEXT PRIMARY KEY,
    request_hash   TEXT NOT NULL,
    connection_id  INTEGER,
    created_at     TEXT NOT NULL
);
