//! `jury find`: the judges' search from the command line, on the shared cases fixture.
//! Expected ids were read off `cases.csv` by hand: the 11 cases whose title holds 亲子沟通 are
//! AL20250013, …27, …41, …42, …57, …64, …; the cases on 亲子 from 高安 are AL20250016, …20, …47.

use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_jury");
const CASES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/cases.csv");

struct Workspace {
    _dir: tempfile::TempDir,
    db: std::path::PathBuf,
}

impl Workspace {
    fn with_cases() -> Workspace {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("x.jury");
        let w = Workspace { _dir: dir, db };
        w.ok(&["init", "--template", "cases"]);
        w.ok(&["import", "entries", CASES]);
        w
    }

    fn ok(&self, args: &[&str]) -> String {
        let out = Command::new(BIN)
            .arg("--db")
            .arg(&self.db)
            .args(args)
            .env_remove("JURY_DB")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "jury {args:?} failed: {stderr}");
        String::from_utf8(out.stdout).unwrap()
    }

    /// The printed lines of `jury find`, split at tabs.
    fn find(&self, args: &[&str]) -> Vec<Vec<String>> {
        let mut all = vec!["find"];
        all.extend_from_slice(args);
        self.ok(&all)
            .lines()
            .map(|l| l.split('\t').map(str::to_string).collect())
            .collect()
    }
}

fn ids(lines: &[Vec<String>]) -> Vec<&str> {
    lines.iter().map(|l| l[0].as_str()).collect()
}

#[test]
fn pinyin_initials_find_the_cases_on_parent_child_communication() {
    let w = Workspace::with_cases();
    let lines = w.find(&["qzgt", "--limit", "50"]);
    assert_eq!(lines.len(), 11, "{lines:?}");
    assert_eq!(
        &ids(&lines)[..6],
        [
            "AL20250013",
            "AL20250027",
            "AL20250041",
            "AL20250042",
            "AL20250057",
            "AL20250064"
        ]
    );
    for line in &lines {
        assert_eq!(line.len(), 4, "id, title, organization, county: {line:?}");
        assert!(line[1].contains("亲子沟通"), "{line:?}");
    }
    assert_eq!(lines[0][1], "一封家书架起亲子沟通的桥梁");
    assert_eq!(lines[0][2], "明月山区妇联家庭教育服务站");
    assert_eq!(lines[0][3], "明月山区");
}

#[test]
fn traditional_characters_find_the_same_cases_first() {
    let w = Workspace::with_cases();
    let simplified = w.find(&["亲子沟通", "--limit", "11"]);
    let traditional = w.find(&["親子溝通", "--limit", "11"]);
    assert_eq!(simplified, traditional);
    assert_eq!(ids(&simplified), ids(&w.find(&["qzgt", "--limit", "11"])));
}

#[test]
fn words_combine_topic_and_county() {
    let w = Workspace::with_cases();
    let lines = w.find(&["qinzi 高安"]);
    assert_eq!(ids(&lines), ["AL20250016", "AL20250020", "AL20250047"]);
}

#[test]
fn limit_caps_the_lines_and_id_prefixes_come_first() {
    let w = Workspace::with_cases();
    let lines = w.find(&["al2025001", "--limit", "3"]);
    assert_eq!(ids(&lines), ["AL20250010", "AL20250011", "AL20250012"]);
    assert_eq!(
        w.find(&["AL20250160"]).first().map(|l| l[0].clone()).as_deref(),
        Some("AL20250160")
    );
    assert_eq!(w.find(&["qzgt"]).len(), 11);
    assert_eq!(w.find(&["a"]).len(), 20, "the default limit");
    assert!(w.find(&["zzzzqqqq"]).is_empty());
}

