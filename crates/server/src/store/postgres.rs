//! The PostgreSQL backend: one database that several server instances share.
//! Nothing that decides correctness lives in an instance's memory: names are
//! unique by index, updates carry `WHERE version = …`, and an Idempotency-Key
//! is claimed by inserting its row, which makes a concurrent claim of the same
//! key wait for the first transaction's outcome.

use std::time::Duration;

use connections_api::{SortKey, Status};
use sqlx::migrate::Migrator;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;

use super::page::{self, Arg, Dialect, Probe};
use super::{
    idempotency_cutoff, json, migrations_applied, now_rfc3339, Claim, EventRow, ListRow, NewEvent,
    PageSpec, Rebind, Row, Seal, StoreError, Values, COLUMNS, EVENT_COLUMNS,
};

static MIGRATOR: Migrator = sqlx::migrate!("./migrations/postgres");

/// Advisory lock of the start-up re-encryption, so instances starting together take turns.
const REBIND_LOCK: i64 = 0x636f_6e6e_6563_7431;

#[derive(Clone)]
pub(super) struct Postgres {
    pool: PgPool,
}

impl Postgres {
    /// Connects and migrates (sqlx's migrator holds an advisory lock meanwhile,
    /// so instances starting together apply each migration once).
    pub async fn open(options: PgConnectOptions) -> Result<Postgres, sqlx::Error> {
        let pool = PgPoolOptions::new()
            .max_connections(8)
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await?;
        MIGRATOR.run(&pool).await?;
        Ok(Postgres { pool })
    }

