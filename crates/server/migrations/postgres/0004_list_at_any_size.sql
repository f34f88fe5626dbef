-- The list at any size: a total the writes keep, trigram indexes for the
-- search, and a NOT NULL sort expression for "last verified" (keyset paging
-- compares (expression, id) pairs, which NULL would not).

-- pg_trgm ships with PostgreSQL (Debian: in the `postgresql-<n>` package) and
-- is a trusted extension: the database's owner may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- `q` is LIKE '%…%' on these two expressions; from three characters on, the
-- GIN trigram indexes answer it.
CREATE INDEX connections_name_trgm ON connections USING gin (name_key gin_trgm_ops);
CREATE INDEX connections_cloud_name_trgm ON connections USING gin (lower(cloud_name) gin_trgm_ops);

-- The number of connections, and a generation every write that can change a
-- search's result bumps: each instance counts a search once per generation.
CREATE TABLE connection_count (
    id          INT    PRIMARY KEY CHECK (id = 1),
    total       BIGINT NOT NULL,
    generation  BIGINT NOT NULL
);
INSERT INTO connection_count (id, total, generation) SELECT 1, COUNT(*), 0 FROM connections;

CREATE FUNCTION connection_count_track() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE connection_count SET total = total + 1, generation = generation + 1 WHERE id = 1;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE connection_count SET total = total - 1, generation = generation + 1 WHERE id = 1;
    ELSE
        UPDATE connection_count SET generation = generation + 1 WHERE id = 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER connection_count_track
    AFTER INSERT OR DELETE OR UPDATE OF name_key, cloud_name ON connections
    FOR EACH ROW EXECUTE FUNCTION connection_count_track();

-- Never checked sorts as '' (first ascending, as NULL did).
DROP INDEX connections_checked_at;
CREATE INDEX connections_checked_at ON connections (COALESCE(checked_at, ''), id);
