//! `jury export entries|scores`: every import has an export of the same shape. A workspace with
//! drafts (typed on screen, imported as drafts, imported as partial sheets), sheets submitted on
//! screen and by import, extra columns and formula-like titles goes out as CSV, XLSX or JSON and back
//! into a fresh workspace with the same rubric: same entries, same scores, same sheet statuses,
//! same tally.

mod common;

use common::{Workspace, fixture};
use jury::app::judging::JudgeSession;
use jury::core::Points;
use jury::store::Store;
use serde_json::Value;

/// Titles a spreadsheet would run as formulas: the data export must bring them back unchanged.
const DANGEROUS_ENTRIES: &str = "id,title,group,organization,county,background,problem,strategy,outcome\n\
X001,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",亲子沟通,单位甲,县甲,背景,问题,策略,结果\n\
X002,+1 加号开头,亲子沟通,单位乙,县乙,背景,问题,策略,结果\n\
X003,-2 减号开头,习惯培养,单位丙,县丙,背景,问题,策略,结果\n\
X004,@SUM(A1),情感教育,单位丁,县丁,背景,问题,\"多行\n策略\",结果\n\
X005,'引号开头,学习焦虑,单位戊,县戊,背景,问题,策略,结果\n\
X006,''=1+1 引号等号,学习焦虑,单位己,县己,背景,问题,策略,结果\n";

/// The cases fixture plus sheets in every state:
/// - PW09 / AL20250001: a draft typed on screen with two criteria;
/// - PW09 / AL20250002: typed and submitted on screen;
/// - PW09 / AL20250005: imported complete with `status` = draft;
/// - PW09 / AL20250006: imported with two criteria and `--partial` (a draft).
fn workspace_in_every_state() -> Workspace {
    let w = Workspace::loaded("cases");
    let extra = w.path("dangerous.csv");
    std::fs::write(&extra, DANGEROUS_ENTRIES).unwrap();
    w.ok(&["import", "entries", extra.to_str().unwrap()]);
    {
        let store = Store::open(&w.db).unwrap();
        let s = JudgeSession::login(&store, "PW09", "3331").unwrap();
        s.set_score("AL20250001", "review", "background", "12").unwrap();
        s.set_score("AL20250001", "review", "problem", "15.5").unwrap();
        for (c, v) in [
            ("background", "13"),
            ("problem", "17.5"),
            ("strategy", "24.5"),
            ("outcome", "18"),
            ("value", "9"),
        ] {
            s.set_score("AL20250002", "review", c, v).unwrap();
        }
        s.submit("AL20250002", "review").unwrap();
    }
    let drafts = w.path("drafts.csv");
    std::fs::write(
        &drafts,
        "judge,entry,round,criterion,score,status\n\
         PW09,AL20250005,review,background,11,draft\nPW09,AL20250005,review,problem,16,draft\n\
         PW09,AL20250005,review,strategy,30.5,draft\nPW09,AL20250005,review,outcome,15,draft\n\
         PW09,AL20250005,review,value,7,draft\n",
    )
    .unwrap();
    w.ok(&["import", "scores", drafts.to_str().unwrap()]);
    let partial = w.path("partial.csv");
    std::fs::write(
        &partial,
        "judge,entry,round,criterion,score\nPW09,AL20250006,review,background,10\nPW09,AL20250006,review,problem,12\n",
    )
    .unwrap();
    w.ok(&["import", "scores", partial.to_str().unwrap(), "--partial"]);
    w
}

/// Every sheet's status and every stored score (drafts included), sorted.
fn sheets_and_scores(w: &Workspace) -> (Vec<String>, Vec<String>) {
    let conn = rusqlite::Connection::open(&w.db).unwrap();
    let rows = |sql: &str| -> Vec<String> {
        conn.prepare(sql)
            .unwrap()
            .query_map([], |r| {
                let n = r.as_ref().column_count();
                (0..n)
                    .map(|i| r.get::<_, rusqlite::types::Value>(i).map(|v| format!("{v:?}")))
                    .collect::<Result<Vec<_>, _>>()
                    .map(|v| v.join("|"))
            })
            .unwrap()
            .collect::<Result<Vec<_>, _>>()
            .unwrap()
    };
    (
        rows("SELECT judge, entry, round, status FROM sheets ORDER BY judge, entry, round"),
        rows("SELECT judge, entry, round, criterion, value FROM scores ORDER BY judge, entry, round, criterion"),
    )
}

