//! The judging core end to end: the built binary on the shared fixtures must give the exact tally
//! computed independently in `expected/`.

mod common;

use common::{Workspace, fixture};
use serde_json::Value;

fn expected(name: &str) -> Value {
    let text = std::fs::read_to_string(fixture(&format!("expected/{name}"))).expect("expected tally");
    serde_json::from_str(&text).expect("expected json")
}

/// Compare every entry's id, group, rank, final, award, complete and round scores, in order.
fn assert_tally_matches(got: &Value, want: &Value) {
    let got_groups = got["groups"].as_array().expect("groups");
    let want_groups = want["groups"].as_array().expect("groups");
    assert_eq!(got_groups.len(), want_groups.len(), "number of groups");
    let mut compared = 0;
    for (g, w) in got_groups.iter().zip(want_groups) {
        assert_eq!(g["group"], w["group"]);
        let ge = g["entries"].as_array().unwrap();
        let we = w["entries"].as_array().unwrap();
        assert_eq!(ge.len(), we.len(), "entries in {}", w["group"]);
        for (a, b) in ge.iter().zip(we) {
            for key in ["id", "rank", "final", "award", "complete", "rounds"] {
                assert_eq!(a[key], b[key], "{key} of {} in {}", b["id"], w["group"]);
            }
            compared += 1;
        }
    }
    assert!(compared > 0);
}

#[test]
fn competition_tally_matches_expected() {
    let w = Workspace::loaded("competition");
    let got = w.tally_json();
    assert_tally_matches(&got, &expected("tally-competition.json"));
    assert_eq!(got["contest"], "家庭教育与心理健康教育专业技能大赛");
    // The headline entry as the issue quotes it.
    let first = &got["groups"][0]["entries"][0];
    assert_eq!(first["id"], "JS009");
    assert_eq!(first["final"], "91.31");
    assert_eq!(first["award"], "一等奖");
    // Seven judges: one highest and one lowest dropped per round.
    let marks = first["judges"]["lesson"].as_array().unwrap();
    assert_eq!(marks.len(), 7);
    assert_eq!(marks.iter().filter(|m| m["dropped"] == "high").count(), 1);
    assert_eq!(marks.iter().filter(|m| m["dropped"] == "low").count(), 1);
}

#[test]
fn cases_tally_matches_expected() {
    let w = Workspace::loaded("cases");
    assert_tally_matches(&w.tally_json(), &expected("tally-cases.json"));
}