    pub fn pool(&self) -> &PgPool {
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
        sqlx::query(
            "INSERT INTO meta (key, value) VALUES ('key_check', $1) ON CONFLICT (key) DO NOTHING",
        )
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
        let mut tx = self.pool.begin().await.map_err(|e| e.to_string())?;
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(REBIND_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(|e| e.to_string())?;
        let rows: Vec<(i64, String)> = sqlx::query_as(
            "SELECT id, secrets FROM connections WHERE secrets <> '{}' ORDER BY id FOR UPDATE",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(|e| e.to_string())?;
        let mut changed = 0usize;
        for (id, secrets) in rows {
            let Some(bound) = rebind(id, &secrets)? else {
                continue;
            };
            sqlx::query("UPDATE connections SET secrets = $1 WHERE id = $2")
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
            sqlx::query("UPDATE meta SET value = $1 WHERE key = 'key_check'")
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

    /// (connections, generation): the counter the writes keep (migration 0004).
    pub async fn counter(&self) -> Result<(i64, i64), sqlx::Error> {
        sqlx::query_as("SELECT total, generation FROM connection_count WHERE id = 1")
            .fetch_one(&self.pool)
            .await
    }

    /// The number of rows the search of `spec` matches.
    pub async fn count(&self, spec: &PageSpec) -> Result<i64, sqlx::Error> {
        let sql = page::count_sql::<Pg>(spec);
        let (n,): (i64,) = bind(sqlx::query_as(&sql.text), &sql.args)
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    pub async fn hits(&self, spec: &PageSpec, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
        let sql = page::hits_sql::<Pg>(spec, limit);
        let rows: Vec<(i64,)> = bind(sqlx::query_as(&sql.text), &sql.args)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(|(id,)| id).collect())
    }

    pub async fn page(&self, spec: &PageSpec) -> Result<Vec<ListRow>, sqlx::Error> {
        let sql = page::page_sql::<Pg>(spec, COLUMNS);
        bind(sqlx::query_as(&sql.text), &sql.args)
            .fetch_all(&self.pool)
            .await
    }

    pub async fn list_plan(&self, spec: &PageSpec) -> Result<Vec<String>, sqlx::Error> {
        let sql = page::page_sql::<Pg>(spec, COLUMNS);
        let mut tx = self.pool.begin().await?;
        sqlx::query("SET LOCAL enable_sort = off")
            .execute(&mut *tx)
            .await?;
        sqlx::query("SET LOCAL enable_seqscan = off")
            .execute(&mut *tx)
            .await?;
        let plan = format!("EXPLAIN {}", sql.text);
        let rows: Vec<(String,)> = bind(sqlx::query_as(&plan), &sql.args)
            .fetch_all(&mut *tx)
            .await?;
        tx.rollback().await?;
        Ok(rows.into_iter().map(|r| r.0).collect())
    }

    pub async fn get(&self, id: i64) -> Result<Option<Row>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM connections WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// One transaction. With a key, its row is inserted first: a concurrent
    /// transaction with the same key (on any instance) waits in its own insert
    /// until this one commits (then finds the key) or rolls back (then claims it).
    pub async fn create(
        &self,
        values: &Values<'_>,
        seal: &Seal<'_>,
        idempotency: Option<(&str, &str)>,
        event: &NewEvent<'_>,
    ) -> Result<Claim, StoreError> {
        let now = now_rfc3339();
        let mut tx = self.pool.begin().await?;
        if let Some((key, fingerprint)) = idempotency {
            let cutoff = idempotency_cutoff();
            // Forgets old keys without waiting for rows other transactions hold.
            sqlx::query(
                "DELETE FROM idempotency_keys WHERE key IN (SELECT key FROM idempotency_keys \
                 WHERE created_at < $1 FOR UPDATE SKIP LOCKED)",
            )
            .bind(&cutoff)
            .execute(&mut *tx)
            .await?;
            let claimed: Option<String> = sqlx::query_scalar(
                "INSERT INTO idempotency_keys (key, request_hash, connection_id, created_at, response) \
                 VALUES ($1, $2, 0, $3, '') \
                 ON CONFLICT (key) DO UPDATE SET request_hash = EXCLUDED.request_hash, \
                 connection_id = 0, created_at = EXCLUDED.created_at, response = '' \
                 WHERE idempotency_keys.created_at < $4 RETURNING key",
            )
            .bind(key)
            .bind(fingerprint)
            .bind(&now)
            .bind(&cutoff)
            .fetch_optional(&mut *tx)
            .await?;
            if claimed.is_none() {
                let seen: (String, i64, String) = sqlx::query_as(
                    "SELECT request_hash, connection_id, response FROM idempotency_keys WHERE key = $1",
                )
                .bind(key)
                .fetch_one(&mut *tx)
                .await?;
                tx.rollback().await?;
                return Ok(Claim::Seen {
                    request_hash: seen.0,
                    connection_id: seen.1,
                    response: seen.2,
                });
            }
        }
        let id = insert_row(&mut tx, values, seal, &now, event).await?;
        let row: Row = sqlx::query_as(&format!("SELECT {COLUMNS} FROM connections WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        if let Some((key, _)) = idempotency {
            sqlx::query(
                "UPDATE idempotency_keys SET connection_id = $1, response = $2 WHERE key = $3",
            )
            .bind(id)
            .bind(json(&row.to_connection()))
            .bind(key)
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
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(rows.len());
        for (values, seal) in rows {
            ids.push(insert_row(&mut tx, values, seal, &now, event).await?);
        }
        tx.commit().await?;
        Ok(ids)
    }

    pub async fn remember_response(&self, key: &str, response: &str) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE idempotency_keys SET response = $1 WHERE key = $2")
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
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE connections SET name = $1, name_key = $2, driver = $3, cloud_name = $4, \
             fields = $5, secrets = $6, updated_at = $7, version = version + 1 \
             WHERE id = $8 AND version = $9",
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
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query("DELETE FROM connections WHERE id = $1")
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
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE connection_id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<EventRow> = sqlx::query_as(&format!(
            "SELECT {EVENT_COLUMNS} FROM events WHERE connection_id = $1 \
             ORDER BY id DESC LIMIT $2 OFFSET $3"
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
        let mut tx = self.pool.begin().await?;
        let before: Option<String> = sqlx::query_scalar(
            "SELECT status_state FROM connections WHERE id = $1 AND version = $2 FOR UPDATE",
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
            "UPDATE connections SET status_state = $1, status_message = $2, status_field = $3, \
             checked_at = $4 WHERE id = $5 AND version = $6",
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

/// PostgreSQL's list SQL (see [`page`]).
struct Pg;

impl Dialect for Pg {
    fn placeholder(n: usize) -> String {
        format!("${n}")
    }

    // Each has an index on (expression, id) (name_key: unique alone), so a page is read in order.
    fn sort_expr(sort: SortKey) -> &'static str {
        match sort {
            SortKey::Id => "id",
            SortKey::Name => "name_key",
            SortKey::Driver => "driver",
            // lower() of "C" text folds ASCII, as SQLite's NOCASE does.
            SortKey::CloudName => "lower(cloud_name)",
            SortKey::Status => "status_state",
            // Never checked: '' sorts first ascending, as in SQLite.
            SortKey::LastVerified => "COALESCE(checked_at, '')",
            SortKey::CreatedAt => "created_at",
            SortKey::UpdatedAt => "updated_at",
        }
    }

    fn sort_value(sort: SortKey) -> &'static str {
        match sort {
            SortKey::Id => "NULL::text",
            other => Self::sort_expr(other),
        }
    }

    // OFFSET 0 keeps a subquery from being pulled up into the outer query.
    const KEEP_APART: &'static str = "OFFSET 0";

    fn sorted_key(_: SortKey) -> &'static str {
        "sort_key"
    }

    fn among(ids: &[i64], bind: &mut dyn FnMut(Arg) -> String) -> String {
        let items: Vec<String> = ids.iter().map(i64::to_string).collect();
        let list = bind(Arg::Text(format!("{{{}}}", items.join(","))));
        format!("id = ANY(CAST({list} AS BIGINT[]))")
    }

    fn recheck(spec: &PageSpec, bind: &mut dyn FnMut(Arg) -> String) -> String {
        // `|| ''`: an expression no index serves, so the planner does not read the
        // trigram lists for it.
        let p = bind(Arg::Text(spec.pattern.clone().unwrap_or_default()));
        let id = bind(Arg::Int(spec.id));
        format!(
            "((name_key || '') LIKE {p} ESCAPE '\\' \
             OR (lower(cloud_name) || '') LIKE {p} ESCAPE '\\' OR id = {id})"
        )
    }

    fn search(spec: &PageSpec, _: Probe, bind: &mut dyn FnMut(Arg) -> String) -> String {
        // The pg_trgm indexes (migration 0004) serve LIKE '%…%' of three characters or more;
        // the planner weighs them against reading in the sort order and testing each row.
        // lower() of "C" text folds ASCII, as SQLite's LIKE does; name_key is lower case.
        match spec.probe_pattern() {
            None => {
                let p = bind(Arg::Text(spec.pattern.clone().unwrap_or_default()));
                let id = bind(Arg::Int(spec.id));
                format!(
                    "(name_key LIKE {p} ESCAPE '\\' OR lower(cloud_name) LIKE {p} ESCAPE '\\' \
                     OR id = {id})"
                )
            }
            // With a probe (narrow.rs), the indexes read that part of the text, and each
            // row they find is tested against the whole text.
            // (The id is matched apart: it need not hold the text.)
            Some(w) => {
                let w = bind(Arg::Text(w));
                let whole = Self::recheck(spec, bind);
                let id = bind(Arg::Int(spec.id));
                format!(
                    "(((name_key LIKE {w} ESCAPE '\\' OR lower(cloud_name) LIKE {w} ESCAPE '\\') \
                     AND {whole}) OR id = {id})"
                )
            }
        }
    }
}

/// `query` with `args` bound in order.
fn bind<'q, O>(
    mut query: sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>,
    args: &'q [Arg],
) -> sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments> {
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
    conn: &mut sqlx::PgConnection,
    values: &Values<'_>,
    seal: &Seal<'_>,
    now: &str,
    event: &NewEvent<'_>,
) -> Result<i64, sqlx::Error> {
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO connections (name, name_key, driver, cloud_name, fields, secrets, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, '{}', $6, $6) RETURNING id",
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
        sqlx::query("UPDATE connections SET secrets = $1 WHERE id = $2")
            .bind(secrets)
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    insert_event(conn, id, now, event).await?;
    Ok(id)
}

async fn insert_event(
    conn: &mut sqlx::PgConnection,
    id: i64,
    at: &str,
    event: &NewEvent<'_>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO events (connection_id, at, actor_id, actor_name, action, changed, status) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
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
