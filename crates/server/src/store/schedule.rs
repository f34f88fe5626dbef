//! The tables of scheduled checks (`check_schedule`, `check_accounts`; see the
//! migrations): claims by lease, so that of several instances on one database
//! exactly one runs each due check, and one call at a time per account.
//! The SQL is the same on both backends (`?N` becomes `$N` for PostgreSQL).

use super::{Pool, Store};

/// `?1` → `$1`: PostgreSQL's placeholders.
fn pg(sql: &str) -> String {
    sql.replace('?', "$")
}

/// Runs a statement on whichever backend; the number of rows it changed.
macro_rules! exec {
    ($store:expr, $sql:expr $(, $b:expr)*) => {
        match $store.pool() {
            Pool::Sqlite(p) => sqlx::query($sql)$(.bind($b))*.execute(p).await.map(|r| r.rows_affected()),
            Pool::Postgres(p) => sqlx::query(&pg($sql))$(.bind($b))*.execute(p).await.map(|r| r.rows_affected()),
        }
    };
}

/// Runs a query of one column on whichever backend.
macro_rules! scalars {
    ($store:expr, $t:ty, $sql:expr $(, $b:expr)*) => {
        match $store.pool() {
            Pool::Sqlite(p) => sqlx::query_scalar::<_, $t>($sql)$(.bind($b))*.fetch_all(p).await,
            Pool::Postgres(p) => sqlx::query_scalar::<_, $t>(&pg($sql))$(.bind($b))*.fetch_all(p).await,
        }
    };
}

/// What claiming an account found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountClaim {
    /// This instance may call Cloudinary for the account now.
    Claimed,
    /// A call for the account is under way (here or in another instance).
    Busy,
    /// A rate limit holds until this time.
    Paused(String),
}

impl Store {
    /// Gives every connection without a schedule row one, due at `next(id)`,
    /// and drops the rows of deleted connections.
    pub async fn schedule_new_checks(
        &self,
        next: impl Fn(i64) -> String,
    ) -> Result<(), sqlx::Error> {
        let ids = scalars!(
            self,
            i64,
            "SELECT id FROM connections WHERE id NOT IN (SELECT connection_id FROM check_schedule)"
        )?;
        for id in ids {
            exec!(
                self,
                "INSERT INTO check_schedule (connection_id, next_check_at, lease_until) \
                 VALUES (?1, ?2, '') ON CONFLICT (connection_id) DO NOTHING",
                id,
                next(id)
            )?;
        }
        exec!(
            self,
            "DELETE FROM check_schedule WHERE connection_id NOT IN (SELECT id FROM connections)"
        )?;
        Ok(())
    }

    /// Up to `limit` checks due at `now` and held by nobody, earliest first.
    pub async fn due_checks(&self, now: &str, limit: i64) -> Result<Vec<i64>, sqlx::Error> {
        scalars!(
            self,
            i64,
            "SELECT connection_id FROM check_schedule WHERE next_check_at <= ?1 \
             AND lease_until < ?1 ORDER BY next_check_at, connection_id LIMIT ?2",
            now,
            limit
        )
    }

    /// How many checks are due at `now` (held or not).
    pub async fn count_due_checks(&self, now: &str) -> Result<i64, sqlx::Error> {
        let n = scalars!(
            self,
            i64,
            "SELECT COUNT(*) FROM check_schedule WHERE next_check_at <= ?1",
            now
        )?;
        Ok(n.first().copied().unwrap_or(0))
    }

    /// Claims a due check until `lease_until`; `false`: not due, or another
    /// instance holds it. One UPDATE: only one instance can meet its condition.
    pub async fn claim_check(
        &self,
        id: i64,
        now: &str,
        lease_until: &str,
    ) -> Result<bool, sqlx::Error> {
        let n = exec!(
            self,
            "UPDATE check_schedule SET lease_until = ?3 \
             WHERE connection_id = ?1 AND next_check_at <= ?2 AND lease_until < ?2",
            id,
            now,
            lease_until
        )?;
        Ok(n == 1)
    }

    /// Sets when a check is due next and lets go of it.
    pub async fn reschedule_check(&self, id: i64, next: &str) -> Result<(), sqlx::Error> {
        exec!(
            self,
            "UPDATE check_schedule SET next_check_at = ?2, lease_until = '' WHERE connection_id = ?1",
            id,
            next
        )?;
        Ok(())
    }

    /// Lets go of a check without moving it (it is tried again soon).
    pub async fn release_check(&self, id: i64) -> Result<(), sqlx::Error> {
        exec!(
            self,
            "UPDATE check_schedule SET lease_until = '' WHERE connection_id = ?1",
            id
        )?;
        Ok(())
    }

    /// Claims the account `account` for one call until `lease_until`.
    pub async fn claim_account(
        &self,
        account: &str,
        now: &str,
        lease_until: &str,
    ) -> Result<AccountClaim, sqlx::Error> {
        exec!(
            self,
            "INSERT INTO check_accounts (account, lease_until, paused_until) VALUES (?1, '', '') \
             ON CONFLICT (account) DO NOTHING",
            account
        )?;
        let n = exec!(
            self,
            "UPDATE check_accounts SET lease_until = ?3 \
             WHERE account = ?1 AND lease_until < ?2 AND paused_until <= ?2",
            account,
            now,
            lease_until
        )?;
        if n == 1 {
            return Ok(AccountClaim::Claimed);
        }
        let paused = scalars!(
            self,
            String,
            "SELECT paused_until FROM check_accounts WHERE account = ?1",
            account
        )?;
        Ok(match paused.into_iter().next() {
            Some(until) if until.as_str() > now => AccountClaim::Paused(until),
            _ => AccountClaim::Busy,
        })
    }

    /// Lets go of an account; `paused_until` (or `""`) is when its next call may be.
    pub async fn release_account(
        &self,
        account: &str,
        paused_until: &str,
    ) -> Result<(), sqlx::Error> {
        exec!(
            self,
            "UPDATE check_accounts SET lease_until = '', paused_until = ?2 WHERE account = ?1",
            account,
            paused_until
        )?;
        Ok(())
    }
}
