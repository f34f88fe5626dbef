//! Storage of connections: SQLite in the data dir (the embedded default) or
//! PostgreSQL (`CLOUDINARY_CONNECTIONS_DATABASE_URL`), which several server
//! instances may share. The rest of the server sees only [`Store`]; which
//! backend it talks to is decided once, in [`Store::open`].
//!
//! Every rule that decides correctness lives in the database, the same on both
//! backends: the unique index on `name_key`, `WHERE version = …` of updates, and
//! the `idempotency_keys` table with the first answer to each key.
//!
//! Secret values come in as [`SecretString`] and are encrypted here before they
//! reach SQL; they leave only through [`Store::secrets`].

mod backup;
mod cursor;
mod kept;
mod location;
mod narrow;
mod page;
mod postgres;
mod render;
mod schedule;
mod sqlite;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;

use connections_api::{
    Action, Actor, Connection, Event, EventPage, EventStatus, ListQuery, Page, State, Status,
};
use secrecy::{ExposeSecret, SecretString};
use sqlx::{FromRow, PgPool, SqlitePool};

use crate::crypto::{self, Cipher, DecryptError, KeySource, BOUND_PREFIX, KEY_SETTING};

use cursor::Cursor;
use kept::Kept;
use location::Location;
pub use location::{redact_url, DATABASE_URL_SETTING};
pub use page::cursor_problem;
use page::{PageSpec, Seek};
pub use schedule::AccountClaim;

pub const DB_FILE: &str = "connections.sqlite3";
/// Idempotency keys are remembered at least this long (and purged after twice it).
pub const IDEMPOTENCY_TTL: time::Duration = time::Duration::hours(24);
const KEY_CHECK_TEXT: &str = "cloudinary-connections key check v1";
/// Longest [`Store::ready`] waits for the database.
const READY_TIMEOUT: Duration = Duration::from_secs(2);
/// Searches whose totals are kept between two writes.
const MAX_KEPT_COUNTS: usize = 512;
/// A search's matching ids are kept between two writes when there are at most
/// this many (each page of it then reads only those rows); all searches' ids
/// at most [`MAX_KEPT_HIT_IDS`].
const MAX_HITS_KEPT: i64 = 1_000;
const MAX_KEPT_HIT_IDS: usize = 200_000;
/// List pages whose JSON is kept between two writes, and their bytes at most
/// (a 500-row page is about 250 KB).
const MAX_KEPT_PAGES: usize = 256;
const MAX_KEPT_PAGE_BYTES: usize = 16 << 20;

#[derive(Clone)]
pub struct Store {
    backend: Backend,
    cipher: Cipher,
    /// Totals of searches, until the next write.
    counts: Kept<i64>,
    /// The ids a search matches (when few), until the next write.
    hits: Kept<Arc<Vec<i64>>>,
    /// List pages' JSON, until the next write.
    pages: Kept<Bytes>,
    /// How many rows hold each trigram searched for (narrow.rs).
    grams: narrow::GramCounts,
}

#[derive(Clone)]
enum Backend {
    Sqlite(sqlite::Sqlite),
    Postgres(postgres::Postgres),
}

/// Runs `$e` with `$b` bound to whichever backend `$store` talks to.
macro_rules! on_backend {
    ($backend:expr, $b:ident => $e:expr) => {
        match $backend {
            Backend::Sqlite($b) => $e,
            Backend::Postgres($b) => $e,
        }
    };
}