#[test]
fn one_group_only() {
    let w = Workspace::loaded("competition");
    let got: Value = serde_json::from_str(&w.ok(&["tally", "--group", "家长组", "--format", "json"])).unwrap();
    let groups = got["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0]["group"], "家长组");
    let err = w.fails(&["tally", "--group", "学生组"]);
    assert!(err.contains("unknown group \"学生组\""), "{err}");
    assert!(err.contains("教师组, 家长组, 社会工作者组"), "{err}");
}

#[test]
fn table_format_aligns_chinese_by_display_width() {
    let w = Workspace::loaded("competition");
    let out = w.ok(&["tally", "--group", "教师组"]);
    let rows: Vec<&str> = out.lines().filter(|l| l.contains("JS0")).collect();
    assert_eq!(rows.len(), 12);
    // The final score column ends at the same display column on every ranked row.
    let col_of = |line: &str, needle: &str| {
        let byte = line.find(needle).unwrap();
        jury::core::text::width(&line[..byte]) + needle.len()
    };
    let ends: Vec<usize> = rows
        .iter()
        .map(|l| {
            let fields: Vec<&str> = l.split_whitespace().collect();
            let fin = fields.iter().rev().find(|f| f.contains('.')).unwrap();
            col_of(l, fin)
        })
        .collect();
    assert!(ends.windows(2).all(|p| p[0] == p[1]), "{ends:?}\n{out}");
    assert!(rows[0].contains("JS009") && rows[0].contains("91.31") && rows[0].contains("一等奖"));
}

#[test]
fn csv_tally_has_bom_and_one_row_per_entry() {
    let w = Workspace::loaded("competition");
    let out = w.run(&["tally", "--format", "csv"]);
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(out.stdout[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), 36);
    assert_eq!(&rows[0][2], "JS009");
    assert_eq!(&rows[0][4], "91.31");
}

#[test]
fn gbk_cases_import_to_the_same_entries() {
    let utf8 = Workspace::new();
    utf8.ok(&["init", "--template", "cases"]);
    utf8.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    let gbk = Workspace::new();
    gbk.ok(&["init", "--template", "cases"]);
    let out = gbk.ok(&["import", "entries", fixture("cases-gbk.csv").to_str().unwrap()]);
    assert!(out.contains("160 entries"), "{out}");
    let entries = |w: &Workspace| {
        let store = jury::store::Store::open(&w.db).unwrap();
        store.entries_with_texts().unwrap()
    };
    let a = entries(&utf8);
    let b = entries(&gbk);
    assert_eq!(a.len(), 160);
    assert_eq!(a, b);
    // Extra columns the rubric does not know are kept.
    assert_eq!(a[0].extra.get("batch").map(String::as_str), Some("1"));
}

#[test]
fn gbk_contestants_import_to_the_same_entries() {
    let a = Workspace::new();
    a.ok(&["init", "--template", "competition"]);
    a.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    let b = Workspace::new();
    b.ok(&["init", "--template", "competition"]);
    b.ok(&["import", "entries", fixture("contestants-gbk.csv").to_str().unwrap()]);
    let ea = jury::store::Store::open(&a.db).unwrap().entries().unwrap();
    let eb = jury::store::Store::open(&b.db).unwrap().entries().unwrap();
    assert_eq!(ea, eb);
    assert_eq!(ea[0].name, "邓涵");
    assert_eq!(ea[0].order, Some(1));
}

#[test]
fn formal_check_lists_the_six_gaps_and_three_duplicate_pairs() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    let out = w.run(&["check"]);
    assert!(!out.status.success(), "findings make check exit non-zero");
    let text = String::from_utf8(out.stdout).unwrap();
    let missing: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("missing section"))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        missing,
        vec![
            "AL20250024",
            "AL20250047",
            "AL20250106",
            "AL20250138",
            "AL20250139",
            "AL20250143"
        ]
    );
    let dups: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("likely duplicate"))
        .map(|l| l.split('\t').next().unwrap())
        .collect();
    assert_eq!(
        dups,
        vec![
            "AL20250008,AL20250074",
            "AL20250037,AL20250101",
            "AL20250061,AL20250151"
        ]
    );
    assert_eq!(text.lines().count(), 9, "nothing else is reported:\n{text}");
}