fn entries(w: &Workspace) -> Vec<jury::core::Entry> {
    Store::open(&w.db).unwrap().entries_with_texts().unwrap()
}

fn status(w: &Workspace, judge: &str, entry: &str) -> String {
    let conn = rusqlite::Connection::open(&w.db).unwrap();
    conn.query_row(
        "SELECT status FROM sheets WHERE judge = ?1 AND entry = ?2 AND round = 'review'",
        [judge, entry],
        |r| r.get(0),
    )
    .unwrap()
}

fn round_trip(format: &str) {
    let w = workspace_in_every_state();
    assert_eq!(status(&w, "PW09", "AL20250001"), "draft");
    assert_eq!(status(&w, "PW09", "AL20250002"), "submitted");
    assert_eq!(status(&w, "PW09", "AL20250005"), "draft");
    assert_eq!(status(&w, "PW09", "AL20250006"), "draft");
    let entries_file = w.path(&format!("entries.{format}"));
    let scores_file = w.path(&format!("scores.{format}"));
    w.ok(&[
        "export",
        "entries",
        "--format",
        format,
        "--out",
        entries_file.to_str().unwrap(),
    ]);
    w.ok(&[
        "export",
        "scores",
        "--format",
        format,
        "--out",
        scores_file.to_str().unwrap(),
    ]);

    let fresh = Workspace::new();
    fresh.ok(&["init", "--template", "cases"]);
    fresh.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    fresh.ok(&["import", "entries", entries_file.to_str().unwrap()]);
    fresh.ok(&["import", "scores", scores_file.to_str().unwrap()]);

    let before = entries(&w);
    assert_eq!(entries(&fresh), before, "{format}: the entries came back as they were");
    let batch = before.iter().find(|e| e.id == "AL20250001").unwrap();
    assert_eq!(
        batch.extra.get("batch").map(String::as_str),
        Some("1"),
        "the fixture's batch column"
    );
    assert!(!batch.sections.background.is_empty());
    assert_eq!(
        sheets_and_scores(&fresh),
        sheets_and_scores(&w),
        "{format}: sheets and scores"
    );
    assert_eq!(fresh.tally_json(), w.tally_json(), "{format}: the tally");
    // The fresh workspace's own trail replays what it holds.
    assert!(fresh.ok(&["audit", "verify"]).contains("intact"));
}

#[test]
fn entries_and_scores_round_trip_through_csv() {
    round_trip("csv");
}

#[test]
fn entries_and_scores_round_trip_through_xlsx() {
    round_trip("xlsx");
}

#[test]
fn entries_and_scores_round_trip_through_json() {
    round_trip("json");
}

