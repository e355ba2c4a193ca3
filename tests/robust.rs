//! Issue 12: refusals for inputs that cannot work, closed pipes, one-line reasons, and messages a
//! person can act on.

mod common;

use common::{Workspace, fixture};

#[test]
fn a_panel_smaller_than_min_judges_is_refused_without_force() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let before = w.digest();
    let err = w.fails(&["assign", "--group", "教师组", "--judges", "PW01,PW02"]);
    assert!(
        err.contains("the panel of 教师组 has 2 judges but the rubric needs at least 5 (min_judges)"),
        "{err}"
    );
    assert!(err.contains("--force"), "{err}");
    assert_eq!(before, w.digest());
    let out = w.run(&["assign", "--group", "教师组", "--judges", "PW01,PW02", "--force"]);
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("warning: the panel of 教师组 has 2 judges"), "{stderr}");
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(store.eligibility().unwrap().panels["教师组"].len(), 2);
}

#[test]
fn fewer_reviewers_per_entry_than_min_judges_are_refused_without_force() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let err = w.fails(&["assign", "--per-entry", "2"]);
    assert!(
        err.contains("each entry has 2 judges but the rubric needs at least 3"),
        "{err}"
    );
    let store = jury::store::Store::open(&w.db).unwrap();
    assert!(store.eligibility().unwrap().per_entry.is_empty());
    drop(store);
    let out = w.ok(&["assign", "--per-entry", "2", "--force"]);
    assert!(out.starts_with("Assigned 320 reviews (2 per entry)."), "{out}");
}
