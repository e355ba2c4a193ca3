//! The import log (issue 16) through the real binary on the shared fixtures: `jury import list`
//! numbers every import (time, kind, file, SHA-256, rows), and `jury import undo N --reason R`
//! takes back exactly what import N did, unless something later depends on it; `audit verify`
//! replays the undo and names an edited undo row.

mod common;

use common::{Workspace, fixture};
use sha2::Digest;

const PASS: &str = "kaimen-2026";

fn workspace() -> Workspace {
    let w = Workspace::loaded("cases");
    let store = jury::app::Store::open(&w.db).unwrap();
    jury::app::organiser::set_organiser_pass(&store, &jury::store::Actor::Cli, PASS).unwrap();
    w.with_organiser_pass(PASS)
}

fn sha12(path: &std::path::Path) -> String {
    let digest = sha2::Sha256::digest(std::fs::read(path).unwrap());
    digest.iter().take(6).map(|b| format!("{b:02x}")).collect()
}

fn export_entries(w: &Workspace) -> String {
    let out = w.path("entries.json");
    w.ok(&[
        "export",
        "entries",
        "--format",
        "json",
        "--force",
        "--out",
        out.to_str().unwrap(),
    ]);
    std::fs::read_to_string(out).unwrap()
}

#[test]
fn import_list_and_undo_on_the_fixtures() {
    let w = workspace();
    let list = w.ok(&["import", "list"]);
    let lines: Vec<&str> = list.lines().collect();
    assert_eq!(lines.len(), 4, "{list}");
    assert!(lines[0].starts_with("No.  Time"), "{list}");
    for (line, (n, kind, file, rows)) in lines[1..].iter().zip([
        (1, "entries", "cases.csv", 160),
        (2, "judges", "judges.csv", 9),
        (3, "scores", "scores-cases.csv", 3035),
    ]) {
        let cells: Vec<&str> = line.split_whitespace().collect();
        let path = fixture(file);
        assert_eq!(cells[0], n.to_string(), "{line}");
        assert_eq!(cells[3], kind, "{line}");
        assert_eq!(cells[4], path.to_str().unwrap(), "{line}");
        assert_eq!(cells[5], sha12(&path), "{line}");
        assert_eq!(cells[6], rows.to_string(), "{line}");
        assert_eq!(&cells[7..], ["cli", "imported"], "{line}");
    }

    // An --update of two cases, then undone: `export entries` is as before, byte for byte.
    let before = export_entries(&w);
    let fix = w.path("fix.csv");
    std::fs::write(
        &fix,
        "id,title,group,background\nAL20250001,改过的标题,习惯培养,新背景\nAL20250002,另一个,情感教育,\n",
    )
    .unwrap();
    w.ok(&["import", "entries", fix.to_str().unwrap(), "--update"]);
    assert_ne!(export_entries(&w), before);
    let said = w.ok(&["import", "undo", "4", "--reason", "导错文件"]);
    assert!(said.starts_with("Import 4 (entries "), "{said}");
    assert!(
        said.contains("0 rows it added removed, 3 rows it replaced put back"),
        "{said}"
    );
    assert_eq!(export_entries(&w), before);

    // Replaced submitted scores, then undone: the tally is as before.
    let tally = w.tally_json();
    let scores = w.path("fix-scores.csv");
    std::fs::write(
        &scores,
        "judge,entry,round,criterion,score\nPW05,AL20250001,review,background,1\nPW05,AL20250001,review,problem,1\n\
         PW05,AL20250001,review,strategy,1\nPW05,AL20250001,review,outcome,1\n",
    )
    .unwrap();
    w.ok(&[
        "import",
        "scores",
        scores.to_str().unwrap(),
        "--replace-submitted",
        "--reason",
        "纸质更正",
    ]);
    assert_ne!(w.tally_json(), tally);
    w.ok(&["import", "undo", "5", "--reason", "更正有误"]);
    assert_eq!(w.tally_json(), tally);

    // The entries are scored: their import cannot be undone, and the refusal says why.
    let state = |w: &Workspace| {
        (
            export_entries(w),
            w.tally_json(),
            w.ok(&["import", "list", "--format", "json"]),
        )
    };
    let before = state(&w);
    let err = w.fails(&["import", "undo", "1", "--reason", "x"]);
    assert!(err.contains("jury: import 1 cannot be undone: "), "{err}");
    assert!(err.contains("(import-score: PW0"), "{err}");
    let err = w.fails(&["import", "undo", "5", "--reason", "x"]);
    assert!(err.contains("import 5 was undone already"), "{err}");
    let err = w.fails(&["import", "undo", "4"]);
    assert!(err.contains("--reason"), "{err}");
    assert_eq!(state(&w), before, "a refused undo changes nothing");

    // The list, as JSON, shows the undos.
    let json: serde_json::Value = serde_json::from_str(&w.ok(&["import", "list", "--format", "json"])).unwrap();
    let imports = json["imports"].as_array().unwrap();
    assert_eq!(imports.len(), 5);
    assert_eq!(imports[4]["undone"]["reason"], "更正有误");
    assert_eq!(imports[4]["kind"], "scores");
    assert_eq!(imports[4]["sha256"].as_str().unwrap().len(), 64);
    assert!(imports[0]["undone"].is_null());
    let table = w.ok(&["import", "list"]);
    assert!(table.lines().nth(5).unwrap().contains("undone "), "{table}");

    // audit verify replays the undos; an edited undo row is named.
    let said = w.ok(&["audit", "verify"]);
    assert!(said.starts_with("The audit trail is intact"), "{said}");
    let conn = rusqlite::Connection::open(&w.db).unwrap();
    let seq: i64 = conn
        .query_row(
            "SELECT MAX(seq) FROM audit WHERE action = 'import-undo-score'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    conn.execute("UPDATE scores SET value = value + 10000 WHERE entry = 'AL20250001' AND judge = 'PW05' AND criterion = 'outcome'", [])
        .unwrap();
    drop(conn);
    let out = w.run(&["audit", "verify"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!out.status.success(), "{stdout}");
    assert!(stdout.contains(&format!("row {seq}")), "{stdout}");
}
