//! Imports, each use case once: `crate::import` reads the file and checks its rows (returning
//! typed rows, or typed problems); here they are checked against the workspace (what is stored,
//! submitted sheets, `--replace-submitted`, `--partial`, conflicts) and written in one write
//! transaction with their audit rows. PINs are hashed here. A refused import leaves the workspace
//! exactly as it was.

mod documents;
mod entries;
mod judges;
mod log;
mod scores;

pub use crate::import::entries::{CHECK_FIRST_BYTES, streams_under_lock};
pub use crate::store::ImportRecord;
pub use documents::{DocumentImport, DocumentImportOptions, Progress, import_documents, is_folder};
pub use entries::{EntryImport, import_entries, import_entries_file};
pub use judges::{JudgeImport, JudgeImportOptions, import_judges, import_judges_file, import_judges_with};
pub use log::{UndoneImport, list_imports, undo_import};
pub use scores::{ScoreImport, ScoreImportOptions, import_scores, import_scores_file, import_scores_with};

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
    use crate::import::read_table_bytes;
    use crate::store::Store;

    /// A digest of every row of every table of the workspace (SQLite's own ones included).
    fn digest(store: &Store) -> String {
        use sha2::Digest;
        let conn = store.conn();
        let mut tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        tables.retain(|t| !t.starts_with("sqlite_stat"));
        let mut hash = sha2::Sha256::new();
        for table in &tables {
            let mut stmt = conn
                .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY 1, 2"))
                .unwrap();
            let columns = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            let mut text = format!("{table}\n");
            while let Some(row) = rows.next().unwrap() {
                for c in 0..columns {
                    let value: rusqlite::types::Value = row.get(c).unwrap();
                    write!(text, "{value:?}\u{0}").unwrap();
                }
                text.push('\n');
            }
            hash.update(text.as_bytes());
        }
        assert!(tables.len() > 5, "{tables:?}");
        hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
    }

    fn csv(name: &str, text: &str) -> crate::import::table::Table {
        read_table_bytes(name, text.as_bytes(), None).unwrap()
    }

    /// Every importer refuses its file as a whole: a problem found while checking the rows, or
    /// only inside the write transaction, leaves every table exactly as it was.
    #[test]
    fn a_refused_import_leaves_every_table_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&create_demo_workspace(dir.path()).unwrap()).unwrap();
        let before = digest(&store);

        // Entries: good rows first, a bad running order in the last.
        let entries = csv("e.csv", "id,name,group,order\nNEW1,甲,,1\nNEW2,乙,,x\n");
        let err = import_entries(&store, &entries, false).unwrap_err().to_string();
        assert!(
            err.contains("row 3, column D (order): the running order \"x\""),
            "{err}"
        );
        assert_eq!(digest(&store), before, "entries");

        // Judges: a new judge, then a PIN that is too short.
        let judges = csv("j.csv", "id,name,pin\nNEWJ,新评委,1234\nNEWK,另一位,12\n");
        let err = import_judges(&store, &judges).unwrap_err().to_string();
        assert!(err.contains("row 3, column C (pin): the PIN must have"), "{err}");
        assert_eq!(digest(&store), before, "judges");

        // Judges with --update, refused inside the write transaction (after the judges were put):
        // a judge moves into the organisation of an entry they have a sheet for.
        let entry_orgs: std::collections::HashMap<String, String> = store
            .entries()
            .unwrap()
            .into_iter()
            .map(|e| (e.id, e.organization))
            .collect();
        let (judge, entry) = store
            .judges()
            .unwrap()
            .into_iter()
            .find_map(|j| {
                let sheets = store.judge_sheets(&j.id).unwrap();
                let (entry, _, _) = sheets
                    .into_iter()
                    .find(|(e, _, _)| entry_orgs.get(e).is_some_and(|o| !o.is_empty()))?;
                Some((j.id, entry))
            })
            .expect("a judge of the demo has a sheet for an entry with an organisation");
        let org = &entry_orgs[&entry];
        let moved = csv("m.csv", &format!("id,name,organization,pin\n{judge},评委,{org},\n"));
        let options = JudgeImportOptions {
            update: true,
            force: false,
        };
        let err = import_judges_with(&store, &moved, options).unwrap_err().to_string();
        assert!(err.contains("give --force to keep them"), "{err}");
        assert_eq!(digest(&store), before, "judges --update");

        // Scores: a good value, then one over the maximum.
        let scores = csv(
            "s.csv",
            &format!(
                "judge,entry,round,criterion,score\n{DEMO_JUDGE},JS001,lesson,content,20\n\
                 {DEMO_JUDGE},JS001,lesson,method,99\n"
            ),
        );
        let partial = ScoreImportOptions {
            partial: true,
            ..ScoreImportOptions::default()
        };
        let err = import_scores_with(&store, &scores, &partial).unwrap_err().to_string();
        assert!(
            err.contains("row 3, column E (score): the score 99 is above the maximum"),
            "{err}"
        );
        assert_eq!(digest(&store), before, "scores");

        // The same files without their problems are stored: the digest can tell.
        let good = csv("e.csv", "id,name\nNEW1,甲\n");
        import_entries(&store, &good, false).unwrap();
        assert_ne!(digest(&store), before);
    }
}
