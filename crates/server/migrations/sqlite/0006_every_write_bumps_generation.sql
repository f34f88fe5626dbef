-- Every change of a connection bumps the generation (0005 bumped it for the
-- searched columns only): a list page's JSON is kept until the next write
-- (store/kept.rs), so a new status or a renamed field must end it too.
DROP TRIGGER connection_count_update;
CREATE TRIGGER connection_count_update AFTER UPDATE ON connections BEGIN
    UPDATE connection_count SET generation = generation + 1 WHERE id = 1;
END;