#[test]
fn keys_kept_by_one_find_serve_the_next_until_the_entries_change() {
    let w = Workspace::with_cases();
    let stored = |w: &Workspace| -> i64 {
        let conn = rusqlite::Connection::open(&w.db).unwrap();
        conn.query_row("SELECT count(*) FROM search_keys", [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(stored(&w), 0, "nothing is prepared before the first search");
    let first = w.find(&["qzgt", "--limit", "50"]);
    assert_eq!(stored(&w), 1, "the first search keeps its keys");
    // The second search reads the kept keys and must find exactly the same.
    assert_eq!(w.find(&["qzgt", "--limit", "50"]), first);
    assert_eq!(first.len(), 11);

    // New entries make the kept keys stale: the next search sees the new case.
    let dir = tempfile::tempdir().unwrap();
    let extra = dir.path().join("more.csv");
    // A copy of the first case under a new id and title.
    let mut reader = csv::Reader::from_path(CASES).unwrap();
    let headers = reader.headers().unwrap().clone();
    let mut record: Vec<String> = reader
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(String::from)
        .collect();
    record[headers.iter().position(|h| h == "id").unwrap()] = "ZZ0001".into();
    record[headers.iter().position(|h| h == "title").unwrap()] = "鹦鹉螺亲子沟通新案例".into();
    let mut writer = csv::Writer::from_path(&extra).unwrap();
    writer.write_record(&headers).unwrap();
    writer.write_record(&record).unwrap();
    writer.flush().unwrap();
    let out = Command::new(BIN)
        .arg("--db")
        .arg(&w.db)
        .args(["import", "entries"])
        .arg(&extra)
        .env_remove("JURY_DB")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stored(&w), 0, "an import drops the kept keys");
    let lines = w.find(&["鹦鹉螺", "--limit", "5"]);
    assert_eq!(ids(&lines), ["ZZ0001"]);
    assert_eq!(w.find(&["qzgt", "--limit", "50"]).len(), 12);
}

#[test]
fn find_answers_while_another_process_holds_the_write_lock_and_keeps_nothing() {
    let w = Workspace::with_cases();
    let holder = rusqlite::Connection::open(&w.db).unwrap();
    holder.execute_batch("BEGIN IMMEDIATE").unwrap();
    // The write lock is taken: the search still answers from the entries, and its keys are not
    // kept (the cache gives way instead of waiting).
    let lines = w.find(&["qzgt", "--limit", "50"]);
    assert_eq!(lines.len(), 11);
    holder.execute_batch("ROLLBACK").unwrap();
    let kept: i64 = holder
        .query_row("SELECT count(*) FROM search_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 0);
    // Once the lock is free, the next search keeps them.
    assert_eq!(w.find(&["qzgt", "--limit", "50"]).len(), 11);
    let kept: i64 = holder
        .query_row("SELECT count(*) FROM search_keys", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1);
}

#[test]
fn a_number_finds_its_case_first_whatever_the_leading_zeros() {
    let w = Workspace::with_cases();
    // Every id holds 2025 (and so a 5, a 0 and a 2): the running number decides.
    for query in ["5", "05", "0005", "５"] {
        let lines = w.find(&[query, "--limit", "3"]);
        assert_eq!(lines[0][0], "AL20250005", "{query}: {lines:?}");
    }
    let lines = w.find(&["47", "--limit", "3"]);
    assert_eq!(lines[0][0], "AL20250047", "{lines:?}");
    let lines = w.find(&["al20250101", "--limit", "3"]);
    assert_eq!(lines[0][0], "AL20250101", "{lines:?}");
}

/// `--version` is printed from the untranslated definition (no translation changes it): the same
/// line in every language, on stdout, exit code 0.
#[test]
fn version_is_the_same_line_in_every_language() {
    let expected = format!("jury {}\n", env!("CARGO_PKG_VERSION"));
    for args in [
        &["--version"][..],
        &["-V"],
        &["--lang", "zh", "--version"],
        &["--lang=en", "-V"],
    ] {
        let out = Command::new(BIN).args(args).env_remove("JURY_DB").output().unwrap();
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(String::from_utf8_lossy(&out.stdout), expected, "{args:?}");
        assert!(out.stderr.is_empty(), "{args:?}");
    }
    // With LANG in Chinese too.
    let out = Command::new(BIN)
        .arg("--version")
        .env("LANG", "zh_CN.UTF-8")
        .env_remove("JURY_DB")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}
