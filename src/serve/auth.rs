//! Who may log in, and as what: a judge by id (any case) and PIN, `organiser` by the organiser
//! passphrase, `show` by the projector code. PINs and the passphrase are checked by the library
//! ([`crate::app::login`]) with its rate limit, kept in the workspace; the projector code and
//! unknown user names are limited per address here, in memory, with the same rule.

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::app::Store;
use crate::app::login::{AttemptWrites, JudgeCheck, check_judge_via, check_organiser_timed_via};
use crate::app::organiser::PassCheck;
use crate::app::writer::WriterHandle;
use crate::core::lockout::{FAILURE_WINDOW_MS, pause_left};
use crate::error::Result;

/// The reserved user names.
pub const ORGANISER: &str = "organiser";
pub const SHOW: &str = "show";

/// What a session is.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Who {
    /// A judge, by the id as the workspace spells it.
    Judge(String),
    Organiser,
    Projector,
}

/// A new six-digit projector code, from the operating system's randomness.
pub fn projector_code() -> String {
    format!("{:06}", rand::random_range(0..1_000_000u32))
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
        .unwrap_or(0)
}

/// `a == b` in a time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// How many logins are checked at once. Each check of a PIN or passphrase (argon2) takes 19 MB
/// while it runs: thirty judges logging in together took about 570 MB at once, the server's peak
/// (round five, second pass); on a room laptop's two cores they are not checked sooner for it.
pub const CHECKS_AT_ONCE: usize = 2;

/// The server's one gate for login checks.
static CHECKING: super::screens::OpeningGate = super::screens::OpeningGate::new(CHECKS_AT_ONCE);

/// The login rules of one server.
pub struct Gate {
    db: PathBuf,
    code: String,
    /// Failures per address (unknown user names, wrong projector codes): the times, in ms.
    failures: Mutex<HashMap<IpAddr, Vec<i64>>>,
    /// The server's one writer, which counts the tries (`None`: the gate's own connection does).
    writer: Option<WriterHandle>,
}

impl Gate {
    pub fn new(db: &Path, code: String) -> Gate {
        Gate {
            db: db.to_path_buf(),
            code,
            failures: Mutex::new(HashMap::new()),
            writer: None,
        }
    }

    /// The tries are counted through the server's writer, in turn with every other write.
    pub fn with_writer(mut self, writer: WriterHandle) -> Gate {
        self.writer = Some(writer);
        self
    }

    pub fn code(&self) -> &str {
        &self.code
    }

    fn address_paused(&self, address: Option<IpAddr>, now: i64) -> bool {
        let Some(address) = address else { return false };
        let Ok(mut failures) = self.failures.lock() else {
            return true;
        };
        let list = failures.entry(address).or_default();
        list.retain(|&t| now - t < FAILURE_WINDOW_MS);
        let count = i64::try_from(list.len()).unwrap_or(i64::MAX);
        pause_left(count, list.last().copied(), now).is_some()
    }

    fn address_failed(&self, address: Option<IpAddr>, now: i64) {
        if let (Some(address), Ok(mut failures)) = (address, self.failures.lock()) {
            // Forget addresses whose failures no longer count, so the map stays small.
            failures.retain(|_, list| list.last().is_some_and(|&t| now - t < FAILURE_WINDOW_MS));
            failures.entry(address).or_default().push(now);
        }
    }

    /// Checks `user` and `password` from `address`: `Ok(Some(who))` to let in. Blocking (argon2 and
    /// SQLite): run it off the async threads.
    /// At most [`CHECKS_AT_ONCE`] run at the same time.
    pub fn check(&self, user: &str, password: &str, address: Option<IpAddr>) -> Result<Option<Who>> {
        let _checking = CHECKING.enter();
        self.check_at(user, password, address, now_millis())
    }