#[test]
fn csv_export_has_the_import_headers_and_plain_decimals_whatever_the_locale() {
    let w = workspace_in_every_state();
    let out = w.path("scores.csv");
    let zh = std::process::Command::new(common::BIN)
        .args(["--db", w.db.to_str().unwrap(), "--lang", "zh"])
        .args(["export", "scores", "--format", "csv", "--out", out.to_str().unwrap()])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(zh.status.success(), "{}", String::from_utf8_lossy(&zh.stderr));
    let text = std::fs::read_to_string(&out).unwrap();
    let text = text.trim_start_matches('\u{feff}');
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("judge,entry,round,criterion,score,status"));
    let lines: Vec<&str> = lines.collect();
    assert!(
        lines.contains(&"PW05,AL20250001,review,background,11.5,submitted"),
        "{text}"
    );
    assert!(lines.contains(&"PW05,AL20250001,review,problem,14,submitted"));
    assert!(lines.contains(&"PW09,AL20250001,review,problem,15.5,draft"));
    assert!(lines.contains(&"PW09,AL20250002,review,strategy,24.5,submitted"));
    assert!(lines.contains(&"PW09,AL20250006,review,background,10,draft"));
    assert!(!text.contains(".0,"), "no trailing zeros");

    let out = w.path("entries.csv");
    w.ok(&[
        "--lang",
        "zh",
        "export",
        "entries",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(&out).unwrap();
    let header = text.trim_start_matches('\u{feff}').lines().next().unwrap().to_string();
    assert_eq!(
        header,
        "id,title,group,name,organization,county,submitter,submitter_type,perspective,order,\
         background,problem,strategy,outcome,source,batch"
    );
    // A formula-like title is neutralised for a spreadsheet and read back as it was (above).
    assert!(text.contains("\nX002,'+1 加号开头,"), "{text}");
    // A title that starts with an apostrophe is left alone, unless a formula sign follows: then
    // it gets a second one, so the first can be taken off (X006 is stored as `'=1+1 …`).
    assert!(text.contains("\nX005,'引号开头,"), "{text}");
    assert!(text.contains("\nX006,''=1+1 引号等号,"), "{text}");
}

#[test]
fn json_exports_have_the_documented_shape() {
    let w = workspace_in_every_state();
    let out = w.path("entries.json");
    w.ok(&["export", "entries", "--format", "json", "--out", out.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let list = doc["entries"].as_array().expect("{\"entries\": [...]}");
    assert_eq!(doc.as_object().unwrap().len(), 1);
    assert_eq!(list.len(), 166);
    let first = &list[0];
    assert_eq!(first["id"], "AL20250001");
    assert_eq!(first["group"], "习惯培养");
    assert_eq!(first["organization"], "高安市第一小学");
    assert_eq!(first["county"], "高安市");
    assert_eq!(first["submitter"], "高安市第一小学");
    assert_eq!(first["batch"], "1", "an extra column keeps its name");
    assert_eq!(first["source"], "", "not imported from a document");
    assert!(first["title"].as_str().unwrap().starts_with("二十一天好习惯养成记"));
    let sections = first["sections"].as_object().unwrap();
    let mut keys: Vec<&str> = sections.keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["background", "outcome", "problem", "strategy"]);
    assert!(
        sections["background"]
            .as_str()
            .unwrap()
            .starts_with("高安市第一小学地处")
    );
    let x002 = list.iter().find(|e| e["id"] == "X002").unwrap();
    assert_eq!(x002["title"], "+1 加号开头", "JSON needs no spreadsheet escape");
    let x006 = list.iter().find(|e| e["id"] == "X006").unwrap();
    assert_eq!(x006["title"], "'=1+1 引号等号");

    let out = w.path("scores.json");
    w.ok(&["export", "scores", "--format", "json", "--out", out.to_str().unwrap()]);
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let scores = doc["scores"].as_array().expect("{\"scores\": [...]}");
    let stored = sheets_and_scores(&w).1.len();
    assert_eq!(scores.len(), stored, "every stored score, drafts included");
    for s in scores {
        let o = s.as_object().unwrap();
        let mut keys: Vec<&str> = o.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(keys, ["criterion", "entry", "judge", "round", "score", "status"]);
        assert!(o.values().all(Value::is_string), "{s}");
        let score = o["score"].as_str().unwrap();
        assert!(Points::parse(score).unwrap().to_string() == score, "{score}");
    }
    let find = |judge: &str, entry: &str, criterion: &str| {
        scores
            .iter()
            .find(|s| s["judge"] == judge && s["entry"] == entry && s["criterion"] == criterion)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        find("PW09", "AL20250005", "strategy"),
        serde_json::json!({"judge": "PW09", "entry": "AL20250005", "round": "review",
            "criterion": "strategy", "score": "30.5", "status": "draft"})
    );
    assert_eq!(find("PW05", "AL20250001", "problem")["score"], "14");
    assert_eq!(find("PW09", "AL20250002", "strategy")["status"], "submitted");
}

#[test]
fn default_names_go_to_the_current_folder() {
    let w = Workspace::loaded("competition");
    let run = std::process::Command::new(common::BIN)
        .current_dir(w.dir.path())
        .args(["--db", w.db.to_str().unwrap(), "export", "scores", "--format", "csv"])
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", String::from_utf8_lossy(&run.stderr));
    let name = format!(
        "scores-家庭教育与心理健康教育专业技能大赛-{}.csv",
        chrono::Local::now().format("%Y-%m-%d")
    );
    let said = String::from_utf8(run.stdout).unwrap();
    assert!(said.contains(&name), "{said}");
    let text = std::fs::read_to_string(w.dir.path().join(&name)).unwrap();
    assert_eq!(text.lines().count(), 2521, "a header and 2520 scores");
}