#[test]
fn xlsx_and_json_entries_import_like_csv() {
    let csv_ws = Workspace::new();
    csv_ws.ok(&["init", "--template", "competition"]);
    csv_ws.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    let want = jury::store::Store::open(&csv_ws.db).unwrap().entries().unwrap();

    // The same contestants as an XLSX with Chinese headers and numbers as numbers.
    let text = std::fs::read_to_string(fixture("contestants.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (c, h) in ["编号", "标题", "组别", "姓名", "单位", "县市区", "出场顺序"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    for (r, row) in rows.iter().enumerate() {
        for c in 0..6 {
            sheet.write_string(r as u32 + 1, c as u16, &row[c]).unwrap();
        }
        sheet
            .write_number(r as u32 + 1, 6, row[6].parse::<f64>().unwrap())
            .unwrap();
    }
    let xlsx = csv_ws.path("contestants.xlsx");
    book.save(&xlsx).unwrap();
    let x = Workspace::new();
    x.ok(&["init", "--template", "competition"]);
    x.ok(&["import", "entries", xlsx.to_str().unwrap()]);
    assert_eq!(jury::store::Store::open(&x.db).unwrap().entries().unwrap(), want);

    // And as JSON.
    let items: Vec<Value> = rows
        .iter()
        .map(|r| {
            serde_json::json!({"id": &r[0], "title": &r[1], "group": &r[2], "name": &r[3],
                "organization": &r[4], "county": &r[5], "order": r[6].parse::<i64>().unwrap()})
        })
        .collect();
    let json = csv_ws.path("contestants.json");
    std::fs::write(&json, serde_json::to_string(&items).unwrap()).unwrap();
    let j = Workspace::new();
    j.ok(&["init", "--template", "competition"]);
    j.ok(&["import", "entries", json.to_str().unwrap()]);
    assert_eq!(jury::store::Store::open(&j.db).unwrap().entries().unwrap(), want);
}

#[test]
fn a_later_score_import_replaces_the_earlier_value_with_a_reason() {
    let w = Workspace::loaded("competition");
    let fix = w.path("fix.csv");
    // PW01 gave JS009 lesson/content some value; set it to the maximum. The sheet is signed
    // (submitted by the first import): only the organiser replaces it, with a reason.
    std::fs::write(
        &fix,
        "judge,entry,round,criterion,score\nPW01,JS009,现场说课,内容设计,30\n",
    )
    .unwrap();
    let err = w.fails(&["import", "scores", fix.to_str().unwrap()]);
    assert!(err.contains("PW01 / JS009 / lesson is submitted"), "{err}");
    w.ok(&[
        "import",
        "scores",
        fix.to_str().unwrap(),
        "--replace-submitted",
        "--reason",
        "录入错误",
    ]);
    let store = jury::store::Store::open(&w.db).unwrap();
    assert_eq!(
        store.score("PW01", "JS009", "lesson", "content").unwrap(),
        Some(jury::core::Points::from_int(30))
    );
    assert_eq!(store.all_scores().unwrap().len(), 2520, "replaced, not added");
    let after = w.tally_json();
    assert_eq!(after["groups"][0]["entries"].as_array().unwrap().len(), 12);
    let js009 = after["groups"][0]["entries"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["id"] == "JS009")
        .unwrap();
    assert!(js009["final"] != Value::Null);
}

#[test]
fn conflicts_by_organisation_and_declared() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let list = w.ok(&["conflict", "list"]);
    let found: Vec<String> = list
        .lines()
        .map(|l| l.split('\t').take(2).collect::<Vec<_>>().join(" "))
        .collect();
    assert_eq!(
        found,
        vec![
            "PW01 AL20250059",
            "PW01 AL20250102",
            "PW02 AL20250018",
            "PW02 AL20250089",
            "PW02 AL20250145"
        ]
    );
    w.ok(&["conflict", "add", "PW03", "AL20250001", "--reason", "亲属"]);
    assert!(w.ok(&["conflict", "list"]).contains("PW03\tAL20250001\tdeclared\t亲属"));
    let err = w.fails(&["conflict", "remove", "PW01", "AL20250059"]);
    assert!(err.contains("share an organisation"), "{err}");
    w.ok(&["conflict", "remove", "PW03", "AL20250001"]);
    assert!(!w.ok(&["conflict", "list"]).contains("PW03"));
    let err = w.fails(&["conflict", "add", "PW99", "AL20250001", "--reason", "同事"]);
    assert!(err.contains("unknown judge \"PW99\""), "{err}");
}

#[test]
fn every_change_is_in_the_audit_trail_and_the_chain_verifies() {
    let w = Workspace::loaded("competition");
    let log = w.ok(&["audit", "log"]);
    let actions: Vec<&str> = log.lines().map(|l| l.split_whitespace().nth(3).unwrap()).collect();
    // One import-score row per imported score (so `audit verify` can replay every value).
    let imported = actions.iter().filter(|a| **a == "import-score").count();
    let scores_file = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    assert_eq!(imported, scores_file.lines().count() - 1);
    let others: Vec<&str> = actions.iter().copied().filter(|a| *a != "import-score").collect();
    // Each import's number and record of what it changed (`jury import list`, `import undo`).
    assert_eq!(
        others,
        vec![
            "init",
            "import-entries",
            "import-record",
            "import-judges",
            "import-record",
            "import-scores",
            "import-record"
        ]
    );
    let out = w.ok(&["audit", "verify"]);
    assert!(
        out.starts_with(&format!("The audit trail is intact: {} rows", 7 + imported)),
        "{out}"
    );
}

