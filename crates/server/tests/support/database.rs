//! The database the tests run on: SQLite in the test's temp dir, or, when
//! `CONNECTIONS_TEST_POSTGRES` names a PostgreSQL server
//! (`postgres://user@127.0.0.1:port/postgres`), a fresh database on it for
//! each temp dir (`make test` runs the suite both ways).

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;

use connections_server::store::{OpenOptions, Pool, Store};
use secrecy::SecretString;
use sha2::{Digest, Sha256};
use sqlx::Connection;

pub const POSTGRES_VAR: &str = "CONNECTIONS_TEST_POSTGRES";

/// The PostgreSQL server of the tests, if `CONNECTIONS_TEST_POSTGRES` is set.
pub fn postgres() -> Option<String> {
    std::env::var(POSTGRES_VAR)
        .ok()
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The PostgreSQL server, or a failure that says how to provide one.
pub fn require_postgres() -> String {
    postgres().unwrap_or_else(|| {
        panic!(
            "this test needs PostgreSQL: run `make test` (it starts a throwaway cluster), or set \
             {POSTGRES_VAR}=postgres://user@127.0.0.1:5432/postgres to a server where that user \
             may create databases"
        )
    })
}

/// Databases this process created (a later call for the same dir reuses it).
static CREATED: Mutex<Option<HashSet<String>>> = Mutex::new(None);

/// The `CLOUDINARY_CONNECTIONS_DATABASE_URL` of `dir`'s store: `None` for
/// SQLite (the file in `dir`), or the URL of a PostgreSQL database named after
/// `dir`, made empty on first use in this process and kept for later opens.
pub fn database_url(dir: &Path) -> Option<SecretString> {
    let server = postgres()?;
    Some(SecretString::from(fresh_database(&server, dir)))
}

/// [`database_url`] of `dir` on `server`, whatever the environment says.
pub fn fresh_database(server: &str, dir: &Path) -> String {
    let digest = Sha256::digest(dir.to_string_lossy().as_bytes());
    let name: String = format!("t_{:x}", digest).chars().take(26).collect();
    let url = with_database(server, &name);
    let first = CREATED
        .lock()
        .expect("lock")
        .get_or_insert_with(HashSet::new)
        .insert(name.clone());
    if first {
        let server = server.to_string();
        block_on(async move {
            let mut admin = sqlx::PgConnection::connect(&server)
                .await
                .unwrap_or_else(|e| panic!("{POSTGRES_VAR}: cannot connect: {e}"));
            // A database left over from an earlier run of the same temp dir name.
            sqlx::query(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .execute(&mut admin)
                .await
                .expect("drop old test database");
            sqlx::query(&format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .await
                .expect("create test database");
            admin.close().await.expect("close");
        });
    }
    url
}

/// `server` with its database replaced by `name`.
fn with_database(server: &str, name: &str) -> String {
    let (scheme, rest) = server.split_once("://").expect("a postgres:// URL");
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let query = tail.find('?').map_or("", |q| &tail[q..]);
    format!("{scheme}://{authority}/{name}{query}")
}

/// Runs `f` to completion on a runtime of its own (callable from sync and async code).
fn block_on<F>(f: F) -> F::Output
where
    F: std::future::Future + Send + 'static,
    F::Output: Send + 'static,
{
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime")
            .block_on(f)
    })
    .join()
    .expect("database thread")
}

/// Opens the store of `dir` on the test backend with `key` (`None`: the key file).
pub async fn open(dir: &Path, key: Option<&SecretString>) -> Result<Store, String> {
    let url = database_url(dir);
    Store::open(
        dir,
        OpenOptions {
            key,
            database_url: url.as_ref(),
        },
    )
    .await
}

/// A parameter of [`execute`] and [`fetch_text`].
pub enum Arg<'a> {
    Int(i64),
    Text(&'a str),
}

/// `sql` with SQLite's `?N` parameters written as PostgreSQL's `$N` when needed.
fn dialect(store: &Store, sql: &str) -> String {
    match store.pool() {
        Pool::Sqlite(_) => sql.to_string(),
        Pool::Postgres(_) => sql.replace('?', "$"),
    }
}

/// The query `$q` with `$args` (a slice of [`Arg`]) bound in order; a macro,
/// as each backend's query is a type of its own.
macro_rules! bound {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                Arg::Int(i) => q.bind(*i),
                Arg::Text(t) => q.bind(*t),
            };
        }
        q
    }};
}

/// Runs a statement written with `?1`, `?2`… on either backend; returns rows affected.
pub async fn execute(store: &Store, sql: &str, args: &[Arg<'_>]) -> u64 {
    let sql = dialect(store, sql);
    let done = match store.pool() {
        Pool::Sqlite(p) => bound!(sqlx::query(&sql), args)
            .execute(p)
            .await
            .map(|d| d.rows_affected()),
        Pool::Postgres(p) => bound!(sqlx::query(&sql), args)
            .execute(p)
            .await
            .map(|d| d.rows_affected()),
    };
    done.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// The one text value a query written with `?1`, `?2`… returns, on either backend.
pub async fn fetch_text(store: &Store, sql: &str, args: &[Arg<'_>]) -> String {
    let sql = dialect(store, sql);
    let value: Result<String, sqlx::Error> = match store.pool() {
        Pool::Sqlite(p) => bound!(sqlx::query_scalar(&sql), args).fetch_one(p).await,
        Pool::Postgres(p) => bound!(sqlx::query_scalar(&sql), args).fetch_one(p).await,
    };
    value.unwrap_or_else(|e| panic!("{sql}: {e}"))
}

/// Whether the tests run on PostgreSQL.
pub fn on_postgres(store: &Store) -> bool {
    matches!(store.pool(), Pool::Postgres(_))
}
