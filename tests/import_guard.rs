//! Imports never overwrite what a judge signed: submitted sheets, incomplete sheets, re-imports,
//! and judges already stored.

mod common;

use common::{Workspace, fixture};
use jury::app::judging::JudgeSession;
use jury::core::Points;
use jury::store::{SheetStatus, Store};

fn write(w: &Workspace, name: &str, text: &str) -> String {
    let path = w.path(name);
    std::fs::write(&path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn sheet_status(w: &Workspace, judge: &str, entry: &str, round: &str) -> Option<SheetStatus> {
    let store = Store::open(&w.db).unwrap();
    store.sheet(judge, entry, round).unwrap().map(|s| s.status)
}

#[test]
fn a_submitted_sheet_changes_only_with_replace_submitted_and_a_reason() {
    let w = Workspace::loaded("competition");
    // PW08 scores JS001's lesson on screen and submits it.
    {
        let store = Store::open(&w.db).unwrap();
        let s = JudgeSession::login(&store, "PW08", "6414").unwrap();
        for (c, v) in [
            ("content", "25"),
            ("method", "24"),
            ("expression", "16"),
            ("effect", "17"),
        ] {
            s.set_score("JS001", "lesson", c, v).unwrap();
        }
        s.submit("JS001", "lesson").unwrap();
    }
    // PW01's JS009 lesson sheet was submitted by the fixture's import.
    let fix = write(
        &w,
        "fix.csv",
        "judge,entry,round,criterion,score\nPW01,JS009,现场说课,内容设计,30\nPW08,JS001,lesson,content,26\n\
         PW08,JS002,lesson,content,20\nPW08,JS002,lesson,method,20\nPW08,JS002,lesson,expression,15\n\
         PW08,JS002,lesson,effect,15\n",
    );
    let before = w.digest();
    let err = w.fails(&["import", "scores", &fix]);
    assert!(err.contains("2 sheets are already submitted"), "{err}");
    assert!(err.contains("PW01 / JS009 / lesson"), "{err}");
    assert!(err.contains("PW08 / JS001 / lesson"), "{err}");
    assert!(err.contains("content 25 -> 26"), "{err}");
    assert!(err.contains("--replace-submitted --reason"), "{err}");
    assert!(!err.contains("JS002"), "a new sheet is not a submitted one: {err}");
    assert_eq!(before, w.digest(), "nothing was written");

    let err = w.fails(&["import", "scores", &fix, "--replace-submitted"]);
    assert!(err.contains("--reason"), "{err}");
    assert_eq!(before, w.digest());

    w.ok(&[
        "import",
        "scores",
        &fix,
        "--replace-submitted",
        "--reason",
        "纸质评分表录入错误",
    ]);
    let store = Store::open(&w.db).unwrap();
    assert_eq!(
        store.score("PW01", "JS009", "lesson", "content").unwrap(),
        Some(Points::from_int(30))
    );
    assert_eq!(
        store.score("PW08", "JS001", "lesson", "content").unwrap(),
        Some(Points::from_int(26))
    );
    let rows = store.audit_log(Some("JS001"), Some("PW08")).unwrap();
    let last = rows.last().unwrap();
    assert_eq!(last.action, "import-score");
    assert_eq!(last.detail, "lesson/content");
    assert_eq!(last.old_value.as_deref(), Some("25"));
    assert_eq!(last.new_value.as_deref(), Some("26"));
    assert!(last.reason.contains("纸质评分表录入错误"), "{}", last.reason);
    assert_eq!(
        sheet_status(&w, "PW08", "JS001", "lesson"),
        Some(SheetStatus::Submitted)
    );
    assert!(w.ok(&["audit", "verify"]).contains("intact"));
}

#[test]
fn re_importing_the_same_file_changes_nothing_and_is_not_an_error() {
    let w = Workspace::loaded("competition");
    let before = w.digest();
    let said = w.ok(&["import", "scores", fixture("scores-competition.csv").to_str().unwrap()]);
    assert!(said.contains("Nothing changed"), "{said}");
    assert_eq!(before, w.digest(), "not even an audit row");
}

#[test]
fn an_incomplete_sheet_is_refused_unless_partial_which_stores_a_draft() {
    let w = Workspace::loaded("competition");
    let file = write(
        &w,
        "two.csv",
        "judge,entry,round,criterion,score\nPW08,JS001,lesson,content,20\nPW08,JS001,lesson,method,20\n\
         PW09,JS002,analysis,diagnosis,10\n",
    );
    let before = w.digest();
    let tally = w.tally_json();
    let err = w.fails(&["import", "scores", &file]);
    assert!(
        err.contains("PW08 / JS001 / lesson lacks expression (语言表达), effect (现场效果)"),
        "{err}"
    );
    assert!(err.contains("PW09 / JS002 / analysis lacks"), "{err}");
    assert!(err.contains("--partial"), "{err}");
    assert_eq!(before, w.digest());

    let said = w.ok(&["import", "scores", &file, "--partial"]);
    assert!(said.contains("2 sheets stored as drafts"), "{said}");
    assert_eq!(sheet_status(&w, "PW08", "JS001", "lesson"), Some(SheetStatus::Draft));
    assert_eq!(sheet_status(&w, "PW09", "JS002", "analysis"), Some(SheetStatus::Draft));
    assert_eq!(w.tally_json(), tally, "drafts do not count");
    assert!(w.ok(&["audit", "verify"]).contains("intact"));

    // The rest of the sheet completes it: now it is submitted.
    let rest = write(
        &w,
        "rest.csv",
        "judge,entry,round,criterion,score\nPW08,JS001,lesson,expression,15\nPW08,JS001,lesson,effect,15.5\n",
    );
    w.ok(&["import", "scores", &rest]);
    assert_eq!(
        sheet_status(&w, "PW08", "JS001", "lesson"),
        Some(SheetStatus::Submitted)
    );
    assert!(w.ok(&["audit", "verify"]).contains("intact"));
}

#[test]
fn a_status_column_keeps_drafts_drafts() {
    let w = Workspace::loaded("competition");
    let file = write(
        &w,
        "status.csv",
        "judge,entry,round,criterion,score,status\nPW08,JS001,lesson,content,20,draft\n\
         PW08,JS001,lesson,method,20,draft\nPW08,JS001,lesson,expression,15,draft\nPW08,JS001,lesson,effect,15,draft\n\
         PW08,JS002,lesson,content,20,submitted\nPW08,JS002,lesson,method,20,submitted\n\
         PW08,JS002,lesson,expression,15,submitted\nPW08,JS002,lesson,effect,15,submitted\n",
    );
    w.ok(&["import", "scores", &file]);
    assert_eq!(sheet_status(&w, "PW08", "JS001", "lesson"), Some(SheetStatus::Draft));
    assert_eq!(
        sheet_status(&w, "PW08", "JS002", "lesson"),
        Some(SheetStatus::Submitted)
    );
    assert!(w.ok(&["audit", "verify"]).contains("intact"));

    let bad = write(
        &w,
        "bad.csv",
        "judge,entry,round,criterion,score,status\nPW08,JS003,lesson,content,20,signed\n",
    );
    let err = w.fails(&["import", "scores", &bad]);
    assert!(err.contains("row 2, column F (status)"), "{err}");
    assert!(err.contains("draft or submitted"), "{err}");
}

#[test]
fn judges_already_stored_need_update() {
    let w = Workspace::loaded("competition");
    let judges = fixture("judges.csv");
    let before = w.digest();
    let err = w.fails(&["import", "judges", judges.to_str().unwrap()]);
    assert!(err.contains("row 2, column A (id)"), "{err}");
    assert!(
        err.contains("\"PW01\" is already in the workspace; use --update"),
        "{err}"
    );
    assert_eq!(before, w.digest());

    // The same file with --update changes nothing.
    w.ok(&["import", "judges", judges.to_str().unwrap(), "--update"]);
    let store = Store::open(&w.db).unwrap();
    assert_eq!(store.judge("PW01").unwrap().unwrap().name, "尹霞");
    drop(store);

    // A new PIN and name: audited, the PIN itself never.
    let text = std::fs::read_to_string(&judges).unwrap().replace(
        "PW02,郑鹏远,经开区第三中学,经开区,5308",
        "PW02,郑鹏,经开区第三中学,经开区,7788",
    );
    let changed = write(&w, "judges2.csv", &text);
    w.ok(&["import", "judges", &changed, "--update"]);
    let store = Store::open(&w.db).unwrap();
    assert!(store.verify_pin("PW02", "7788").unwrap());
    assert!(!store.verify_pin("PW02", "5308").unwrap());
    let log = w.ok(&["audit", "log", "--judge", "PW02"]);
    assert!(log.contains("judge-pin"), "{log}");
    assert!(log.contains("name 郑鹏远 -> 郑鹏"), "{log}");
    assert!(!log.contains("7788") && !log.contains("5308"), "{log}");
}

#[test]
fn a_changed_organisation_that_creates_conflicts_needs_force() {
    let w = Workspace::loaded("competition");
    // JS001 comes from 靖安县实验小学; PW01 scored it.
    let text = std::fs::read_to_string(fixture("judges.csv"))
        .unwrap()
        .replace("PW01,尹霞,樟树市心理健康教育指导中心", "PW01,尹霞,靖安县实验小学");
    let file = write(&w, "judges2.csv", &text);
    let before = w.digest();
    let err = w.fails(&["import", "judges", &file, "--update"]);
    assert!(err.contains("PW01 / JS001 / lesson"), "{err}");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(before, w.digest());

    let tally = w.tally_json();
    w.ok(&["import", "judges", &file, "--update", "--force"]);
    let store = Store::open(&w.db).unwrap();
    assert_eq!(store.judge("PW01").unwrap().unwrap().organization, "靖安县实验小学");
    assert!(store.conflict("PW01", "JS001").unwrap().is_some());
    assert_eq!(
        store.sheet("PW01", "JS001", "lesson").unwrap().unwrap().status,
        SheetStatus::Submitted,
        "the sheet is kept"
    );
    assert_eq!(w.tally_json(), tally);
    let log = w.ok(&["audit", "log", "--judge", "PW01", "--entry", "JS001"]);
    assert!(log.contains("conflict-kept"), "{log}");
    let log = w.ok(&["audit", "log", "--judge", "PW01"]);
    assert!(
        log.contains("organization 樟树市心理健康教育指导中心 -> 靖安县实验小学"),
        "{log}"
    );
}
