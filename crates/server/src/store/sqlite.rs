//! The SQLite backend: one file in the data dir (WAL, `synchronous = FULL`), one
//! process. Writes that must not interleave take the write lock first
//! (`BEGIN IMMEDIATE`).

use std::time::Duration;

use connections_api::{SortKey, Status};
use sqlx::migrate::Migrator;
use sqlx::query::QueryAs;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{FromRow, SqlitePool};

use super::page::{self, Arg, Dialect, Probe};
use super::{
    idempotency_cutoff, json, migrations_applied, now_rfc3339, Claim, EventRow, ListRow, NewEvent,
    PageSpec, Rebind, Row, Seal, StoreError, Values, COLUMNS, EVENT_COLUMNS,
};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/sqlite");

#[derive(Clone)]
pub(super) struct Sqlite {
    pool: SqlitePool,
}

impl Sqlite {
    /// Opens the file named by `options` (created if missing) and migrates it.
    pub async fn open(options: SqliteConnectOptions) -> Result<Sqlite, sqlx::Error> {
        let options = options
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged write survives kill -9 and power loss.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Sqlite { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn ready(&self) -> Result<(), String> {
        let applied: Vec<i64> =
            sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success")
                .fetch_all(&self.pool)
                .await
                .map_err(|e| e.to_string())?;
        migrations_applied(&MIGRATOR, &applied)
    }

    pub async fn key_check(&self) -> Result<Option<String>, sqlx::Error> {
        sqlx::query_scalar("SELECT value FROM meta WHERE key = 'key_check'")
            .fetch_optional(&self.pool)
            .await
    }

    /// Stores `value` unless a check is stored already; returns the stored one.
    pub async fn insert_key_check(&self, value: &str) -> Result<String, sqlx::Error> {
        sqlx::query("INSERT OR IGNORE INTO meta (key, value) VALUES ('key_check', ?1)")
            .bind(value)
            .execute(&self.pool)
            .await?;
        sqlx::query_scalar("SELECT value FROM meta WHERE key = 'key_check'")
            .fetch_one(&self.pool)
            .await
    }

    /// Rewrites every row's secrets with `rebind` in one transaction (all or
    /// none); with `key_check`, also replaces the key check and forgets the
    /// idempotency keys (their fingerprints are keyed with the old key).
    pub async fn rewrite_secrets(
        &self,
        rebind: &Rebind<'_>,
        key_check: Option<&str>,
    ) -> Result<usize, String> {
        let mut tx = self
            .pool
            .begin_with("BEGIN IMMEDIATE")
            .await
            .map_err(|e| e.to_string())?;
        let rows: Vec<(i64, String)> =
            sqlx::query_as("SELECT id, secrets FROM connections WHERE secrets <> '{}'")
                .fetch_all(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
        let mut changed = 0usize;
        for (id, secrets) in rows {
            let Some(bound) = rebind(id, &secrets)? else {
                continue;
            };
            sqlx::query("UPDATE connections SET secrets = ?1 WHERE id = ?2")
                .bind(bound)
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            changed += 1;
            // Lets a test stop the process in the middle of the transaction.
            fail::fail_point!("store::rewrite-secrets");
        }
        if let Some(check) = key_check {
            sqlx::query("UPDATE meta SET value = ?1 WHERE key = 'key_check'")
                .bind(check)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            sqlx::query("DELETE FROM idempotency_keys")
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        Ok(changed)
    }

    /// (connections, generation): the counter the writes keep (migration 0005).
    pub async fn counter(&self) -> Result<(i64, i64), sqlx::Error> {
        sqlx::query_as("SELECT total, generation FROM connection_count WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    /// The number of rows the search of `spec` matches.
    pub async fn count(&self, spec: &PageSpec) -> Result<i64, sqlx::Error> {
        let sql = page::count_sql::<Lite>(spec);
        let (n,): (i64,) = bind(sqlx::query_as(&sql.text), &sql.args)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    pub async fn hits(&self, spec: &PageSpec, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
        let sql = page::hits_sql::<Lite>(spec, limit);
        let rows: Vec<(i64,)> = bind(sqlx::query_as(&sql.text), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn page(&self, spec: &PageSpec) -> Result<Vec<ListRow>, sqlx::Error> {
        let sql = page::page_sql::<Lite>(spec, COLUMNS);
        bind(sqlx::query_as(&sql.text), &sql.args)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn list_plan(&self, spec: &PageSpec) -> Result<Vec<String>, sqlx::Error> {
        let sql = page::page_sql::<Lite>(spec, COLUMNS);
        let plan = format!("EXPLAIN QUERY PLAN {}", sql.text);
        let rows: Vec<(i64, i64, i64, String)> = bind(sqlx::query_as(&plan), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|r| r.3).collect())
    }

    pub async fn get(&self, id: i64) -> Result<Option<Row>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM connections WHERE id = ?1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// One transaction that takes the write lock first, so concurrent requests
    /// with one key make one row.
    pub async fn create(
        &self,
        values: &Values<'_>,
        seal: &Seal<'_>,
        idempotency: Option<(&str, &str)>,
        event: &NewEvent<'_>,
    ) -> Result<Claim, StoreError> {
        let now = now_rfc3339();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some((key, _)) = idempotency {
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?1")
                .bind(idempotency_cutoff())
                .execute(&mut *tx)
                .await?;
            let seen: Option<(String, i64, String)> = sqlx::query_as(
                "SELECT request_hash, connection_id, response FROM idempotency_keys WHERE key = ?1",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((request_hash, connection_id, response)) = seen {
                tx.rollback().await?;
                return Ok(Claim::Seen {
                    request_hash,
                    connection_id,
                    response,
                });
            }
        }
        let id = insert_row(&mut tx, values, seal, &now, event).await?;
        let row: Row = sqlx::query_as(&format!("SELECT {COLUMNS} FROM connections WHERE id = ?1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if let Some((key, fingerprint)) = idempotency {
            sqlx::query(
                "INSERT INTO idempotency_keys (key, request_hash, connection_id, created_at, response) \
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )
            .bind(key)
            .bind(fingerprint)
            .bind(id)
            .bind(&now)
            .bind(json(&row.to_connection()))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Claim::Created(row))
    }

    /// Inserts every row of `rows` in one transaction (all or none), each with
    /// its event; returns their ids.
    pub async fn create_many(
        &self,
        rows: &[(Values<'_>, &Seal<'_>)],
        event: &NewEvent<'_>,
    ) -> Result<Vec<i64>, StoreError> {
        let now = now_rfc3339();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut ids = Vec::with_capacity(rows.len());
        for (values, seal) in rows {
            ids.push(insert_row(&mut tx, values, seal, &now, event).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn remember_response(&self, key: &str, response: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE idempotency_keys SET response = ?1 WHERE key = ?2")
            .bind(response)
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// `false` when the row is gone or no longer at `version`.
    pub async fn update(
        &self,
        id: i64,
        version: i64,
        values: &Values<'_>,
        secrets: &str,
        now: &str,
        events: &[NewEvent<'_>],
    ) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query(
            "UPDATE connections SET name = ?1, name_key = ?2, driver = ?3, cloud_name = ?4, \
             fields = ?5, secrets = ?6, updated_at = ?7, version = version + 1 \
             WHERE id = ?8 AND version = ?9",
        )
        .bind(values.name)
        .bind(&values.name_key)
        .bind(values.driver)
        .bind(values.cloud_name)
        .bind(&values.fields)
        .bind(secrets)
        .bind(now)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        for event in events {
            insert_event(&mut tx, id, now, event).await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    pub async fn delete(&self, id: i64, event: &NewEvent<'_>) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let done = sqlx::query("DELETE FROM connections WHERE id = ?1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            tx.rollback().await?;
            return Ok(false);
        }
        insert_event(&mut tx, id, &now_rfc3339(), event).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// (number of events of `id`, the page of them newest first).
    pub async fn history(
        &self,
        id: i64,
        offset: i64,
        limit: i64,
    ) -> Result<(i64, Vec<EventRow>), sqlx::Error> {
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE connection_id = ?1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE connection_id = ?1 \
             ORDER BY id DESC LIMIT ?2 OFFSET ?3"
        ))
        .bind(id)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        Ok((total, rows))
    }

    pub async fn set_status(
        &self,
        id: i64,
        version: i64,
        status: &Status,
        event: &NewEvent<'_>,
        only_changes: bool,
    ) -> Result<bool, sqlx::Error> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let before: Option<String> = sqlx::query_scalar(
            "SELECT status_state FROM connections WHERE id = ?1 AND version = ?2",
        )
        .bind(id)
        .bind(version)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(before) = before else {
            tx.rollback().await?;
            return Ok(false);
        };
        sqlx::query(
            "UPDATE connections SET status_state = ?1, status_message = ?2, status_field = ?3, \
             checked_at = ?4 WHERE id = ?5 AND version = ?6",
        )
        .bind(status.state.as_str())
        .bind(&status.message)
        .bind(&status.field)
        .bind(&status.checked_at)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if !only_changes || before != status.state.as_str() {
            let at = status.checked_at.clone().unwrap_or_else(now_rfc3339);
            insert_event(&mut tx, id, &at, event).await?;
        }
        tx.commit().await?;
        Ok(true)
    }
}

/// SQLite's list SQL (see [`page`]).
struct Lite;

impl Dialect for Lite {
    fn placeholder(n: usize) -> String {
        format!("?{n}")
    }

    // Each has an index on (expression, id) (name_key: unique alone), so a page is read in order.
    fn sort_expr(sort: SortKey) -> &'static str {
        match sort {
            SortKey::Id => "id",
            SortKey::Name => "name_key",
            SortKey::Driver => "driver",
            SortKey::CloudName => "cloud_name COLLATE NOCASE",
            SortKey::Status => "status_state",
            // Never checked: '' sorts first ascending, as NULL did.
            SortKey::LastVerified => "COALESCE(checked_at, '')",
            SortKey::CreatedAt => "created_at",
            SortKey::UpdatedAt => "updated_at",
        }
    }

    fn sort_value(sort: SortKey) -> &'static str {
        match sort {
            SortKey::Id => "NULL",
            SortKey::CloudName => "cloud_name",
            other => Self::sort_expr(other),
        }
    }

    // A subquery with a LIMIT is not flattened into a query with one.
    const KEEP_APART: &'static str = "LIMIT -1";

    fn sorted_key(sort: SortKey) -> &'static str {
        match sort {
            SortKey::CloudName => "sort_key COLLATE NOCASE",
            _ => "sort_key",
        }
    }

    fn among(ids: &[i64], bind: &mut dyn FnMut(Arg) -> String) -> String {
        let list = bind(Arg::Text(json(&ids)));
        format!("id IN (SELECT value FROM json_each({list}))")
    }

    fn recheck(spec: &PageSpec, bind: &mut dyn FnMut(Arg) -> String) -> String {
        Self::search(spec, Probe::EachRow, bind)
    }

    fn search(spec: &PageSpec, how: Probe, bind: &mut dyn FnMut(Arg) -> String) -> String {
        let q = spec.q.as_deref().unwrap_or_default();
        let id = bind(Arg::Int(spec.id));
        // Row by row, the index would first list every match (all 100,000 rows for a text
        // each name holds) before the page's few rows are read: LIKE tests each row instead.
        if how == Probe::Index && q.chars().count() >= 3 {
            // The trigram index (migration 0005): a quoted phrase matches as a substring,
            // case folded; name_key and the search are lower case already.
            // With a probe (narrow.rs), the index reads that part of the text and each row
            // it finds is tested against the whole text.
            let text = spec.probe.as_deref().unwrap_or(q);
            let phrase = bind(Arg::Text(format!("\"{}\"", text.replace('"', "\"\""))));
            let hits = format!(
                "id IN (SELECT rowid FROM connections_search WHERE connections_search MATCH {phrase})"
            );
            match spec.probe {
                None => format!("({hits} OR id = {id})"),
                Some(_) => {
                    let p = bind(Arg::Text(spec.pattern.clone().unwrap_or_default()));
                    format!(
                        "(({hits} AND (name_key LIKE {p} ESCAPE '\\' \
                         OR cloud_name LIKE {p} ESCAPE '\\')) OR id = {id})"
                    )
                }
            }
        } else {
            // Row by row, or too short for trigrams. LIKE ignores ASCII case; name_key is
            // lower case already, and so is the search.
            let p = bind(Arg::Text(spec.pattern.clone().unwrap_or_default()));
            format!(
                "(name_key LIKE {p} ESCAPE '\\' OR cloud_name LIKE {p} ESCAPE '\\' OR id = {id})"
            )
        }
    }
}

/// `query` with `args` bound in order.
fn bind<'q, O>(
    mut query: QueryAs<'q, sqlx::Sqlite, O, SqliteArguments<'q>>,
    args: &'q [Arg],
) -> QueryAs<'q, sqlx::Sqlite, O, SqliteArguments<'q>>
where
    O: for<'r> FromRow<'r, SqliteRow>,
{
    for arg in args {
        query = match arg {
            Arg::Text(t) => query.bind(t),
            Arg::Int(i) => query.bind(*i),
        };
    }
    query
}

/// Appends `event` of connection `id` in the caller's transaction.
/// Inserts a connection, its secrets sealed with the id it gets, and its
/// `created` event: the part of a create that [`Self::create`] and
/// [`Self::create_many`] share, inside their transaction.
async fn insert_row(
    conn: &mut sqlx::SqliteConnection,
    values: &Values<'_>,
    seal: &Seal<'_>,
    now: &str,
    event: &NewEvent<'_>,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO connections (name, name_key, driver, cloud_name, fields, secrets, \
         created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6, ?6) RETURNING id",
    )
    .bind(values.name)
    .bind(&values.name_key)
    .bind(values.driver)
    .bind(values.cloud_name)
    .bind(&values.fields)
    .bind(now)
    .fetch_one(&mut *conn)
    .await?;
    if let Some(secrets) = seal(id) {
        sqlx::query("UPDATE connections SET secrets = ?1 WHERE id = ?2")
            .bind(secrets)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    insert_event(conn, id, now, event).await?;
    Ok(id)
}

async fn insert_event(
    conn: &mut sqlx::SqliteConnection,
    id: i64,
    at: &str,
    event: &NewEvent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (connection_id, at, actor_id, actor_name, action, changed, status) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )
    .bind(id)
    .bind(at)
    .bind(event.actor_id())
    .bind(event.actor_name())
    .bind(event.action.as_str())
    .bind(&event.changed)
    .bind(&event.status)
    .execute(conn)
    .await?;
    Ok(())
}
