-- The history of each connection, append-only: one row per change, written in
-- the transaction of the change. Never a secret value: `changed` names fields.
CREATE TABLE events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    connection_id  INTEGER NOT NULL,
    at             TEXT    NOT NULL,
    -- NULL: the server itself (scheduled checks)
    actor_id       TEXT,
    actor_name     TEXT,
    -- created | updated | secret_replaced | verified | deleted
    action         TEXT    NOT NULL,
    -- JSON array of changed field names, or NULL
    changed        TEXT,
    -- JSON object {state, message?} of a verification, or NULL
    status         TEXT
);
CREATE INDEX events_connection ON events (connection_id, id);
