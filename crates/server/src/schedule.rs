//! Scheduled checks (`CLOUDINARY_CONNECTIONS_RECHECK`, default `24h`, `0` off):
//! every stored connection is verified again once per interval, without a user
//! asking, so a secret revoked in the Cloudinary Console shows as "Invalid
//! credentials" by itself.
//!
//! - Spread: a connection first gets a time within the interval from a hash of
//!   its id; after each check it is due again one interval later.
//! - One call at a time per Cloudinary account (driver, host and API key), and
//!   none before a rate limit's end (`X-FeatureRateLimit-Reset`, else an hour).
//! - Several instances: each check and each account is claimed with a lease row
//!   (`store/schedule.rs`), so exactly one instance runs it; a lease left by a
//!   stopped instance runs out after [`LEASE`].
//! - Only a change of state is recorded in the history (actor `null`).
//! - Stops cleanly: [`Scheduler::stop`] ends the loop, also mid-check.

use std::time::Duration;

use connections_api::{State, Status};
use time::OffsetDateTime;
use tokio::sync::watch;

use crate::store::{format_time, AccountClaim};
use crate::verify::Verifier;
use crate::AppState;

/// The setting.
pub const RECHECK_SETTING: &str = "CLOUDINARY_CONNECTIONS_RECHECK";
/// How long a claim holds (a check takes at most the verification timeout).
pub const LEASE: Duration = Duration::from_secs(60);
/// Pause of an account after a rate limit without a reset time.
pub const DEFAULT_PAUSE: Duration = Duration::from_secs(3600);
/// Most due checks taken per round.
const BATCH: i64 = 50;

/// Parses `24h`, `90m`, `30s`, `2d` or a number of seconds; `0` is off (`None`).
pub fn parse_interval(value: &str) -> Result<Option<Duration>, String> {
    let v = value.trim();
    let bad = || {
        format!(
            "{RECHECK_SETTING} (--recheck): {value:?} is not a duration like 24h, 90m or 30s (0: off)"
        )
    };
    let (digits, unit) = v
        .find(|c: char| !c.is_ascii_digit())
        .map_or((v, ""), |i| v.split_at(i));
    let n: u64 = digits.parse().map_err(|_| bad())?;
    let secs = match unit.trim() {
        "" | "s" => n,
        "m" => n.checked_mul(60).ok_or_else(bad)?,
        "h" => n.checked_mul(3600).ok_or_else(bad)?,
        "d" => n.checked_mul(86_400).ok_or_else(bad)?,
        _ => return Err(bad()),
    };
    if secs > 366 * 86_400 {
        return Err(bad());
    }
    Ok((secs > 0).then(|| Duration::from_secs(secs)))
}

/// The end of a rate limit from Cloudinary's `X-FeatureRateLimit-Reset`: an
/// HTTP date (`Wed, 25 Nov 2026 11:00:00 GMT`), RFC 3339, or Unix seconds.
pub fn parse_reset(value: &str) -> Option<OffsetDateTime> {
    let v = value.trim();
    let http = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    if let Ok(t) = time::PrimitiveDateTime::parse(v, &http) {
        return Some(t.assume_utc());
    }
    if let Ok(t) = OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339) {
        return Some(t);
    }
    v.parse::<i64>()
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
}

/// When a connection without a schedule row is first due: a hash of its id
/// spreads the connections over the interval.
fn first_due(id: i64, now: OffsetDateTime, interval: Duration) -> String {
    let ms = u64::try_from(interval.as_millis())
        .unwrap_or(u64::MAX)
        .max(1);
    let offset = (id as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) % ms;
    format_time(now + Duration::from_millis(offset))
}

/// `t` as stored (whole seconds), rounded up: a check is never due before
/// `t`, so two checks of a connection are at least an interval apart.
fn not_before(t: OffsetDateTime) -> String {
    let whole = t.replace_nanosecond(0).unwrap_or(t);
    if whole == t {
        format_time(t)
    } else {
        format_time(whole + Duration::from_secs(1))
    }
}

