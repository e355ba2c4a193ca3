//! Logging in from elsewhere (the SSH server): a judge by id and PIN, the organiser by
//! passphrase, with the library's rate limit ([`crate::core::lockout`], counted in the workspace so
//! that it survives restarts and counts across connections).
//!
//! A refused try costs about what an accepted one does: an unknown id, and a try during the pause,
//! are checked against a dummy hash made like the real ones, so the time taken does not tell a
//! guesser which judge ids exist or whether the pause is on.

use std::sync::OnceLock;

use crate::app::organiser::{PassCheck, check_organiser_via};
use crate::core::lockout::MAX_FAILURES;
use crate::core::organiser::OrganiserRefusal;
use crate::error::Result;
use crate::store::secret::{hash_secret, verify_secret};
use crate::store::{Actor, AuditEvent, Store};

/// Where a try's row in `login_attempts` is written (counted as wrong before the slow check, marked
/// right after it): the workspace itself, or the server's one writer, so that a room's logins take
/// their turn with the judges' commits instead of competing with them for the write lock. The
/// slow check itself (argon2) runs on the caller's thread, never on the writer.
pub trait AttemptWrites {
    /// Counts a try of `who` at `now`: the attempt's row id, or `Err(secs)` during a pause.
    fn begin_attempt(&self, who: &str, now: i64) -> Result<std::result::Result<i64, i64>>;
    /// The try was right: it no longer counts as wrong.
    fn attempt_succeeded(&self, attempt: i64) -> Result<()>;
}

impl AttemptWrites for Store {
    fn begin_attempt(&self, who: &str, now: i64) -> Result<std::result::Result<i64, i64>> {
        self.begin_login_attempt(who, now)
    }

    fn attempt_succeeded(&self, attempt: i64) -> Result<()> {
        self.login_attempt_succeeded(attempt)
    }
}

impl AttemptWrites for crate::app::writer::WriterHandle {
    fn begin_attempt(&self, who: &str, now: i64) -> Result<std::result::Result<i64, i64>> {
        let who = who.to_string();
        self.exclusive(move |s: &Store| s.begin_login_attempt(&who, now))?
    }

    fn attempt_succeeded(&self, attempt: i64) -> Result<()> {
        self.exclusive(move |s: &Store| s.login_attempt_succeeded(attempt))?
    }
}

/// What one try of a judge's id and PIN gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JudgeCheck {
    /// The PIN is right: the judge's id as the workspace spells it.
    Right(String),
    /// Wrong; `tries_left` more before the pause.
    Wrong { tries_left: u32 },
    /// Refused without a check, even if right: too many wrong tries, wait `secs` seconds.
    Paused { secs: u64 },
    /// No judge has this id (whatever the case).
    Unknown,
}

/// The judge whose id is `user` without regard to case. An id that two judges share when case is
/// ignored names only the one spelt exactly so (or nobody).
pub fn find_judge_id(store: &Store, user: &str) -> Result<Option<String>> {
    let user = user.trim();
    let matching: Vec<String> = store
        .judges()?
        .into_iter()
        .map(|j| j.id)
        .filter(|id| id.to_lowercase() == user.to_lowercase())
        .collect();
    Ok(match matching.as_slice() {
        [one] => Some(one.clone()),
        _ => matching.into_iter().find(|id| id == user),
    })
}

/// A hash made as the real ones are (same algorithm and cost), of a secret nobody types.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| hash_secret("\0 not a secret anyone can type \0").unwrap_or_default())
}

/// Spends the time of one real check, for a try that is refused without one.
fn spend_a_check(secret: &str) {
    let _ = verify_secret(secret, dummy_hash());
}

/// Makes the dummy hash now (it takes as long as a check), so the first refused try is not slower
/// than the others.
pub fn warm_up() {
    let _ = dummy_hash();
}

/// Try `pin` for the judge `user` (id without regard to case) at `now` (ms since the epoch), with
/// the judges' rule: three wrong PINs, then a pause of 30 s during which even the right PIN is
/// refused. The same rule and counter as the judges' screen (`JudgeSession::login`).
pub fn check_judge_at(store: &Store, user: &str, pin: &str, now: i64) -> Result<JudgeCheck> {
    check_judge_via(store, store, user, pin, now)
}

