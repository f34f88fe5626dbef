-- Every change of a connection bumps the generation (0004 bumped it for the
-- searched columns only): a list page's JSON is kept until the next write
-- (store/kept.rs), so a new status or a renamed field must end it too.
DROP TRIGGER connection_count_track ON connections;
CREATE TRIGGER connection_count_track
    AFTER INSERT OR DELETE OR UPDATE ON connections
    FOR EACH ROW EXECUTE FUNCTION connection_count_track();
