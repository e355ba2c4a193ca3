//! Export → import round trips (issue 6, test 6; the tally's own properties are in
//! tests/tally_props.rs): entries written as CSV (UTF-8 or GB18030, as Excel saves it) and read
//! back are the same entries, and scores written in the long format and imported into a fresh
//! workspace give the same scores and the same tally.

use std::path::Path;

use jury::app::import::{import_entries, import_judges, import_scores};
use jury::app::tally::compute_tally;
use jury::core::Points;
use jury::core::rubric::template_source;
use jury::import::{read_table, read_table_bytes};
use jury::store::{ScoreInput, Store};
use proptest::prelude::*;

fn workspace(dir: &Path) -> Store {
    let store = Store::create(&dir.join("w.jury")).unwrap();
    let (file, source) = template_source("competition").unwrap();
    store.init(file, source, None).unwrap();
    store
}

const GROUPS: [&str; 3] = ["教师组", "家长组", "社会工作者组"];

/// Text a person types into a cell: CJK, ASCII, and the characters CSV must quote.
fn cell_text() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zA-Z0-9 亲子沟通家庭教育心理健康，。、《》（）\",;'\n]{0,24}")
        .unwrap()
        .prop_map(|s| s.trim().to_string())
}

#[derive(Debug, Clone)]
struct EntryRow {
    id: String,
    title: String,
    group: &'static str,
    name: String,
    organization: String,
    order: i64,
}

fn entries_strategy() -> impl Strategy<Value = Vec<EntryRow>> {
    proptest::collection::vec((cell_text(), 0usize..3, cell_text(), cell_text()), 1..12).prop_map(|rows| {
        rows.into_iter()
            .enumerate()
            .map(|(i, (title, g, name, organization))| EntryRow {
                id: format!("E{i:03}"),
                // A title or a name is required: make sure there is one.
                title: if title.is_empty() { format!("标题{i}") } else { title },
                group: GROUPS[g],
                name,
                organization,
                order: i as i64 + 1,
            })
            .collect()
    })
}

fn entries_csv(rows: &[EntryRow]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "title", "group", "name", "organization", "order"])
        .unwrap();
    for r in rows {
        w.write_record([
            r.id.as_str(),
            &r.title,
            r.group,
            &r.name,
            &r.organization,
            &r.order.to_string(),
        ])
        .unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn check_entries_round_trip(rows: &[EntryRow], file: &str, bytes: &[u8]) {
    let dir = tempfile::tempdir().unwrap();
    let store = workspace(dir.path());
    let table = read_table_bytes(file, bytes, None).unwrap();
    import_entries(&store, &table, false).unwrap();
    let stored = store.entries().unwrap();
    assert_eq!(stored.len(), rows.len());
    for (s, r) in stored.iter().zip(rows) {
        assert_eq!(s.id, r.id);
        assert_eq!(s.title, r.title);
        assert_eq!(s.group.as_deref(), Some(r.group));
        assert_eq!(s.name, r.name);
        assert_eq!(s.organization, r.organization);
        assert_eq!(s.order, Some(r.order));
    }
}

/// The long format, as a secretary's spreadsheet or an export would hold it.
fn scores_csv(scores: &[ScoreInput]) -> String {
    let mut text = String::from("judge,entry,round,criterion,score\n");
    for s in scores {
        text.push_str(&format!(
            "{},{},{},{},{}\n",
            s.judge, s.entry, s.round, s.criterion, s.value
        ));
    }
    text
}

/// A workspace with the fixture's contestants and three judges.
fn scoring_workspace(dir: &Path) -> Store {
    let store = workspace(dir);
    let contestants = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/fixtures/contestants.csv");
    import_entries(&store, &read_table(&contestants, None).unwrap(), false).unwrap();
    let judges = "id,name,organization,pin\nJ1,甲,专家库,1111\nJ2,乙,专家库,2222\nJ3,丙,专家库,3333\n";
    import_judges(&store, &read_table_bytes("j.csv", judges.as_bytes(), None).unwrap()).unwrap();
    store
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn entries_written_as_csv_read_back_the_same(rows in entries_strategy()) {
        let text = entries_csv(&rows);
        check_entries_round_trip(&rows, "e.csv", text.as_bytes());
        // The same file as Excel on Chinese Windows saves it: GB18030 with CRLF.
        let crlf = text.replace('\n', "\r\n");
        let (gbk, _, unmappable) = encoding_rs::GB18030.encode(&crlf);
        prop_assert!(!unmappable);
        // CRLF inside a quoted cell stays CRLF; compare against what was written.
        let rows_crlf: Vec<EntryRow> = rows
            .iter()
            .map(|r| EntryRow {
                title: r.title.replace('\n', "\r\n"),
                name: r.name.replace('\n', "\r\n"),
                organization: r.organization.replace('\n', "\r\n"),
                ..r.clone()
            })
            .collect();
        check_entries_round_trip(&rows_crlf, "e-gbk.csv", &gbk);
    }
}

proptest! {
    // Each case hashes three PINs with argon2 twice: keep the count small.
    #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]

    #[test]
    fn scores_exported_in_the_long_format_and_reimported_give_the_same_tally(
        seed in proptest::collection::vec(0i64..1000, 6 * 3 * 12)
    ) {
        let first_dir = tempfile::tempdir().unwrap();
        let first = scoring_workspace(first_dir.path());
        let rubric = first.rubric().unwrap().clone();
        let step = rubric.step.units();
        let mut scores = Vec::new();
        let mut values = seed.iter();
        for entry in ["JS001", "JS002", "JS003", "JS013", "JS014", "JS025"] {
            for judge in ["J1", "J2", "J3"] {
                for round in &rubric.rounds {
                    for criterion in &round.criteria {
                        let v = values.next().copied().unwrap_or(0);
                        let choices = criterion.max.units() / step + 1;
                        scores.push(ScoreInput {
                            judge: judge.into(),
                            entry: entry.into(),
                            round: round.id.clone(),
                            criterion: criterion.id.clone(),
                            value: Points::from_units(v % choices * step),
                        });
                    }
                }
            }
        }
        let text = scores_csv(&scores);
        import_scores(&first, &read_table_bytes("s.csv", text.as_bytes(), None).unwrap()).unwrap();
        let exported = first.all_scores().unwrap();
        prop_assert_eq!(exported.len(), scores.len());

        let second_dir = tempfile::tempdir().unwrap();
        let second = scoring_workspace(second_dir.path());
        let again = scores_csv(&exported);
        import_scores(&second, &read_table_bytes("export.csv", again.as_bytes(), None).unwrap()).unwrap();
        prop_assert_eq!(second.all_scores().unwrap(), exported);
        prop_assert_eq!(compute_tally(&second, None).unwrap(), compute_tally(&first, None).unwrap());
    }
}