    /// [`Gate::check`] at `now`, without waiting for the others.
    pub fn check_at(&self, user: &str, password: &str, address: Option<IpAddr>, now: i64) -> Result<Option<Who>> {
        let user = user.trim();
        if user.eq_ignore_ascii_case(SHOW) {
            if self.address_paused(address, now) {
                return Ok(None);
            }
            if same(password.trim().as_bytes(), self.code.as_bytes()) {
                return Ok(Some(Who::Projector));
            }
            self.address_failed(address, now);
            return Ok(None);
        }
        let store = Store::open(&self.db)?;
        let writes: &dyn AttemptWrites = match &self.writer {
            Some(writer) => writer,
            None => &store,
        };
        if user.eq_ignore_ascii_case(ORGANISER) {
            return Ok(match check_organiser_timed_via(&store, writes, password, now)? {
                Some(PassCheck::Right) => Some(Who::Organiser),
                _ => None,
            });
        }
        if self.address_paused(address, now) && crate::app::login::find_judge_id(&store, user)?.is_none() {
            // Still spend a check's time, as for any other refusal.
            let _ = check_judge_via(&store, writes, user, password, now);
            return Ok(None);
        }
        Ok(match check_judge_via(&store, writes, user, password, now)? {
            JudgeCheck::Right(id) => Some(Who::Judge(id)),
            JudgeCheck::Unknown => {
                self.address_failed(address, now);
                None
            }
            JudgeCheck::Wrong { .. } | JudgeCheck::Paused { .. } => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Judge;

    fn gate() -> (tempfile::TempDir, Gate) {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.jury");
        let store = Store::create(&db).unwrap();
        let judge = Judge {
            id: "PW01".into(),
            name: "测试".into(),
            organization: String::new(),
            county: String::new(),
        };
        store
            .write(|s| s.put_judges(&[(judge, crate::store::secret::hash_secret("1234").unwrap())]))
            .unwrap();
        crate::app::organiser::set_organiser_pass(&store, &crate::store::Actor::Cli, "organiser-pass").unwrap();
        (dir, Gate::new(&db, "123456".into()))
    }

    const HERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 1, 20)));
    const THERE: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(192, 168, 1, 21)));

    #[test]
    fn a_judge_by_id_in_any_case_and_pin() {
        let (_dir, gate) = gate();
        assert_eq!(
            gate.check("pw01", "1234", HERE).unwrap(),
            Some(Who::Judge("PW01".into()))
        );
        assert_eq!(
            gate.check("PW01", "1234", HERE).unwrap(),
            Some(Who::Judge("PW01".into()))
        );
        assert_eq!(gate.check("PW01", "9999", HERE).unwrap(), None);
        assert_eq!(gate.check("PW02", "1234", HERE).unwrap(), None, "unknown user");
    }

    #[test]
    fn three_wrong_pins_then_the_right_one_is_refused_too() {
        let (_dir, gate) = gate();
        for pin in ["0000", "0001", "0002"] {
            assert_eq!(gate.check("PW01", pin, HERE).unwrap(), None);
        }
        assert_eq!(gate.check("PW01", "1234", HERE).unwrap(), None);
        // From another address too: the pause is the judge's, kept in the workspace.
        assert_eq!(gate.check("pw01", "1234", THERE).unwrap(), None);
    }

    #[test]
    fn the_organiser_and_the_projector() {
        let (_dir, gate) = gate();
        assert_eq!(
            gate.check("organiser", "organiser-pass", HERE).unwrap(),
            Some(Who::Organiser)
        );
        assert_eq!(gate.check("Organiser", "wrong", HERE).unwrap(), None);
        assert_eq!(gate.check("show", "123456", HERE).unwrap(), Some(Who::Projector));
        assert_eq!(gate.check("show", "123457", HERE).unwrap(), None);
    }

    #[test]
    fn with_the_servers_writer_every_try_is_counted_through_it() {
        let (_dir, gate) = gate();
        let (file, source) = crate::core::rubric::template_source("cases").unwrap();
        Store::open(&gate.db).unwrap().init(file, source, None).unwrap();
        let writer = crate::app::writer::Writer::start(&gate.db).unwrap();
        let gate = gate.with_writer(writer.handle());
        let t0 = 1_000_000_000_000;
        // A wrong PIN: one request (the try counted); a right one: two (counted, then marked right).
        assert_eq!(gate.check_at("PW01", "9999", HERE, t0).unwrap(), None);
        assert_eq!(writer.handle().stats().requests, 1);
        assert_eq!(
            gate.check_at("pw01", "1234", HERE, t0 + 1).unwrap(),
            Some(Who::Judge("PW01".into()))
        );
        assert_eq!(writer.handle().stats().requests, 3);
        // The organiser's tries too; the rule is the same (three wrong, then the pause).
        assert_eq!(gate.check_at("organiser", "wrong", HERE, t0 + 2).unwrap(), None);
        assert_eq!(writer.handle().stats().requests, 4);
        for i in 0..3 {
            assert_eq!(gate.check_at("PW01", "0000", HERE, t0 + 10 + i).unwrap(), None);
        }
        assert_eq!(gate.check_at("PW01", "1234", HERE, t0 + 20).unwrap(), None, "paused");
        let store = Store::open(&gate.db).unwrap();
        assert_eq!(store.login_failures("PW01", t0 + 20).unwrap().0, 3);
    }

    #[test]
    fn unknown_names_and_wrong_codes_are_limited_per_address() {
        let (_dir, gate) = gate();
        let t0 = 1_000_000_000_000;
        for (i, user) in ["nobody", "PW77", "admin"].iter().enumerate() {
            assert_eq!(gate.check_at(user, "1234", HERE, t0 + i as i64).unwrap(), None);
        }
        // Paused at this address: even the right projector code is refused...
        assert_eq!(gate.check_at("show", "123456", HERE, t0 + 10).unwrap(), None);
        // ...but not at another, and not after the pause.
        assert_eq!(
            gate.check_at("show", "123456", THERE, t0 + 10).unwrap(),
            Some(Who::Projector)
        );
        assert_eq!(
            gate.check_at("show", "123456", HERE, t0 + 2 + 30_000).unwrap(),
            Some(Who::Projector)
        );
        // A real judge is not kept out by the address's pause.
        assert_eq!(
            gate.check_at("PW01", "1234", HERE, t0 + 20).unwrap(),
            Some(Who::Judge("PW01".into()))
        );
    }

    /// The quickest of three runs of `f`.
    fn fastest(mut f: impl FnMut()) -> std::time::Duration {
        (0..3)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed()
            })
            .min()
            .unwrap()
    }

    #[test]
    fn a_refused_login_takes_about_as_long_as_an_accepted_one() {
        let (_dir, gate) = gate();
        crate::app::login::warm_up();
        let accepted = fastest(|| assert!(gate.check("PW01", "1234", HERE).unwrap().is_some()));
        let unknown = fastest(|| assert!(gate.check("PW99", "1234", THERE).unwrap().is_none()));
        let organiser_wrong = fastest(|| assert!(gate.check("organiser", "nope-nope", None).unwrap().is_none()));
        // Three wrong, then the pause: refused without a check of the real hash.
        for pin in ["0000", "0001", "0002"] {
            assert!(gate.check("PW01", pin, None).unwrap().is_none());
        }
        let paused = fastest(|| assert!(gate.check("PW01", "1234", None).unwrap().is_none()));
        for (what, refused) in [("unknown", unknown), ("organiser", organiser_wrong), ("paused", paused)] {
            assert!(
                refused * 2 >= accepted && refused <= accepted * 3,
                "{what}: refused in {refused:?}, accepted in {accepted:?}"
            );
        }
    }

    #[test]
    fn the_projector_code_is_six_digits_and_new_each_time() {
        let codes: std::collections::HashSet<String> = (0..20).map(|_| projector_code()).collect();
        assert!(
            codes
                .iter()
                .all(|c| c.len() == 6 && c.chars().all(|d| d.is_ascii_digit()))
        );
        assert!(codes.len() > 1);
    }
}
