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
    -- key of the field a verification problem most likely lies in
    status_field    TEXT,
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
-- `request_hash` is a keyed HMAC of the request body (it holds secrets), never the body.
CREATE TABLE idempotency_keys (
    key            TEXT PRIMARY KEY,
    request_hash   TEXT NOT NULL,
    connection_id  INTEGER NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX idempotency_keys_created_at ON idempotency_keys (created_at);

-- Server facts: `key_check` is a known text encrypted with the secrets' key, so a
-- start with another key is refused instead of returning garbage.
CREATE TABLE meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
