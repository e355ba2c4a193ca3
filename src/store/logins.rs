//! PIN attempts, rate-limited in the library so that no screen or script can guess a 4-digit PIN
//! by trying them all: after three wrong PINs for one judge within ten minutes, further attempts
//! are refused for 30 s after the last failure (the rule and its numbers: [`crate::core::lockout`]).
//!
//! An attempt is recorded as failed *before* the (slow, argon2) PIN check and marked successful
//! afterwards, so parallel attempts and a process killed mid-check count against the guesser.

use rusqlite::{OptionalExtension, params};

use super::Store;
use crate::error::Result;

use crate::core::lockout::FAILURE_WINDOW_MS;

/// Milliseconds since the Unix epoch.
pub fn now_millis() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

impl Store {
    /// Start a PIN attempt for `judge` at `now` (ms): `Ok(Ok(attempt id))` to go on and check the
    /// PIN, `Ok(Err(seconds))` when attempts are refused for that many more seconds.
    /// Runs its own write transaction.
    pub fn begin_login_attempt(&self, judge: &str, now: i64) -> Result<std::result::Result<i64, i64>> {
        self.write(|s| {
            let conn = s.conn();
            let (failures, last_failure) = streak(conn, judge, now)?;
            if let Some(wait_seconds) = crate::core::lockout::pause_left(failures, last_failure, now) {
                return Ok(Err(wait_seconds));
            }
            conn.execute(
                "INSERT INTO login_attempts(judge, at, ok) VALUES (?1, ?2, 0)",
                params![judge, now],
            )?;
            // Old attempts say nothing any more: keep the table small.
            conn.execute(
                "DELETE FROM login_attempts WHERE at < ?1",
                [now - 2 * FAILURE_WINDOW_MS],
            )?;
            Ok(Ok(conn.last_insert_rowid()))
        })
    }

    /// The wrong tries for `judge` (or another key, see [`crate::app::organiser::check_organiser_at`]) that
    /// count at `now` (ms), and when the last was: what [`crate::core::lockout::pause_left`] takes.
    pub fn login_failures(&self, judge: &str, now: i64) -> Result<(i64, Option<i64>)> {
        self.read(|s| streak(s.conn(), judge, now))
    }

    /// Forget a judge's failed attempts, as if the lockout had run out (the organiser lifting it,
    /// or a test standing in for the passing time).
    pub fn forget_login_failures(&self, judge: &str) -> Result<()> {
        self.write(|s| {
            s.conn()
                .execute("DELETE FROM login_attempts WHERE judge = ?1 AND ok = 0", [judge])?;
            Ok(())
        })
    }

    /// The PIN of attempt `id` was right: it no longer counts as a failure (and ends the streak).
    pub fn login_attempt_succeeded(&self, id: i64) -> Result<()> {
        self.write(|s| {
            s.conn()
                .execute("UPDATE login_attempts SET ok = 1 WHERE rowid = ?1", [id])?;
            Ok(())
        })
    }
}

impl super::Tx<'_> {
    /// Forget `judge`'s failed attempts in this transaction (the organiser lifting the pause):
    /// the wrong tries that counted at `now` (ms) and whether they held a pause then.
    pub fn forget_login_failures_at(&self, judge: &str, now: i64) -> Result<(i64, bool)> {
        let conn = self.conn();
        let (failures, last_failure) = streak(conn, judge, now)?;
        let paused = crate::core::lockout::pause_left(failures, last_failure, now).is_some();
        conn.execute("DELETE FROM login_attempts WHERE judge = ?1 AND ok = 0", [judge])?;
        Ok((failures, paused))
    }
}

/// The failures of `judge` since its last success, within the window before `now`, and the time of
/// the last one.
fn streak(conn: &rusqlite::Connection, judge: &str, now: i64) -> Result<(i64, Option<i64>)> {
    let last_success: Option<i64> = conn
        .query_row(
            "SELECT max(at) FROM login_attempts WHERE judge = ?1 AND ok = 1",
            [judge],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    let since = (now - FAILURE_WINDOW_MS).max(last_success.map_or(i64::MIN, |t| t + 1));
    Ok(conn.query_row(
        "SELECT count(*), max(at) FROM login_attempts WHERE judge = ?1 AND ok = 0 AND at >= ?2",
        params![judge, since],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::lockout::PAUSE_MS as LOCKOUT_MS;

    #[test]
    fn three_failures_lock_out_for_thirty_seconds_and_a_success_resets() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let t0 = 1_000_000_000_000;
        for i in 0..3 {
            assert!(store.begin_login_attempt("PW01", t0 + i * 1000).unwrap().is_ok());
        }
        assert_eq!(store.begin_login_attempt("PW01", t0 + 3000).unwrap(), Err(29));
        // Another judge is not affected.
        assert!(store.begin_login_attempt("PW02", t0 + 3000).unwrap().is_ok());
        // 30 s after the last failure: one more try.
        let id = store
            .begin_login_attempt("PW01", t0 + 2000 + LOCKOUT_MS)
            .unwrap()
            .unwrap();
        assert_eq!(
            store.begin_login_attempt("PW01", t0 + 2001 + LOCKOUT_MS).unwrap(),
            Err(30)
        );
        store.login_attempt_succeeded(id).unwrap();
        assert!(
            store
                .begin_login_attempt("PW01", t0 + 2002 + LOCKOUT_MS)
                .unwrap()
                .is_ok()
        );
        // Failures older than ten minutes are forgotten.
        let later = t0 + 2002 + LOCKOUT_MS + FAILURE_WINDOW_MS + 1;
        assert!(store.begin_login_attempt("PW01", later).unwrap().is_ok());
    }
}