/// [`check_judge_at`], reading from `store` and writing the attempt's row through `writes`.
pub fn check_judge_via(
    store: &Store,
    writes: &dyn AttemptWrites,
    user: &str,
    pin: &str,
    now: i64,
) -> Result<JudgeCheck> {
    let Some(id) = find_judge_id(store, user)? else {
        spend_a_check(pin);
        return Ok(JudgeCheck::Unknown);
    };
    let attempt = match writes.begin_attempt(&id, now)? {
        Ok(attempt) => attempt,
        Err(secs) => {
            spend_a_check(pin);
            return Ok(JudgeCheck::Paused {
                secs: u64::try_from(secs).unwrap_or(0),
            });
        }
    };
    if store.verify_pin(&id, pin)? {
        writes.attempt_succeeded(attempt)?;
        // A removed judge (`jury judge remove`) no longer logs in; the id stays taken.
        if store.judge_removed(&id)?.is_some() {
            return Ok(JudgeCheck::Unknown);
        }
        return Ok(JudgeCheck::Right(id));
    }
    let (failures, _) = store.login_failures(&id, now)?;
    let tries_left = i64::from(MAX_FAILURES).saturating_sub(failures).max(0);
    Ok(JudgeCheck::Wrong {
        tries_left: u32::try_from(tries_left).unwrap_or(0),
    })
}

/// [`check_judge_at`] now.
pub fn check_judge(store: &Store, user: &str, pin: &str) -> Result<JudgeCheck> {
    check_judge_at(store, user, pin, crate::store::now_millis())
}

/// Try `pass` as the organiser's at `now` ([`check_organiser_at`], with its rate limit), spending
/// a check's time when it is refused without one (the pause, or no passphrase set: `Ok(None)`).
pub fn check_organiser_timed_at(store: &Store, pass: &str, now: i64) -> Result<Option<PassCheck>> {
    check_organiser_timed_via(store, store, pass, now)
}

/// [`check_organiser_timed_at`], writing the attempt's row through `writes`.
pub fn check_organiser_timed_via(
    store: &Store,
    writes: &dyn AttemptWrites,
    pass: &str,
    now: i64,
) -> Result<Option<PassCheck>> {
    if !crate::app::organiser::organiser_pass_is_set(store)? {
        spend_a_check(pass);
        return Ok(None);
    }
    let check = check_organiser_via(store, writes, pass, now)?;
    if matches!(check, PassCheck::Paused { .. }) {
        spend_a_check(pass);
    }
    Ok(Some(check))
}

/// [`check_organiser_timed_at`] now.
pub fn check_organiser_timed(store: &Store, pass: &str) -> Result<Option<PassCheck>> {
    check_organiser_timed_at(store, pass, crate::store::now_millis())
}

/// What lifting a judge's login pause did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifted {
    /// The judge's id as the workspace spells it.
    pub judge: String,
    /// The wrong tries that counted and are now forgotten.
    pub wrong_tries: u32,
    /// Whether they held a pause (if not, only the count was cleared).
    pub was_paused: bool,
}

/// The organiser lifts `judge`'s login pause at `now` (ms): the wrong PINs kept in the workspace
/// are forgotten, so the right PIN works at once, and an audit row says so. An unknown judge
/// (id without regard to case, as at the login) is refused and nothing is written.
pub fn lift_pause_at(store: &Store, actor: &Actor, judge: &str, now: i64) -> Result<Lifted> {
    let Some(id) = find_judge_id(store, judge)? else {
        return Err(OrganiserRefusal::UnknownJudge {
            judge: judge.trim().to_string(),
        }
        .into());
    };
    let (failures, was_paused) = store.write(|tx| {
        let forgotten = tx.forget_login_failures_at(&id, now)?;
        tx.audit(actor, &AuditEvent::LoginPauseLifted { judge: id.clone() })?;
        Ok(forgotten)
    })?;
    Ok(Lifted {
        judge: id,
        wrong_tries: u32::try_from(failures).unwrap_or(u32::MAX),
        was_paused,
    })
}

