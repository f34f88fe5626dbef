//! `backup` and `restore` of the SQLite database. A backup is a consistent
//! copy taken while the server runs (`VACUUM INTO`); a restore checks the copy
//! (it opens, its migrations apply, the configured key decrypts it) before it
//! replaces the database, and refuses while a server uses the database.
//! PostgreSQL has its own tools (`pg_dump`, `pg_restore`).

use std::path::{Path, PathBuf};

use secrecy::SecretString;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteLockingMode};
use sqlx::{ConnectOptions, Connection};

use super::location::Location;
use super::{OpenOptions, Store};

const PG_ADVICE: &str = "with PostgreSQL, use pg_dump and pg_restore (see docs/operations.md)";

impl Store {
    /// Writes a consistent copy of the database to `file` (which must not exist), mode 0600.
    pub async fn backup(&self, file: &Path) -> Result<(), String> {
        let super::Pool::Sqlite(pool) = self.pool() else {
            return Err(format!("backup: {PG_ADVICE}"));
        };
        if file.exists() {
            return Err(format!("backup: {} exists already", file.display()));
        }
        let path = file
            .to_str()
            .ok_or_else(|| format!("backup: {} is not a UTF-8 path", file.display()))?;
        sqlx::query("VACUUM INTO ?1")
            .bind(path)
            .execute(pool)
            .await
            .map_err(|e| format!("backup: cannot write {}: {e}", file.display()))?;
        private(file).map_err(|e| format!("backup: {}: {e}", file.display()))
    }

    /// Replaces the SQLite database of `data_dir` with the backup `file`, once
    /// the backup has proved good and no server holds the database.
    pub async fn restore(
        data_dir: &Path,
        opts: OpenOptions<'_>,
        file: &Path,
    ) -> Result<(), String> {
        let location = Location::new(data_dir, opts.database_url)?;
        let Location::Sqlite { options, .. } = &location else {
            return Err(format!("restore: {PG_ADVICE}"));
        };
        let target = options.get_filename().to_path_buf();
        if !file.is_file() {
            return Err(format!("restore: {} is not a file", file.display()));
        }
        let staging = sibling(&target, "restoring");
        let checked = sibling(&target, "restored");
        for f in [&staging, &checked] {
            remove_with_journal(f);
        }
        std::fs::copy(file, &staging)
            .map_err(|e| format!("restore: cannot copy {}: {e}", file.display()))?;
        let result = check_and_swap(&staging, &checked, &target, opts.key, data_dir).await;
        remove_with_journal(&staging);
        remove_with_journal(&checked);
        result
    }
}

async fn check_and_swap(
    staging: &Path,
    checked: &Path,
    target: &Path,
    key: Option<&SecretString>,
    data_dir: &Path,
) -> Result<(), String> {
    // Open the copy as the server would: migrations, key check, secrets bound.
    let url = SecretString::from(format!("sqlite://{}", staging.display()));
    let store = Store::open(
        data_dir,
        OpenOptions {
            key,
            database_url: Some(&url),
        },
    )
    .await
    .map_err(|e| format!("restore: the backup does not open: {e}"))?;
    store.backup(checked).await?;
    store.close().await;
    if target.exists() {
        ensure_unused(target).await?;
    }
    remove_with_journal(target);
    std::fs::rename(checked, target)
        .map_err(|e| format!("restore: cannot move the backup into place: {e}"))?;
    Ok(())
}

/// Refuses while another process (a running server) has the database open.
async fn ensure_unused(target: &Path) -> Result<(), String> {
    let busy = || {
        format!(
            "restore: {} is in use; stop the server first",
            target.display()
        )
    };
    let mut conn = SqliteConnectOptions::new()
        .filename(target)
        .journal_mode(SqliteJournalMode::Wal)
        .locking_mode(SqliteLockingMode::Exclusive)
        .busy_timeout(std::time::Duration::ZERO)
        .connect()
        .await
        .map_err(|_| busy())?;
    // An exclusive write lock is granted only when nobody else has the file open for WAL.
    sqlx::query("BEGIN EXCLUSIVE")
        .execute(&mut conn)
        .await
        .map_err(|_| busy())?;
    sqlx::query("COMMIT")
        .execute(&mut conn)
        .await
        .map_err(|_| busy())?;
    conn.close().await.map_err(|_| busy())
}

fn sibling(target: &Path, suffix: &str) -> PathBuf {
    let mut name = target.as_os_str().to_owned();
    name.push(format!(".{suffix}"));
    PathBuf::from(name)
}

/// Removes a database file with its `-wal` and `-shm` files; missing ones are fine.
fn remove_with_journal(db: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
}

fn private(file: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600))?;
    }
    Ok(())
}