#[test]
fn init_refuses_a_second_contest_and_a_bad_rubric() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let err = w.fails(&["init", "--template", "competition"]);
    assert!(
        err.contains("already holds the contest \"家庭教育典型案例遴选\""),
        "{err}"
    );

    let bad = Workspace::new();
    let rubric = bad.path("r.toml");
    let src = jury::core::rubric::template_source("competition")
        .unwrap()
        .1
        .replace("weight = 0.3", "weight = 0.35");
    std::fs::write(&rubric, src).unwrap();
    let err = bad.fails(&["init", "--rubric", rubric.to_str().unwrap()]);
    assert!(err.contains("r.toml:"), "{err}");
    assert!(
        err.contains("round weights must add up to 1; they add up to 1.1"),
        "{err}"
    );
    assert!(!bad.db.exists(), "nothing is created for a refused rubric");
}

#[test]
fn commands_before_init_say_what_to_do() {
    let w = Workspace::new();
    let err = w.fails(&["tally"]);
    assert!(
        err.contains("run `jury init --template cases|competition` first"),
        "{err}"
    );
}

#[test]
fn demo_prints_ranked_results_without_a_terminal() {
    let out = std::process::Command::new(common::BIN)
        .arg("demo")
        .env_remove("JURY_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("教师组") && text.contains("社会工作者组"), "{text}");
    assert!(text.contains("一等奖"), "{text}");
}

/// `conflict add` needs its reason (it was "declared" by default, listed as `declared declared`).
#[test]
fn a_declared_conflict_needs_its_reason_and_lists_it_once() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let err = w.fails(&["conflict", "add", "PW03", "AL20250001"]);
    assert!(err.contains("--reason"), "{err}");
    assert!(!w.ok(&["conflict", "list"]).contains("PW03"));
    w.ok(&["conflict", "add", "PW03", "AL20250001", "--reason", "亲属"]);
    let list = w.ok(&["conflict", "list"]);
    let line = list.lines().find(|l| l.starts_with("PW03\t")).unwrap_or_default();
    assert_eq!(line, "PW03\tAL20250001\tdeclared\t亲属");
    assert!(!list.contains("declared\tdeclared"), "{list}");
    let audit = w.ok(&["audit", "log"]);
    assert!(audit.contains("conflict-add") && audit.contains("亲属"), "{audit}");
}

/// `jury lock` with sheets still to come: warned on stderr, named (the first few), and without a
/// terminal the lock goes on.
#[test]
fn a_lock_with_unscored_entries_warns_and_goes_on_without_a_terminal() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let out = w.run(&[
        "lock",
        "--group",
        "教师组",
        "--round",
        "lesson",
        "--reason",
        "结果已核对",
    ]);
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("Warning: 教师组 / 现场说课 still has"), "{err}");
    assert!(err.contains("教师组 / 现场说课: PW"), "{err}");
    assert!(err.contains("Locking anyway (no terminal to ask on)."), "{err}");
    assert!(
        String::from_utf8(out.stdout)
            .unwrap()
            .contains("Locked 教师组 / 现场说课")
    );
    // In Chinese under a Chinese locale.
    let out = w.run_with(
        &["lock", "--group", "家长组", "--reason", "结果已核对"],
        &[("LANG", "zh_CN.UTF-8")],
    );
    assert!(out.status.success());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("注意：家长组 / 全部 还有"), "{err}");
    assert!(err.contains("仍然锁定（没有可询问的终端）。"), "{err}");
}