/// [`lift_pause_at`] now.
pub fn lift_pause(store: &Store, actor: &Actor, judge: &str) -> Result<Lifted> {
    lift_pause_at(store, actor, judge, crate::store::now_millis())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Judge;
    use crate::store::secret::hash_secret;

    fn judge(id: &str) -> Judge {
        Judge {
            id: id.into(),
            name: "测试".into(),
            organization: String::new(),
            county: String::new(),
        }
    }

    fn workspace() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        store
            .write(|s| {
                let judges: Vec<(Judge, String)> = [("PW01", "1111"), ("PW02", "2222")]
                    .into_iter()
                    .map(|(id, pin)| (judge(id), hash_secret(pin).unwrap()))
                    .collect();
                s.put_judges(&judges)
            })
            .unwrap();
        (dir, store)
    }

    #[test]
    fn ids_match_without_regard_to_case() {
        let (_dir, store) = workspace();
        let t0 = 1_000_000_000_000;
        assert_eq!(
            check_judge_at(&store, "pw01", "1111", t0).unwrap(),
            JudgeCheck::Right("PW01".into())
        );
        assert_eq!(
            check_judge_at(&store, "Pw02", "2222", t0).unwrap(),
            JudgeCheck::Right("PW02".into())
        );
        assert_eq!(check_judge_at(&store, "PW09", "1111", t0).unwrap(), JudgeCheck::Unknown);
        assert_eq!(check_judge_at(&store, "", "1111", t0).unwrap(), JudgeCheck::Unknown);
    }

    #[test]
    fn three_wrong_pins_then_even_the_right_one_is_refused_and_it_is_kept_in_the_workspace() {
        let (dir, store) = workspace();
        let t0 = 1_000_000_000_000;
        assert_eq!(
            check_judge_at(&store, "pw01", "0000", t0).unwrap(),
            JudgeCheck::Wrong { tries_left: 2 }
        );
        assert_eq!(
            check_judge_at(&store, "PW01", "0001", t0 + 10).unwrap(),
            JudgeCheck::Wrong { tries_left: 1 }
        );
        assert_eq!(
            check_judge_at(&store, "PW01", "0002", t0 + 20).unwrap(),
            JudgeCheck::Wrong { tries_left: 0 }
        );
        assert_eq!(
            check_judge_at(&store, "PW01", "1111", t0 + 30).unwrap(),
            JudgeCheck::Paused { secs: 30 }
        );
        // Another connection (another handle on the file) sees the same pause.
        let again = Store::open(&dir.path().join("w.jury")).unwrap();
        assert_eq!(
            check_judge_at(&again, "pw01", "1111", t0 + 1020).unwrap(),
            JudgeCheck::Paused { secs: 29 }
        );
        // Another judge is not held up, and the pause ends.
        assert_eq!(
            check_judge_at(&again, "PW02", "2222", t0 + 1000).unwrap(),
            JudgeCheck::Right("PW02".into())
        );
        assert_eq!(
            check_judge_at(&again, "PW01", "1111", t0 + 20 + 30_000).unwrap(),
            JudgeCheck::Right("PW01".into())
        );
    }

    #[test]
    fn the_organiser_lifts_a_pause_and_the_right_pin_works_at_once_with_an_audit_row() {
        let (_dir, store) = workspace();
        let t0 = 1_000_000_000_000;
        for (i, pin) in ["0000", "0001", "0002"].into_iter().enumerate() {
            check_judge_at(&store, "PW01", pin, t0 + i as i64).unwrap();
        }
        assert_eq!(
            check_judge_at(&store, "PW01", "1111", t0 + 10).unwrap(),
            JudgeCheck::Paused { secs: 30 }
        );
        let lifted = lift_pause_at(&store, &Actor::Organiser, "pw01", t0 + 20).unwrap();
        assert_eq!(
            lifted,
            Lifted {
                judge: "PW01".into(),
                wrong_tries: 3,
                was_paused: true
            }
        );
        assert_eq!(
            check_judge_at(&store, "PW01", "1111", t0 + 30).unwrap(),
            JudgeCheck::Right("PW01".into())
        );
        let rows = store.audit_log(None, None).unwrap();
        let last = rows.last().unwrap();
        assert_eq!(last.event(), Ok(AuditEvent::LoginPauseLifted { judge: "PW01".into() }));
        assert_eq!(last.actor, Actor::Organiser.label());
    }

    #[test]
    fn lifting_the_pause_of_an_unknown_judge_is_refused_and_writes_nothing() {
        let (_dir, store) = workspace();
        let before = store.audit_log(None, None).unwrap().len();
        let err = lift_pause_at(&store, &Actor::Organiser, "PW09", 1).unwrap_err();
        assert!(
            matches!(
                err,
                crate::error::Error::Organiser(OrganiserRefusal::UnknownJudge { ref judge }) if judge == "PW09"
            ),
            "{err:?}"
        );
        assert_eq!(store.audit_log(None, None).unwrap().len(), before);
    }

    #[test]
    fn an_id_two_judges_share_without_case_names_only_the_exact_one() {
        let (_dir, store) = workspace();
        store
            .write(|s| s.put_judges(&[(judge("pw01"), hash_secret("3333").unwrap())]))
            .unwrap();
        assert_eq!(find_judge_id(&store, "pw01").unwrap(), Some("pw01".into()));
        assert_eq!(find_judge_id(&store, "PW01").unwrap(), Some("PW01".into()));
        assert_eq!(find_judge_id(&store, "Pw01").unwrap(), None);
    }

    #[test]
    fn the_organiser_needs_a_passphrase_set() {
        let (_dir, store) = workspace();
        assert_eq!(check_organiser_timed_at(&store, "whatever", 1).unwrap(), None);
        crate::app::organiser::set_organiser_pass(&store, &crate::store::Actor::Organiser, "secret-pass").unwrap();
        assert_eq!(
            check_organiser_timed_at(&store, "secret-pass", 1).unwrap(),
            Some(PassCheck::Right)
        );
        assert_eq!(
            check_organiser_timed_at(&store, "nope", 2).unwrap(),
            Some(PassCheck::Wrong { tries_left: 2 })
        );
    }
}