/// The pool underneath a [`Store`], for tests and tools that need plain SQL.
pub enum Pool<'a> {
    Sqlite(&'a SqlitePool),
    Postgres(&'a PgPool),
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
                retry_at: None,
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

    /// Keys of the secrets that hold a value (their values are not read).
    pub fn secret_keys(&self) -> Vec<String> {
        serde_json::from_str::<BTreeMap<String, serde::de::IgnoredAny>>(&self.secrets)
            .unwrap_or_default()
            .into_keys()
            .collect()
    }

    /// The non-secret field values.
    pub fn field_values(&self) -> BTreeMap<String, String> {
        serde_json::from_str(&self.fields).unwrap_or_default()
    }
}

fn encrypted_map(json: &str) -> BTreeMap<String, String> {
    serde_json::from_str(json).unwrap_or_default()
}

/// A row of a list page, with the value of its sort expression for the cursors.
#[derive(Debug, FromRow)]
pub(crate) struct ListRow {
    #[sqlx(flatten)]
    row: Row,
    sort_value: Option<String>,
}

/// A page's rows and what the page says about them.
struct Listing {
    rows: Vec<ListRow>,
    total: u64,
    offset: u64,
    limit: u64,
    next: Option<String>,
    prev: Option<String>,
}

/// An event of the history as stored.
#[derive(Debug, FromRow)]
pub struct EventRow {
    pub id: i64,
    pub connection_id: i64,
    pub at: String,
    pub actor_id: Option<String>,
    pub actor_name: Option<String>,
    pub action: String,
    pub changed: Option<String>,
    pub status: Option<String>,
}

impl EventRow {
    pub fn to_event(&self) -> Event {
        let actor = match (&self.actor_id, &self.actor_name) {
            (Some(id), name) => Some(Actor {
                id: id.clone(),
                name: name.clone().unwrap_or_default(),
            }),
            (None, _) => None,
        };
        Event {
            id: self.id,
            connection_id: self.connection_id,
            at: self.at.clone(),
            actor,
            action: Action::parse(&self.action).unwrap_or(Action::Updated),
            changed: self
                .changed
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
            status: self
                .status
                .as_deref()
                .and_then(|c| serde_json::from_str(c).ok()),
        }
    }
}

/// An event to write in the transaction of its change (the connection's id
/// and the time are the write's).
pub(crate) struct NewEvent<'a> {
    actor: Option<&'a Actor>,
    action: Action,
    /// JSON array of field names.
    changed: Option<String>,
    /// JSON of an [`EventStatus`].
    status: Option<String>,
}

impl<'a> NewEvent<'a> {
    fn new(actor: Option<&'a Actor>, action: Action) -> NewEvent<'a> {
        NewEvent {
            actor,
            action,
            changed: None,
            status: None,
        }
    }

    fn actor_id(&self) -> Option<&str> {
        self.actor.map(|a| a.id.as_str())
    }

    fn actor_name(&self) -> Option<&str> {
        self.actor.map(|a| a.name.as_str())
    }
}

const EVENT_COLUMNS: &str = "id, connection_id, at, actor_id, actor_name, action, changed, status";

/// Names of what an update changes (`name`, `driver`, `fields.<key>`), and
/// the secrets it replaces (`fields.<key>`), never values.
fn changes(current: &Row, record: &Record, keep: &[String]) -> (Vec<String>, Vec<String>) {
    let mut changed = Vec::new();
    if current.name != record.name {
        changed.push("name".to_string());
    }
    if current.driver != record.driver {
        changed.push("driver".to_string());
    }
    let before = current.field_values();
    let keys: std::collections::BTreeSet<&String> =
        before.keys().chain(record.fields.keys()).collect();
    for key in keys {
        if before.get(key) != record.fields.get(key) {
            changed.push(format!("fields.{key}"));
        }
    }
    // A stored secret neither kept nor replaced is removed: a change of that field.
    for key in current.secret_keys() {
        if !keep.contains(&key) && !record.secrets.contains_key(&key) {
            changed.push(format!("fields.{key}"));
        }
    }
    let replaced = record
        .secrets
        .keys()
        .map(|k| format!("fields.{k}"))
        .collect();
    (changed, replaced)
}

/// What create and update store: non-secret values and secret values apart.
pub struct Record {
    pub name: String,
    pub driver: String,
    pub fields: BTreeMap<String, String>,
    pub secrets: BTreeMap<String, SecretString>,
}

/// The non-secret columns of a write, as SQL receives them.
struct Values<'a> {
    name: &'a str,
    name_key: String,
    driver: &'a str,
    cloud_name: &'a str,
    fields: String,
}

