-- The list at any size: a total the writes keep, a trigram index for the
-- search, and a NOT NULL sort expression for "last verified" (keyset paging
-- compares (expression, id) pairs, which NULL would not).

-- The number of connections, and a generation every write that can change a
-- search's result bumps: a search's total is counted once per generation.
CREATE TABLE connection_count (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    total       INTEGER NOT NULL,
    generation  INTEGER NOT NULL
);
INSERT INTO connection_count (id, total, generation) SELECT 1, COUNT(*), 0 FROM connections;

CREATE TRIGGER connection_count_insert AFTER INSERT ON connections BEGIN
    UPDATE connection_count SET total = total + 1, generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER connection_count_delete AFTER DELETE ON connections BEGIN
    UPDATE connection_count SET total = total - 1, generation = generation + 1 WHERE id = 1;
END;
CREATE TRIGGER connection_count_update AFTER UPDATE OF name_key, cloud_name ON connections BEGIN
    UPDATE connection_count SET generation = generation + 1 WHERE id = 1;
END;

-- `q`: substrings of the name and the cloud name, through trigrams (FTS5,
-- external content: the text stays in `connections` only).
CREATE VIRTUAL TABLE connections_search USING fts5(
    name_key, cloud_name, content = 'connections', content_rowid = 'id', tokenize = 'trigram'
);
INSERT INTO connections_search (connections_search) VALUES ('rebuild');

CREATE TRIGGER connections_search_insert AFTER INSERT ON connections BEGIN
    INSERT INTO connections_search (rowid, name_key, cloud_name)
        VALUES (new.id, new.name_key, new.cloud_name);
END;
CREATE TRIGGER connections_search_delete AFTER DELETE ON connections BEGIN
    INSERT INTO connections_search (connections_search, rowid, name_key, cloud_name)
        VALUES ('delete', old.id, old.name_key, old.cloud_name);
END;
CREATE TRIGGER connections_search_update AFTER UPDATE OF name_key, cloud_name ON connections BEGIN
    INSERT INTO connections_search (connections_search, rowid, name_key, cloud_name)
        VALUES ('delete', old.id, old.name_key, old.cloud_name);
    INSERT INTO connections_search (rowid, name_key, cloud_name)
        VALUES (new.id, new.name_key, new.cloud_name);
END;

-- Never checked sorts as '' (first ascending, as NULL did).
DROP INDEX connections_checked_at;
CREATE INDEX connections_checked_at ON connections (COALESCE(checked_at, ''), id);
