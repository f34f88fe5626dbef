//! Storage of connections in SQLite. The rest of the server sees only this API.
//!
//! Secret values come in as [`SecretString`] and are encrypted here before they
//! reach SQL; they leave only through [`Store::secrets`].

use std::collections::BTreeMap;
use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use connections_api::{Connection, ListQuery, Order, Page, SortKey, State, Status};
use connections_api::{DEFAULT_LIMIT, MAX_LIMIT};
use secrecy::{ExposeSecret, SecretString};
use sqlx::query::QueryAs;
use sqlx::sqlite::{
    SqliteArguments, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{FromRow, Sqlite, SqlitePool};

use crate::crypto::{self, Cipher, DecryptError, KeySource, BOUND_PREFIX, KEY_SETTING};

pub const DB_FILE: &str = "connections.sqlite3";
/// Idempotency keys are remembered at least this long (and purged after twice it).
pub const IDEMPOTENCY_TTL: time::Duration = time::Duration::hours(24);
const KEY_CHECK_TEXT: &str = "cloudinary-connections key check v1";

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
    cipher: Cipher,
}

/// A row as stored; `secrets` is the JSON object of encrypted values.
#[derive(Debug, FromRow)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub driver: String,
    pub fields: String,
    pub secrets: String,
    pub status_state: String,
    pub status_message: Option<String>,
    pub status_field: Option<String>,
    pub checked_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl Row {
    /// The public view: non-secret values, and which secrets are set.
    pub fn to_connection(&self) -> Connection {
        let fields = serde_json::from_str(&self.fields).unwrap_or_default();
        Connection {
            id: self.id,
            name: self.name.clone(),
            driver: self.driver.clone(),
            fields,
            secrets_set: self.secret_keys(),
            status: Status {
                state: State::parse(&self.status_state).unwrap_or_default(),
                message: self.status_message.clone(),
                checked_at: self.checked_at.clone(),
                field: self.status_field.clone(),
            },
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: self.version,
        }
    }

    /// Stands for a row that no longer exists (a replayed create of a deleted connection).
    fn gone(id: i64) -> Row {
        Row {
            id,
            name: String::new(),
            driver: String::new(),
            fields: "{}".into(),
            secrets: "{}".into(),
            status_state: String::new(),
            status_message: None,
            status_field: None,
            checked_at: None,
            created_at: String::new(),
            updated_at: String::new(),
            version: 0,
        }
    }

    /// Keys of the secrets that hold a value.
    pub fn secret_keys(&self) -> Vec<String> {
        encrypted_map(&self.secrets).into_keys().collect()
    }

    /// The non-secret field values.
    pub fn field_values(&self) -> BTreeMap<String, String> {
        serde_json::from_str(&self.fields).unwrap_or_default()
    }
}

fn encrypted_map(json: &str) -> BTreeMap<String, String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// What create and update store: non-secret values and secret values apart.
pub struct Record {
    pub name: String,
    pub driver: String,
    pub fields: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, SecretString>,
}

/// Why a write was not done.
#[derive(Debug)]
pub enum StoreError {
    /// Another connection has this name (compared case-insensitively).
    NameTaken(String),
    /// The connection does not exist.
    NotFound,
    /// The connection is no longer at the expected version.
    Stale {
        current: i64,
    },
    /// The Idempotency-Key was used before with another request.
    KeyReused,
    /// A stored secret does not decrypt.
    Decrypt(DecryptError),
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            if db.is_unique_violation() && db.message().contains("connections.name_key") {
                return StoreError::NameTaken(String::new());
            }
        }
        StoreError::Db(e)
    }
}

/// The result of a create.
pub struct Created {
    pub row: Row,
    /// The first answer to an earlier request with the same Idempotency-Key
    /// (the connection as it was then, JSON), when this is a replay.
    pub replayed: Option<String>,
}

/// Options for opening the store.
pub struct OpenOptions<'a> {
    /// `CLOUDINARY_CONNECTIONS_KEY`, if set.
    pub key: Option<&'a SecretString>,
}

const COLUMNS: &str = "id, name, driver, fields, secrets, status_state, status_message, \
                       status_field, checked_at, created_at, updated_at, version";

/// Current time, RFC 3339 UTC with whole seconds (fixed width, so it sorts as text).
pub fn now_rfc3339() -> String {
    format_time(time::OffsetDateTime::now_utc())
}

pub fn format_time(t: time::OffsetDateTime) -> String {
    let f = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]Z");
    t.to_offset(time::UtcOffset::UTC)
        .format(&f)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".into())
}