impl<'a> Values<'a> {
    fn of(record: &'a Record) -> Values<'a> {
        Values {
            name: &record.name,
            name_key: name_key(&record.name),
            driver: &record.driver,
            cloud_name: record
                .fields
                .get(connections_api::CLOUD_NAME)
                .map_or("", String::as_str),
            fields: json(&record.fields),
        }
    }
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

/// Name of the unique index on `connections.name_key` (both backends).
const NAME_INDEX: &str = "connections_name_unique";

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e {
            // PostgreSQL names the index; SQLite names the column.
            let name = db.constraint() == Some(NAME_INDEX)
                || db.message().contains("connections.name_key");
            if db.is_unique_violation() && name {
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
#[derive(Default)]
pub struct OpenOptions<'a> {
    /// `CLOUDINARY_CONNECTIONS_KEY`, if set.
    pub key: Option<&'a SecretString>,
    /// `CLOUDINARY_CONNECTIONS_DATABASE_URL`, if set: `sqlite://…` or
    /// `postgres://…`; unset, the SQLite file [`DB_FILE`] in the data dir.
    pub database_url: Option<&'a SecretString>,
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

/// Idempotency keys created before this are forgotten.
fn idempotency_cutoff() -> String {
    format_time(time::OffsetDateTime::now_utc() - IDEMPOTENCY_TTL * 2)
}

impl Store {
    /// Opens (creating if missing) the database: `opts.database_url`, or the
    /// SQLite file in `data_dir`; applies migrations and checks the secrets'
    /// key. The error is one line naming the setting, never a password.
    pub async fn open(data_dir: &Path, opts: OpenOptions<'_>) -> Result<Store, String> {
        let location = Location::new(data_dir, opts.database_url)?;
        let backend = match &location {
            Location::Sqlite { options, .. } => sqlite::Sqlite::open(options.clone())
                .await
                .map(Backend::Sqlite),
            Location::Postgres { options, .. } => postgres::Postgres::open(options.clone())
                .await
                .map(Backend::Postgres),
        }
        .map_err(|e| location.error("cannot open the database", &e))?;
        let check = on_backend!(&backend, b => b.key_check().await)
            .map_err(|e| location.error("cannot read the database", &e))?;
        let (key, source) = crypto::load_key(opts.key, data_dir, check.is_none())?;
        let cipher = Cipher::new(&key);
        let stored = match check {
            Some(stored) => stored,
            None => {
                // Another instance starting at the same moment may win: its check counts.
                let value = cipher.encrypt("key_check", &SecretString::from(KEY_CHECK_TEXT));
                on_backend!(&backend, b => b.insert_key_check(&value).await)
                    .map_err(|e| location.error("cannot write to the database", &e))?
            }
        };
        let ok = cipher
            .decrypt("key_check", &stored)
            .is_ok_and(|t| t.expose_secret() == KEY_CHECK_TEXT);
        if !ok {
            return Err(wrong_key_message(&source, &location.shown()));
        }
        let store = Store {
            backend,
            cipher,
            counts: Kept::new(MAX_KEPT_COUNTS, usize::MAX),
            hits: Kept::new(MAX_KEPT_COUNTS, MAX_KEPT_HIT_IDS),
            pages: Kept::new(MAX_KEPT_PAGES, MAX_KEPT_PAGE_BYTES),
            grams: narrow::GramCounts::default(),
        };
        store
            .bind_secrets_to_rows()
            .await
            .map_err(|e| location.error("cannot update the stored secrets", &e))?;
        Ok(store)
    }

    /// Re-encrypts secrets stored before they were bound to their connection
    /// ([`Cipher::seal`]), in one transaction: all or none.
    async fn bind_secrets_to_rows(&self) -> Result<(), String> {
        let cipher = self.cipher.clone();
        let rebind = move |id: i64, secrets: &str| -> Result<Option<String>, String> {
            let map = encrypted_map(secrets);
            if map.values().all(|v| v.starts_with(BOUND_PREFIX)) {
                return Ok(None);
            }
            let mut bound = BTreeMap::new();
            for (field, value) in map {
                let sealed = match value.strip_prefix(BOUND_PREFIX) {
                    Some(_) => value,
                    None => {
                        let plain = cipher
                            .decrypt(&field, &value)
                            .map_err(|e| format!("connection {id}, field {field}: {e}"))?;
                        cipher.seal(id, &field, &plain)
                    }
                };
                bound.insert(field, sealed);
            }
            Ok(Some(json(&bound)))
        };
        let changed = on_backend!(&self.backend, b => b.rewrite_secrets(&rebind, None).await)?;
        if changed > 0 {
            tracing::info!(
                connections = changed,
                "bound stored secrets to their connections"
            );
        }
        Ok(())
    }

    /// Re-encrypts every secret and the key check with `new_key` in one
    /// transaction: a crash in the middle leaves everything under the old key;
    /// after it, the old key no longer opens the store. Returns the number of
    /// connections re-encrypted.
    pub async fn rotate_key(
        &self,
        new_key: &secrecy::SecretBox<[u8; 32]>,
    ) -> Result<usize, String> {
        let old = self.cipher.clone();
        let new = Cipher::new(new_key);
        let reseal = |id: i64, secrets: &str| -> Result<Option<String>, String> {
            let mut sealed = BTreeMap::new();
            for (field, value) in encrypted_map(secrets) {
                let plain = old
                    .open(id, &field, &value)
                    .map_err(|e| format!("connection {id}, field {field}: {e}"))?;
                sealed.insert(field.clone(), new.seal(id, &field, &plain));
            }
            Ok(Some(json(&sealed)))
        };
        let check = new.encrypt("key_check", &SecretString::from(KEY_CHECK_TEXT));
        on_backend!(&self.backend, b => b.rewrite_secrets(&reseal, Some(&check)).await)
    }

    /// The pool underneath, for tests and tools that need plain SQL.
    pub fn pool(&self) -> Pool<'_> {
        match &self.backend {
            Backend::Sqlite(b) => Pool::Sqlite(b.pool()),
            Backend::Postgres(b) => Pool::Postgres(b.pool()),
        }
    }

    /// Closes the pool: later queries fail (and [`Store::ready`] says so).
    pub async fn close(&self) {
        on_backend!(&self.backend, b => b.pool().close().await)
    }

    pub fn cipher(&self) -> &Cipher {
        &self.cipher
    }

    /// `Ok` when the database answers within 2 seconds and every migration
    /// this server knows is applied; otherwise why not (no secret in it).
    pub async fn ready(&self) -> Result<(), String> {
        let check = async { on_backend!(&self.backend, b => b.ready().await) };
        match tokio::time::timeout(READY_TIMEOUT, check).await {
            Ok(result) => result,
            Err(_) => Err(format!(
                "the database did not answer within {} s",
                READY_TIMEOUT.as_secs()
            )),
        }
    }

    /// One page of connections, filtered and sorted in SQL (see [`Store::list_rows`]).
    pub async fn list(&self, query: &ListQuery) -> Result<Page, sqlx::Error> {
        let spec = PageSpec::new(query);
        let counter = on_backend!(&self.backend, b => b.counter().await)?;
        let l = self.list_rows(spec, counter).await?;
        Ok(Page {
            items: l.rows.iter().map(|r| r.row.to_connection()).collect(),
            total: l.total,
            offset: l.offset,
            limit: l.limit,
            next: l.next,
            prev: l.prev,
        })
    }

    /// [`Store::list`] as the JSON `GET /api/connections` sends, written straight
    /// from the rows, and kept until the next write: the same page again costs
    /// one read of the write counter. `fresh`: read the rows even when the page
    /// is kept (and keep the new one).
    pub async fn list_json(&self, query: &ListQuery, fresh: bool) -> Result<Bytes, sqlx::Error> {
        let spec = PageSpec::new(query);
        let counter = on_backend!(&self.backend, b => b.counter().await)?;
        let (_, generation) = counter;
        let key = spec.key();
        if let Some(body) = self.pages.get(&key, generation).filter(|_| !fresh) {
            return Ok(body);
        }
        let l = self.list_rows(spec, counter).await?;
        let page = render::PageJson {
            items: l.rows.iter().map(render::ItemJson::of).collect(),
            total: l.total,
            offset: l.offset,
            limit: l.limit,
            next: l.next,
            prev: l.prev,
        };
        let body = Bytes::from(json(&page));
        self.pages.put(&key, generation, body.clone(), body.len());
        Ok(body)
    }

    /// One page of connections, filtered and sorted in SQL, given the write
    /// counter read before it: `(connections, generation)`. The total without
    /// a search is that counter; with one, it is counted once per search until
    /// the next write (a generation the writes bump, in the database, so
    /// several instances agree).
    async fn list_rows(
        &self,
        mut spec: PageSpec,
        (all, generation): (i64, i64),
    ) -> Result<Listing, sqlx::Error> {
        let total = match spec.q.clone() {
            None => all,
            Some(q) => self.matches(&mut spec, &q, (all, generation)).await?,
        };
        spec.choose_plan(total, all);
        let mut rows = on_backend!(&self.backend, b => b.page(&spec).await)?;
        let limit = usize::try_from(spec.limit).unwrap_or(usize::MAX);
        let more = rows.len() > limit;
        rows.truncate(limit);
        if spec.reversed() {
            rows.reverse();
        }
        let cursor = |r: &ListRow| Cursor::new(r.row.id, r.sort_value.as_deref()).encode(spec.sort);
        let first = rows.first().map(cursor);
        let last = rows.last().map(cursor);
        let total = u64::try_from(total).unwrap_or(0);
        let (next, prev, offset) = match spec.seek {
            Seek::Offset => (
                last.filter(|_| more),
                first.filter(|_| spec.offset > 0),
                spec.offset,
            ),
            Seek::After(_) => (last.filter(|_| more), first, spec.offset),
            Seek::Before(_) => (last, first.filter(|_| more), spec.offset),
            Seek::End => (
                None,
                first.filter(|_| more),
                total.saturating_sub(rows.len() as u64),
            ),
        };
        Ok(Listing {
            rows,
            total,
            offset,
            limit: spec.limit,
            next,
            prev,
        })
    }

    /// How many rows the search `q` of `spec` matches, counted once per write
    /// generation. When they are few, their ids are kept too, and `spec` reads
    /// its page from them: every page of that search, until the next write,
    /// costs the same at any size of the table.
    async fn matches(
        &self,
        spec: &mut PageSpec,
        q: &str,
        (all, generation): (i64, i64),
    ) -> Result<i64, sqlx::Error> {
        if let Some(ids) = self.hits.get(q, generation) {
            let n = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            spec.hits = Some(ids);
            return Ok(n);
        }
        // The index is read below, or by the page.
        let bound = self.narrow(spec, all).await?;
        let counted = self.counts.get(q, generation);
        // Few rows hold one of its trigrams (so few match): the ids are read at once and
        // counted, instead of a count and then the ids.
        let few = bound.is_some_and(|b| b < MAX_HITS_KEPT.unsigned_abs());
        if counted.is_some_and(|n| n <= MAX_HITS_KEPT) || (counted.is_none() && few) {
            let ids = on_backend!(&self.backend, b => b.hits(spec, MAX_HITS_KEPT + 1).await)?;
            let n = i64::try_from(ids.len()).unwrap_or(i64::MAX);
            // More than the limit: a write in between, or the trigrams' counts were old.
            if n <= MAX_HITS_KEPT {
                let ids = Arc::new(ids);
                self.counts.put(q, generation, n, 1);
                self.hits.put(q, generation, ids.clone(), ids.len());
                spec.hits = Some(ids);
                return Ok(n);
            }
        }
        match counted {
            Some(n) => Ok(n),
            None => {
                let n = on_backend!(&self.backend, b => b.count(spec).await)?;
                self.counts.put(q, generation, n, 1);
                Ok(n)
            }
        }
    }

    /// Has the trigram index read the part of the search that costs least
    /// (narrow.rs), given how many of the `all` rows hold each of its trigrams:
    /// each trigram is counted once, and again when the table's size has moved
    /// by more than a quarter. Gives the fewest rows that hold one of them (at
    /// most that many rows match, and the row whose id the text is), when the
    /// text has trigrams to count.
    async fn narrow(&self, spec: &mut PageSpec, all: i64) -> Result<Option<u64>, sqlx::Error> {
        let Some(q) = spec.q.clone() else {
            return Ok(None);
        };
        let grams = narrow::trigrams(&q);
        if !(1..=narrow::MAX_GRAMS).contains(&grams.len()) {
            return Ok(None);
        }
        let all = u64::try_from(all).unwrap_or(0);
        let mut rows = Vec::with_capacity(grams.len());
        for gram in &grams {
            let n = match self.grams.get(gram, all) {
                Some(n) => n,
                None => {
                    let one = PageSpec::searching(gram);
                    let n = on_backend!(&self.backend, b => b.count(&one).await)?;
                    let n = u64::try_from(n).unwrap_or(0);
                    self.grams.put(gram, all, n);
                    n
                }
            };
            rows.push(n);
        }
        let run = narrow::cheapest_run(&q, &rows, all);
        spec.narrow(&narrow::chars_of(&q, run));
        Ok(rows.iter().copied().min())
    }

    /// The database's plan of the page query, one line per step: tests check
    /// that every sort order reads an index instead of sorting. SQLite:
    /// `EXPLAIN QUERY PLAN`; PostgreSQL: `EXPLAIN` with sorts and sequential
    /// scans made a last resort, so a `Sort` step means no index gives the order.
    /// With a search the index would read only part of (narrow.rs), the first
    /// line names that part, `index reads: …` (used where the plan reads the
    /// index).
    pub async fn list_plan(&self, query: &ListQuery) -> Result<Vec<String>, sqlx::Error> {
        let mut spec = PageSpec::new(query);
        let (all, _) = on_backend!(&self.backend, b => b.counter().await)?;
        self.narrow(&mut spec, all).await?;
        let mut lines: Vec<String> = spec
            .probe
            .iter()
            .map(|p| format!("index reads: {p}"))
            .collect();
        lines.extend(on_backend!(&self.backend, b => b.list_plan(&spec).await)?);
        Ok(lines)
    }

    pub async fn get(&self, id: i64) -> Result<Option<Row>, sqlx::Error> {
        on_backend!(&self.backend, b => b.get(id).await)
    }

    /// Stores a new connection. With `idempotency` = (key, fingerprint of the
    /// request), a key seen before returns the connection it created instead
    /// (or [`StoreError::KeyReused`] for another request). One transaction, so
    /// concurrent requests with one key make one row, on every instance.
    pub async fn create(
        &self,
        record: &Record,
        idempotency: Option<(&str, &str)>,
        actor: Option<&Actor>,
    ) -> Result<Created, StoreError> {
        let values = Values::of(record);
        let event = NewEvent::new(actor, Action::Created);
        // Sealed with the id the row gets, in the same transaction.
        let seal = |id: i64| -> Option<String> {
            (!record.secrets.is_empty()).then(|| json(&self.seal_all(id, &record.secrets)))
        };
        let outcome =
            on_backend!(&self.backend, b => b.create(&values, &seal, idempotency, &event).await)
                .map_err(|e| name_taken(e, &record.name))?;
        match outcome {
            Claim::Created(row) => Ok(Created {
                row,
                replayed: None,
            }),
            Claim::Seen {
                request_hash,
                connection_id,
                response,
            } => {
                let Some((_, fingerprint)) = idempotency else {
                    return Err(StoreError::KeyReused);
                };
                if request_hash != fingerprint {
                    return Err(StoreError::KeyReused);
                }
                // The first answer, as it was: not the row as it is now (renamed, deleted).
                let row = self
                    .get(connection_id)
                    .await?
                    .unwrap_or_else(|| Row::gone(connection_id));
                Ok(Created {
                    row,
                    replayed: Some(response),
                })
            }
        }
    }

    /// Stores many new connections in one transaction (all or none; a taken
    /// name fails them all), each with its `created` event, unverified: the
    /// bulk path of imports and of the benchmark's seeding. Returns their ids.
    pub async fn create_many(
        &self,
        records: &[Record],
        actor: Option<&Actor>,
    ) -> Result<Vec<i64>, StoreError> {
        let event = NewEvent::new(actor, Action::Created);
        let seals: Vec<_> = records
            .iter()
            .map(|record| {
                move |id: i64| -> Option<String> {
                    (!record.secrets.is_empty()).then(|| json(&self.seal_all(id, &record.secrets)))
                }
            })
            .collect();
        let rows: Vec<(Values<'_>, &Seal<'_>)> = records
            .iter()
            .zip(&seals)
            .map(|(record, seal)| (Values::of(record), seal as &Seal<'_>))
            .collect();
        on_backend!(&self.backend, b => b.create_many(&rows, &event).await)
    }

    /// Keeps `connection` as the answer a replay of `key` returns (the first
    /// answer, after the create's verification).
    pub async fn remember_response(
        &self,
        key: &str,
        connection: &Connection,
    ) -> Result<(), sqlx::Error> {
        let response = json(connection);
        on_backend!(&self.backend, b => b.remember_response(key, &response).await)
    }

    /// Replaces a connection if it is still at `version`. Secrets in `record`
    /// replace stored ones; `keep` lists stored secrets kept as they are.
    pub async fn update(
        &self,
        id: i64,
        version: i64,
        record: &Record,
        keep: &[String],
        actor: Option<&Actor>,
    ) -> Result<Row, StoreError> {
        let current = self.get(id).await?.ok_or(StoreError::NotFound)?;
        if current.version != version {
            return Err(StoreError::Stale {
                current: current.version,
            });
        }
        let (changed, replaced) = changes(&current, record, keep);
        let mut events = Vec::new();
        // Every update is recorded, one that changed nothing visible too.
        if !changed.is_empty() || replaced.is_empty() {
            let mut e = NewEvent::new(actor, Action::Updated);
            e.changed = Some(json(&changed));
            events.push(e);
        }
        if !replaced.is_empty() {
            let mut e = NewEvent::new(actor, Action::SecretReplaced);
            e.changed = Some(json(&replaced));
            events.push(e);
        }
        let mut secrets: BTreeMap<String, String> = encrypted_map(&current.secrets)
            .into_iter()
            .filter(|(k, _)| keep.contains(k))
            .collect();
        secrets.extend(self.seal_all(id, &record.secrets));
        let values = Values::of(record);
        let secrets = json(&secrets);
        let now = now_rfc3339();
        let changed =
            on_backend!(&self.backend, b => b.update(id, version, &values, &secrets, &now, &events).await)
                .map_err(|e| name_taken(e, &record.name))?;
        if !changed {
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
    pub async fn delete(&self, id: i64, actor: Option<&Actor>) -> Result<bool, sqlx::Error> {
        let event = NewEvent::new(actor, Action::Deleted);
        on_backend!(&self.backend, b => b.delete(id, &event).await)
    }

    /// One page of a connection's history, newest first, and the number of its
    /// events (0: no such connection, now or before).
    pub async fn history(
        &self,
        id: i64,
        offset: u64,
        limit: u64,
    ) -> Result<EventPage, sqlx::Error> {
        let off = i64::try_from(offset).unwrap_or(i64::MAX);
        let lim = i64::try_from(limit).unwrap_or(i64::MAX);
        let (total, rows) = on_backend!(&self.backend, b => b.history(id, off, lim).await)?;
        Ok(EventPage {
            items: rows.iter().map(EventRow::to_event).collect(),
            total: u64::try_from(total).unwrap_or(0),
            offset,
            limit,
        })
    }

    /// Stores a verification result, unless the connection changed since `version`
    /// (the result would be about old credentials), with a `verified` event in
    /// the same transaction (with `only_changes`, only when the state changed).
    /// Does not change the version. Returns whether the status was stored.
    pub async fn set_status(
        &self,
        id: i64,
        version: i64,
        status: &Status,
        actor: Option<&Actor>,
        only_changes: bool,
    ) -> Result<bool, sqlx::Error> {
        let mut event = NewEvent::new(actor, Action::Verified);
        event.status = Some(json(&EventStatus {
            state: status.state,
            message: status.message.clone(),
        }));
        on_backend!(&self.backend, b => b.set_status(id, version, status, &event, only_changes).await)
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

/// What a backend's create found: a new row, or the key's earlier request.
enum Claim {
    Created(Row),
    Seen {
        request_hash: String,
        connection_id: i64,
        response: String,
    },
}

/// Turns legacy secrets of one row (id, JSON) into bound ones; `None`: already bound.
type Rebind<'a> = dyn Fn(i64, &str) -> Result<Option<String>, String> + Sync + 'a;

/// Seals a new row's secrets with its id; `None`: it has none.
type Seal<'a> = dyn Fn(i64) -> Option<String> + Sync + 'a;

fn wrong_key_message(source: &KeySource, database: &str) -> String {
    match source {
        KeySource::Setting => format!(
            "{KEY_SETTING}: this key does not decrypt the API secrets stored in {database}; \
             start with the key they were stored with",
        ),
        KeySource::File(path) => format!(
            "{KEY_SETTING} is unset and the key file {} does not decrypt the API secrets stored in {database}; \
             set {KEY_SETTING} to the key they were stored with",
            path.display(),
        ),
    }
}

fn name_taken(e: StoreError, name: &str) -> StoreError {
    match e {
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

/// Whether every migration in `known` is recorded as applied in `applied`.
fn migrations_applied(known: &sqlx::migrate::Migrator, applied: &[i64]) -> Result<(), String> {
    let missing: Vec<i64> = known
        .iter()
        .map(|m| m.version)
        .filter(|v| !applied.contains(v))
        .collect();
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!("migrations not applied: {missing:?}"))
    }
}
