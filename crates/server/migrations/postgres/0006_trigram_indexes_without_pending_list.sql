-- The trigram indexes of the search (0004) without GIN's pending list: with
-- `fastupdate` on, new entries wait in an unsorted list that every search reads
-- through until a vacuum merges it, so a search after many creates read up to
-- 4 MB more (at 100,000 connections, 3.7 ms instead of 0.45 ms). Off, each
-- write puts its trigrams into the index at once: a little more per create,
-- and a search that costs the same however the rows came in.
ALTER INDEX connections_name_trgm SET (fastupdate = off);
ALTER INDEX connections_cloud_name_trgm SET (fastupdate = off);
SELECT gin_clean_pending_list('connections_name_trgm'::regclass);
SELECT gin_clean_pending_list('connections_cloud_name_trgm'::regclass);