/// The account a connection calls: a hash of driver, host and API key (the
/// key itself is not stored again).
fn account_of(
    state: &AppState,
    driver: &str,
    id: i64,
    fields: &std::collections::BTreeMap<String, String>,
) -> String {
    use sha2::{Digest, Sha256};
    let host = crate::verify::target_host(driver, fields, state.cloudinary_api_base.as_deref());
    let text = match (host, fields.get(connections_api::API_KEY)) {
        (Some(host), Some(key)) => format!("{driver}\n{host}\n{key}"),
        _ => format!("{driver}\nconnection {id}"),
    };
    Sha256::digest(text.as_bytes())
        .iter()
        .take(16)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// The running schedule of one server.
pub struct Scheduler {
    stop: watch::Sender<bool>,
    handle: tokio::task::JoinHandle<()>,
}

impl Scheduler {
    /// Starts checking every `interval`.
    pub fn spawn(state: AppState, interval: Duration) -> Scheduler {
        let (stop, stopped) = watch::channel(false);
        let handle = tokio::spawn(run(state, interval, stopped));
        Scheduler { stop, handle }
    }

    /// Stops the loop (a check under way is abandoned; its lease runs out) and waits for it.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.handle.await;
    }
}

async fn run(state: AppState, interval: Duration, mut stop: watch::Receiver<bool>) {
    let tick = (interval / 20).clamp(Duration::from_millis(200), Duration::from_secs(30));
    tracing::info!(interval_secs = interval.as_secs(), "scheduled checks on");
    loop {
        if *stop.borrow() {
            break;
        }
        if let Err(e) = round(&state, interval, &mut stop).await {
            tracing::warn!(error = %e, "scheduled checks: the database did not answer; trying again");
        }
        if *stop.borrow() {
            break;
        }
        tokio::select! {
            changed = stop.changed() => if changed.is_err() || *stop.borrow() { break },
            _ = tokio::time::sleep(tick) => {}
        }
    }
    tracing::info!("scheduled checks stopped");
}

/// One round: schedules new connections, runs the due checks this instance
/// can claim, one after the other, and updates the "due" metric.
pub async fn round(
    state: &AppState,
    interval: Duration,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), sqlx::Error> {
    let store = &state.store;
    let now = OffsetDateTime::now_utc();
    store
        .schedule_new_checks(|id| first_due(id, now, interval))
        .await?;
    let due = store.due_checks(&format_time(now), BATCH).await?;
    for id in due {
        if *stop.borrow() {
            break;
        }
        check(state, interval, id, stop).await?;
    }
    let due_now = store
        .count_due_checks(&format_time(OffsetDateTime::now_utc()))
        .await?;
    state.metrics.set_checks_due(due_now);
    Ok(())
}

