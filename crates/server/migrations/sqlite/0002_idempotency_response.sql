-- The first answer to a create with an Idempotency-Key (the connection as JSON,
-- without secrets), returned again to every replay of that key.
ALTER TABLE idempotency_keys ADD COLUMN response TEXT NOT NULL DEFAULT '';
