-- Scheduled checks (CLOUDINARY_CONNECTIONS_RECHECK). `check_schedule`: when each
-- connection is due, and until when an instance holds it (lease_until; '' sorts
-- before every time). An instance claims a due check with one UPDATE whose
-- condition (`next_check_at <= now AND lease_until < now`) only one can meet.
CREATE TABLE check_schedule (
    connection_id  INTEGER PRIMARY KEY,
    next_check_at  TEXT    NOT NULL,
    lease_until    TEXT    NOT NULL DEFAULT ''
);
CREATE INDEX check_schedule_due ON check_schedule (next_check_at);

-- One row per Cloudinary account (a hash of the driver, host and API key, never
-- the key): at most one scheduled call at a time (lease_until), and none before
-- a rate limit ends (paused_until).
CREATE TABLE check_accounts (
    account        TEXT    PRIMARY KEY,
    lease_until    TEXT    NOT NULL DEFAULT '',
    paused_until   TEXT    NOT NULL DEFAULT ''
);