/// Claims and runs one check, if nobody else holds it or its account.
async fn check(
    state: &AppState,
    interval: Duration,
    id: i64,
    stop: &mut watch::Receiver<bool>,
) -> Result<(), sqlx::Error> {
    let store = &state.store;
    let now = OffsetDateTime::now_utc();
    let now_text = format_time(now);
    let lease = format_time(now + LEASE);
    if !store.claim_check(id, &now_text, &lease).await? {
        return Ok(());
    }
    let Some(row) = store.get(id).await? else {
        // Deleted meanwhile; the next round drops its row.
        return store.release_check(id).await;
    };
    let fields = row.field_values();
    let account = account_of(state, &row.driver, id, &fields);
    match store.claim_account(&account, &now_text, &lease).await? {
        AccountClaim::Claimed => {}
        AccountClaim::Paused(until) => return store.reschedule_check(id, &until).await,
        AccountClaim::Busy => return store.release_check(id).await,
    }
    let secrets = match store.secrets(&row) {
        Ok(s) => s,
        Err(e) => {
            tracing::warn!(id, error = %e, "scheduled check: the secrets do not decrypt");
            store.release_account(&account, "").await?;
            return store
                .reschedule_check(id, &not_before(now + interval))
                .await;
        }
    };
    let verifier = Verifier {
        http: &state.http,
        api_base: state.cloudinary_api_base.as_deref(),
        timeout: state.verify_timeout,
    };
    let outcome = tokio::select! {
        r = verifier.verify_with_reset(&row.driver, &fields, &secrets) => Some(r),
        _ = stop.changed() => None,
    };
    let Some((result, reset)) = outcome else {
        store.release_account(&account, "").await?;
        return store.release_check(id).await;
    };
    state.metrics.verified(result.state.as_str());
    let done = OffsetDateTime::now_utc();
    let pause = (result.state == State::RateLimited).then(|| {
        reset
            .as_deref()
            .and_then(parse_reset)
            .filter(|t| *t > done)
            .unwrap_or(done + DEFAULT_PAUSE)
    });
    let status = Status {
        state: result.state,
        message: result.message,
        checked_at: Some(format_time(done)),
        field: result.field,
        // The stored status keeps the reset in `message` only (docs/api.md).
        retry_at: None,
    };
    // Only a change of state becomes an event; an edit meanwhile wins.
    store
        .set_status(id, row.version, &status, None, true)
        .await?;
    let pause_text = pause.map(format_time).unwrap_or_default();
    store.release_account(&account, &pause_text).await?;
    let next = not_before(done + interval).max(pause_text);
    store.reschedule_check(id, &next).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn intervals_parse_with_units_and_zero_is_off() {
        assert_eq!(parse_interval("24h"), Ok(Some(Duration::from_secs(86_400))));
        assert_eq!(parse_interval("90m"), Ok(Some(Duration::from_secs(5_400))));
        assert_eq!(parse_interval("2s"), Ok(Some(Duration::from_secs(2))));
        assert_eq!(parse_interval("45"), Ok(Some(Duration::from_secs(45))));
        assert_eq!(parse_interval("1d"), Ok(Some(Duration::from_secs(86_400))));
        assert_eq!(parse_interval("0"), Ok(None));
        assert_eq!(parse_interval("0h"), Ok(None));
        for bad in ["", "h", "24 hours", "-1h", "1.5h", "9999d"] {
            let e = parse_interval(bad).expect_err(bad);
            assert!(e.starts_with(RECHECK_SETTING), "{e}");
        }
    }

    #[test]
    fn reset_times_parse_in_each_form() {
        let t = parse_reset("Wed, 25 Nov 2026 11:00:00 GMT").expect("http date");
        assert_eq!(format_time(t), "2026-11-25T11:00:00Z");
        let t = parse_reset("2026-11-25T11:00:00Z").expect("rfc 3339");
        assert_eq!(format_time(t), "2026-11-25T11:00:00Z");
        let t = parse_reset("1795604400").expect("unix");
        assert_eq!(format_time(t), "2026-11-25T11:00:00Z");
        assert_eq!(parse_reset("soon"), None);
    }

    #[test]
    fn the_next_check_is_never_stored_before_its_time() {
        let t = time::macros::datetime!(2026-11-26 13:00:05.250 UTC);
        assert_eq!(not_before(t), "2026-11-26T13:00:06Z");
        let whole = time::macros::datetime!(2026-11-26 13:00:05 UTC);
        assert_eq!(not_before(whole), "2026-11-26T13:00:05Z");
    }

    #[test]
    fn first_checks_spread_over_the_interval() {
        let now = OffsetDateTime::from_unix_timestamp(1_795_600_000).expect("time");
        let day = Duration::from_secs(86_400);
        let mut hours = std::collections::BTreeSet::new();
        for id in 1..=200 {
            let t = first_due(id, now, day);
            assert!(t >= format_time(now) && t < format_time(now + day), "{t}");
            hours.insert(t[..13].to_string());
        }
        assert!(hours.len() >= 20, "spread over the day: {hours:?}");
    }
}
