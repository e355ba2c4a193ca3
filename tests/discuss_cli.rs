//! Discussion after scoring (issue 16), through the real binary: `jury discuss open|close|list`,
//! refused while the rubric says discussion = "off", `--flagged` picking exactly the entries the
//! fixtures' scores put further than `deviation` from the round's median (computed here from the
//! score file, not by jury), audited and replayed by `audit verify`.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use common::{Workspace, fixture};

/// The deviation the tests set: at the template's 15 the fixtures flag no case (the widest is
/// exactly 15 from its median, which is not more than 15); at 12, four.
const DEVIATION: i64 = 12;

/// The cases fixtures, with `discussion` set in the rubric (none: the template as it is) and
/// `deviation = DEVIATION`.
fn cases(discussion: Option<&str>) -> Workspace {
    let w = Workspace::new();
    let template =
        w.ok(&["rubric", "--template", "cases"])
            .replacen("deviation = 15", &format!("deviation = {DEVIATION}"), 1);
    let rubric = match discussion {
        Some(mode) => format!("discussion = \"{mode}\"\n{template}"),
        None => template,
    };
    let file = w.path("rubric.toml");
    std::fs::write(&file, rubric).unwrap();
    w.ok(&["init", "--rubric", file.to_str().unwrap()]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["import", "scores", fixture("scores-cases.csv").to_str().unwrap()]);
    w
}

/// The entries with a judge's round total more than `DEVIATION` from the round's median, from the score file, in quarter points (exact).
fn flagged_in_fixture() -> BTreeSet<String> {
    let text = std::fs::read_to_string(fixture("scores-cases.csv")).unwrap();
    let mut totals: BTreeMap<(String, String, String), i64> = BTreeMap::new();
    for line in text.lines().skip(1).filter(|l| !l.trim().is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        let quarters = (f[4].trim().parse::<f64>().unwrap() * 4.0).round() as i64;
        *totals.entry((f[1].into(), f[2].into(), f[0].into())).or_default() += quarters;
    }
    let mut rounds: BTreeMap<(String, String), Vec<i64>> = BTreeMap::new();
    for ((entry, round, _), t) in totals {
        rounds.entry((entry, round)).or_default().push(t);
    }
    let mut flagged = BTreeSet::new();
    for ((entry, _), mut t) in rounds {
        t.sort_unstable();
        let n = t.len();
        // The median doubled, in quarter points: exact for an even count too.
        let median2 = if n % 2 == 1 {
            2 * t[n / 2]
        } else {
            t[n / 2 - 1] + t[n / 2]
        };
        if t.iter().any(|x| (2 * x - median2).abs() > 2 * DEVIATION * 4) {
            flagged.insert(entry);
        }
    }
    flagged
}

fn listed(w: &Workspace) -> BTreeSet<String> {
    w.ok(&["discuss", "list"])
        .lines()
        .filter(|l| l.starts_with("AL"))
        .map(|l| l.split('\t').next().unwrap().to_string())
        .collect()
}

#[test]
fn open_is_refused_while_the_rubric_says_off_and_nothing_changes() {
    let w = cases(None);
    let before = w.digest();
    let err = w.fails(&["discuss", "open", "AL20250043"]);
    assert!(err.contains("discussion = \"named\""), "{err}");
    let err = w.fails(&["discuss", "open", "--flagged"]);
    assert!(err.contains("discussion is off"), "{err}");
    assert_eq!(w.digest(), before);
    // In Chinese too.
    let out = w.run_with(&["discuss", "open", "AL20250043"], &[("LANG", "zh_CN.UTF-8")]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("未开启讨论") && err.contains("discussion = \"named\""),
        "{err}"
    );
}

#[test]
fn flagged_opens_exactly_the_entries_the_fixture_puts_too_far_from_the_median() {
    let w = cases(Some("anonymous"));
    let expected = flagged_in_fixture();
    assert_eq!(expected.len(), 4, "{expected:?}");
    let out = w.ok(&["discuss", "open", "--flagged"]);
    assert!(out.contains("Under discussion"), "{out}");
    assert_eq!(listed(&w), expected);
    // Only one group's.
    w.ok(&["discuss", "close"]);
    assert!(listed(&w).is_empty());
    w.ok(&["discuss", "open", "--flagged", "--group", "亲子沟通"]);
    let in_group: BTreeSet<String> = w
        .ok(&["discuss", "list"])
        .lines()
        .filter(|l| l.starts_with("AL"))
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            assert_eq!(f[2], "亲子沟通", "{l}");
            f[0].to_string()
        })
        .collect();
    assert!(!in_group.is_empty() && in_group.is_subset(&expected));
    assert!(w.run(&["audit", "verify"]).status.success());
}

#[test]
fn flagged_is_refused_when_the_tally_flags_nothing() {
    let w = Workspace::new();
    let template = w.ok(&["rubric", "--template", "cases"]);
    let file = w.path("rubric.toml");
    std::fs::write(&file, format!("discussion = \"named\"\n{template}")).unwrap();
    w.ok(&["init", "--rubric", file.to_str().unwrap()]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["import", "scores", fixture("scores-cases.csv").to_str().unwrap()]);
    let err = w.fails(&["discuss", "open", "--flagged"]);
    assert!(err.contains("flags no entry"), "{err}");
}

#[test]
fn open_close_by_id_are_audited_all_or_nothing_and_verified() {
    let w = cases(Some("named"));
    let out = w.ok(&["discuss", "open", "AL20250043", "AL20250001"]);
    assert!(out.contains("AL20250043, AL20250001"), "{out}");
    let out = w.ok(&["discuss", "open", "AL20250043"]);
    assert!(out.contains("Already under discussion: AL20250043"), "{out}");
    // An unknown id: nothing is opened.
    let before = w.digest();
    let err = w.fails(&["discuss", "open", "AL20250002", "NOPE"]);
    assert!(err.contains("no entry NOPE"), "{err}");
    assert_eq!(w.digest(), before);
    assert_eq!(
        listed(&w),
        BTreeSet::from(["AL20250001".to_string(), "AL20250043".to_string()])
    );
    let out = w.ok(&["discuss", "close", "AL20250001"]);
    assert!(out.contains("Discussion closed: AL20250001"), "{out}");
    assert_eq!(listed(&w), BTreeSet::from(["AL20250043".to_string()]));
    let log = w.ok(&["audit", "log", "--entry", "AL20250043"]);
    assert!(log.contains("discussion-open"), "{log}");
    assert!(w.run(&["audit", "verify"]).status.success());
    // Changed outside jury: audit verify names it.
    let conn = rusqlite::Connection::open(&w.db).unwrap();
    conn.execute("DELETE FROM discussions", []).unwrap();
    let out = w.run(&["audit", "verify"]);
    assert!(!out.status.success());
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(text.contains("AL20250043 is not under discussion"), "{text}");
}
