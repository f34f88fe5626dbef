//! Storage of connections in SQLite. The rest of the server sees only this API.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use connections_api::{Connection, ListQuery, Order, Page, SortKey, State, Status};
use connections_api::{DEFAULT_LIMIT, MAX_LIMIT};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{FromRow, SqlitePool};

pub const DB_FILE: &str = "connections.sqlite3";

#[derive(Clone)]
pub struct Store {
    pool: SqlitePool,
}

/// A row as stored; `secrets` is the encrypted JSON object.
#[derive(Debug, FromRow)]
pub struct Row {
    pub id: i64,
    pub name: String,
    pub driver: String,
    pub fields: String,
    pub secrets: String,
    pub status_state: String,
    pub status_message: Option<String>,
    pub checked_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub version: i64,
}

impl Row {
    /// The public view: non-secret values, and which secrets are set.
    pub fn to_connection(&self) -> Connection {
        let fields = serde_json::from_str(&self.fields).unwrap_or_default();
        let secrets: std::collections::BTreeMap<String, String> =
            serde_json::from_str(&self.secrets).unwrap_or_default();
        Connection {
            id: self.id,
            name: self.name.clone(),
            driver: self.driver.clone(),
            fields,
            secrets_set: secrets.into_keys().collect(),
            status: Status {
                state: State::parse(&self.status_state).unwrap_or_default(),
                message: self.status_message.clone(),
                checked_at: self.checked_at.clone(),
                field: None,
            },
            created_at: self.created_at.clone(),
            updated_at: self.updated_at.clone(),
            version: self.version,
        }
    }
}

const COLUMNS: &str = "id, name, driver, fields, secrets, status_state, status_message, \
                       checked_at, created_at, updated_at, version";

impl Store {
    /// Opens (creating if missing) the database in `data_dir` and applies migrations.
    pub async fn open(data_dir: &Path) -> Result<Store, sqlx::Error> {
        let options = SqliteConnectOptions::from_str("sqlite://")?
            .filename(data_dir.join(DB_FILE))
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // FULL: an acknowledged write survives kill -9 and power loss.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5));
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// One page of connections, filtered and sorted in SQL.
    pub async fn list(&self, query: &ListQuery) -> Result<Page, sqlx::Error> {
        let limit = query.limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT);
        let offset = query.offset.unwrap_or(0);
        let order = match query.order.unwrap_or_default() {
            Order::Asc => "ASC",
            Order::Desc => "DESC",
        };
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
        let total: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM connections WHERE {filter}"))
                .bind(&pattern)
                .bind(id)
                .fetch_one(&self.pool)
                .await?;
        let rows: Vec<Row> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM connections WHERE {filter} ORDER BY {order_by} LIMIT ?3 OFFSET ?4"
        ))
        .bind(&pattern)
        .bind(id)
        .bind(limit as i64)
        .bind(i64::try_from(offset).unwrap_or(i64::MAX))
        .fetch_all(&self.pool)
        .await?;
        Ok(Page {
            items: rows.iter().map(Row::to_connection).collect(),
            total: total as u64,
            offset,
            limit,
        })
    }
}

fn escape_like(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}
