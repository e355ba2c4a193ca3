//! `jury unpause JUDGE` (issue 14): the organiser lifts a judge's login pause after three wrong
//! PINs; it needs the organiser passphrase, the right PIN works at once, and it is audited.

mod common;

use common::{Workspace, fixture};

const PASS: &str = "kaimen-2026";

#[test]
fn unpause_lifts_a_judges_pause_with_the_organiser_passphrase_only() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let store = jury::app::Store::open(&w.db).unwrap();
    jury::app::organiser::set_organiser_pass(&store, &jury::store::Actor::Cli, PASS).unwrap();
    use jury::app::login::{JudgeCheck, check_judge};
    for _ in 0..3 {
        check_judge(&store, "PW01", "not-the-pin").unwrap();
    }
    assert!(matches!(
        check_judge(&store, "PW01", "not-the-pin").unwrap(),
        JudgeCheck::Paused { .. }
    ));
    let out = w.run(&["unpause", "pw01"]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("`jury unpause` needs the organiser passphrase"), "{err}");
    let w = w.with_organiser_pass(PASS);
    let said = w.ok(&["unpause", "pw01"]);
    assert!(said.contains("PW01's login pause is lifted"), "{said}");
    let out = w.run(&["unpause", "PW99"]);
    assert_eq!(out.status.code(), Some(1));
    let log = w.ok(&["audit", "log"]);
    assert!(log.contains("login-pause-lifted"), "{log}");
    // The pause is gone: the next try is checked (wrong, with tries left), not refused unchecked.
    assert_eq!(
        check_judge(&store, "PW01", "not-the-pin").unwrap(),
        JudgeCheck::Wrong { tries_left: 2 }
    );
}