impl Store {
    /// Opens (creating if missing) the database in `data_dir`, applies migrations
    /// and checks the secrets' key. The error is one line naming the setting.
    pub async fn open(data_dir: &Path, opts: OpenOptions<'_>) -> Result<Store, String> {
        let db_err = |e: sqlx::Error| {
            format!(
                "CLOUDINARY_CONNECTIONS_DATA_DIR (--data-dir): cannot open the database in {}: {e}",
                data_dir.display()
            )
        };
        let options = SqliteConnectOptions::from_str("sqlite://")
            .map_err(db_err)?
            .filename(data_dir.join(DB_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged write survives kill -9 and power loss.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .map_err(db_err)?;
        sqlx::migrate!("./migrations")
            .run(&pool)
            .await
            .map_err(|e| db_err(e.into()))?;
        let check: Option<String> =
            sqlx::query_scalar("SELECT value FROM meta WHERE key = 'key_check'")
                .fetch_optional(&pool)
                .await
                .map_err(db_err)?;
        let (key, source) = crypto::load_key(opts.key, data_dir, check.is_none())?;
        let cipher = Cipher::new(&key);
        match check {
            Some(stored) => {
                let ok = cipher
                    .decrypt("key_check", &stored)
                    .is_ok_and(|t| t.expose_secret() == KEY_CHECK_TEXT);
                if !ok {
                    return Err(wrong_key_message(&source, data_dir));
                }
            }
            None => {
                let value = cipher.encrypt("key_check", &SecretString::from(KEY_CHECK_TEXT));
                sqlx::query("INSERT OR IGNORE INTO meta (key, value) VALUES ('key_check', ?1)")
                    .bind(value)
                    .execute(&pool)
                    .await
                    .map_err(db_err)?;
            }
        }
        let store = Store { pool, cipher };
        store.bind_secrets_to_rows().await.map_err(|e| {
            format!(
                "CLOUDINARY_CONNECTIONS_DATA_DIR (--data-dir): cannot update the stored secrets in {}: {e}",
                data_dir.display()
            )
        })?;
        Ok(store)
    }

    /// Re-encrypts secrets stored before they were bound to their connection
    /// ([`Cipher::seal`]), in one transaction: all or none.
    async fn bind_secrets_to_rows(&self) -> Result<(), String> {
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
            let map = encrypted_map(&secrets);
            if map.values().all(|v| v.starts_with(BOUND_PREFIX)) {
                continue;
            }
            let mut bound = BTreeMap::new();
            for (field, value) in map {
                let sealed = match value.strip_prefix(BOUND_PREFIX) {
                    Some(_) => value,
                    None => {
                        let plain = self
                            .cipher
                            .decrypt(&field, &value)
                            .map_err(|e| format!("connection {id}, field {field}: {e}"))?;
                        self.cipher.seal(id, &field, &plain)
                    }
                };
                bound.insert(field, sealed);
            }
            sqlx::query("UPDATE connections SET secrets = ?1 WHERE id = ?2")
                .bind(json(&bound))
                .bind(id)
                .execute(&mut *tx)
                .await
                .map_err(|e| e.to_string())?;
            changed += 1;
        }
        tx.commit().await.map_err(|e| e.to_string())?;
        if changed > 0 {
            tracing::info!(
                connections = changed,
                "bound stored secrets to their connections"
            );
        }
        Ok(())
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub fn cipher(&self) -> &Cipher {
        &self.cipher
    }

    /// One page of connections, filtered and sorted in SQL.
    pub async fn list(&self, query: &ListQuery) -> Result<Page, sqlx::Error> {
        let sql = PageSql::new(query);
        let total: i64 = sqlx::query_scalar(&sql.count)
            .bind(&sql.pattern)
            .bind(sql.id)
            .fetch_one(&self.pool)
            .await?;
        let rows: Vec<Row> = sql.bind_page(&sql.page).fetch_all(&self.pool).await?;
        Ok(Page {
            items: rows.iter().map(Row::to_connection).collect(),
            total: total as u64,
            offset: sql.offset,
            limit: sql.limit,
        })
    }

    /// SQLite's plan of the page query (`EXPLAIN QUERY PLAN`), one line per step:
    /// tests check that every sort order reads an index instead of sorting.
    pub async fn list_plan(&self, query: &ListQuery) -> Result<Vec<String>, sqlx::Error> {
        let sql = PageSql::new(query);
        let plan = format!("EXPLAIN QUERY PLAN {}", sql.page);
        let rows: Vec<(i64, i64, i64, String)> = sql.bind_page(&plan).fetch_all(&self.pool).await?;
        Ok(rows.into_iter().map(|r| r.3).collect())
    }

    pub async fn get(&self, id: i64) -> Result<Option<Row>, sqlx::Error> {
        sqlx::query_as(&format!("SELECT {COLUMNS} FROM connections WHERE id = ?1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await
    }

    /// Stores a new connection. With `idempotency` = (key, fingerprint of the
    /// request), a key seen before returns the connection it created instead
    /// (or [`StoreError::KeyReused`] for another request). One transaction that
    /// takes the write lock first, so concurrent requests with one key make one row.
    pub async fn create(
        &self,
        record: &Record,
        idempotency: Option<(&str, &str)>,
    ) -> Result<Created, StoreError> {
        let now = now_rfc3339();
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some((key, fingerprint)) = idempotency {
            let cutoff = format_time(time::OffsetDateTime::now_utc() - IDEMPOTENCY_TTL * 2);
            sqlx::query("DELETE FROM idempotency_keys WHERE created_at < ?1")
                .bind(cutoff)
                .execute(&mut *tx)
                .await?;
            let seen: Option<(String, i64, String)> = sqlx::query_as(
                "SELECT request_hash, connection_id, response FROM idempotency_keys WHERE key = ?1",
            )
            .bind(key)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some((hash, id, response)) = seen {
                tx.rollback().await?;
                if hash != fingerprint {
                    return Err(StoreError::KeyReused);
                }
                // The first answer, as it was: not the row as it is now (renamed, deleted).
                let row = self.get(id).await?.unwrap_or_else(|| Row::gone(id));
                return Ok(Created {
                    row,
                    replayed: Some(response),
                });
            }
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO connections (name, name_key, driver, cloud_name, fields, secrets, \
             created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, '{}', ?6, ?6) RETURNING id",
        )
        .bind(&record.name)
        .bind(name_key(&record.name))
        .bind(&record.driver)
        .bind(record.fields.get("cloud_name").map_or("", String::as_str))
        .bind(json(&record.fields))
        .bind(&now)
        .fetch_one(&mut *tx)
        .await
        .map_err(|e| name_taken(e, &record.name))?;
        if !record.secrets.is_empty() {
            // Sealed with the id the row just got, in the same transaction.
            sqlx::query("UPDATE connections SET secrets = ?1 WHERE id = ?2")
                .bind(json(&self.seal_all(id, &record.secrets)))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
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
        Ok(Created {
            row,
            replayed: None,
        })
    }

    /// Keeps `connection` as the answer a replay of `key` returns (the first
    /// answer, after the create's verification).
    pub async fn remember_response(
        &self,
        key: &str,
        connection: &Connection,
    ) -> Result<(), sqlx::Error> {
        sqlx::query("UPDATE idempotency_keys SET response = ?1 WHERE key = ?2")
            .bind(json(connection))
            .bind(key)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Replaces a connection if it is still at `version`. Secrets in `record`
    /// replace stored ones; `keep` lists stored secrets kept as they are.
    pub async fn update(
        &self,
        id: i64,
        version: i64,
        record: &Record,
        keep: &[String],
    ) -> Result<Row, StoreError> {
        let current = self.get(id).await?.ok_or(StoreError::NotFound)?;
        if current.version != version {
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
        let mut secrets: BTreeMap<String, String> = encrypted_map(&current.secrets)
            .into_iter()
            .filter(|(k, _)| keep.contains(k))
            .collect();
        secrets.extend(self.seal_all(id, &record.secrets));
        let done = sqlx::query(
            "UPDATE connections SET name = ?1, name_key = ?2, driver = ?3, cloud_name = ?4, \
             fields = ?5, secrets = ?6, updated_at = ?7, version = version + 1 \
             WHERE id = ?8 AND version = ?9",
        )
        .bind(&record.name)
        .bind(name_key(&record.name))
        .bind(&record.driver)
        .bind(record.fields.get("cloud_name").map_or("", String::as_str))
        .bind(json(&record.fields))
        .bind(json(&secrets))
        .bind(now_rfc3339())
        .bind(id)
        .bind(version)
        .execute(&self.pool)
        .await
        .map_err(|e| name_taken(e, &record.name))?;
        if done.rows_affected() == 0 {
            return match self.get(id).await? {
                Some(row) => Err(StoreError::Stale {
                    current: row.version,
                }),
                None => Err(StoreError::NotFound),
            };
        }
        self.get(id).await?.ok_or(StoreError::NotFound)
    }

    /// Deletes a connection; `false` if there was none.
    pub async fn delete(&self, id: i64) -> Result<bool, sqlx::Error> {
        let done = sqlx::query("DELETE FROM connections WHERE id = ?1")
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Stores a verification result, unless the connection changed since `version`
    /// (the result would be about old credentials). Does not change the version.
    pub async fn set_status(
        &self,
        id: i64,
        version: i64,
        status: &Status,
    ) -> Result<(), sqlx::Error> {
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
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The decrypted secrets of a stored connection.
    pub fn secrets(&self, row: &Row) -> Result<BTreeMap<String, SecretString>, DecryptError> {
        encrypted_map(&row.secrets)
            .into_iter()
            .map(|(k, v)| {
                let plain = self.cipher.open(row.id, &k, &v)?;
                Ok((k, plain))
            })
            .collect()
    }

    fn seal_all(
        &self,
        id: i64,
        secrets: &BTreeMap<String, SecretString>,
    ) -> BTreeMap<String, String> {
        secrets
            .iter()
            .map(|(k, v)| (k.clone(), self.cipher.seal(id, k, v)))
            .collect()
    }
}

/// The SQL of one list page and its parameters.
struct PageSql {
    count: String,
    page: String,
    pattern: String,
    id: i64,
    limit: u64,
    offset: u64,
}

impl PageSql {
    fn new(query: &ListQuery) -> PageSql {
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let offset = query.offset.unwrap_or(0);
        let order = match query.order.unwrap_or_default() {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        };
        // Each sort column has an index on (column, id), so a page is read in order.
        let sort_col = match query.sort.unwrap_or_default() {
            SortKey::Id => "id",
            SortKey::Name => "name_key",
            SortKey::Driver => "driver",
            SortKey::CloudName => "cloud_name COLLATE NOCASE",
            SortKey::Status => "status_state",
            SortKey::LastVerified => "checked_at",
            SortKey::CreatedAt => "created_at",
            SortKey::UpdatedAt => "updated_at",
        };
        let order_by = if sort_col == "id" {
            format!("id {order}")
        } else {
            format!("{sort_col} {order}, id {order}")
        };
        let q = query.q.as_deref().map(str::trim).unwrap_or("");
        let (filter, pattern, id) = if q.is_empty() {
            ("1", String::new(), -1)
        } else {
            (
                "(name_key LIKE ?1 ESCAPE '\\' OR cloud_name LIKE ?1 ESCAPE '\\' OR id = ?2)",
                format!("%{}%", escape_like(&q.to_lowercase())),
                q.parse::<i64>().unwrap_or(-1),
            )
        };
        PageSql {
            count: format!("SELECT COUNT(*) FROM connections WHERE {filter}"),
            page: format!(
                "SELECT {COLUMNS} FROM connections WHERE {filter} ORDER BY {order_by} LIMIT ?3 OFFSET ?4"
            ),
            pattern,
            id,
            limit,
            offset,
        }
    }

    /// `statement` (the page query, or one that wraps it) with the page's
    /// parameters bound: ?1 pattern, ?2 id, ?3 limit, ?4 offset.
    fn bind_page<'q, O>(&'q self, statement: &'q str) -> QueryAs<'q, Sqlite, O, SqliteArguments<'q>>
    where
        O: for<'r> FromRow<'r, SqliteRow>,
    {
        sqlx::query_as(statement)
            .bind(&self.pattern)
            .bind(self.id)
            .bind(self.limit as i64)
            .bind(i64::try_from(self.offset).unwrap_or(i64::MAX))
    }
}

fn wrong_key_message(source: &KeySource, data_dir: &Path) -> String {
    match source {
        KeySource::Setting => format!(
            "{KEY_SETTING}: this key does not decrypt the API secrets stored in {}; \
             start with the key they were stored with",
            data_dir.join(DB_FILE).display()
        ),
        KeySource::File(path) => format!(
            "{KEY_SETTING} is unset and the key file {} does not decrypt the API secrets stored in {}; \
             set {KEY_SETTING} to the key they were stored with",
            path.display(),
            data_dir.join(DB_FILE).display()
        ),
    }
}

fn name_taken(e: sqlx::Error, name: &str) -> StoreError {
    match StoreError::from(e) {
        StoreError::NameTaken(_) => StoreError::NameTaken(name.to_string()),
        other => other,
    }
}

/// The case-insensitive form of a name, unique among connections: trimmed,
/// NFC (so "Café" typed with a combining accent is the same name), lower case.
pub fn name_key(name: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    name.trim().nfc().collect::<String>().to_lowercase()
}

fn json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|_| "{}".into())
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
