//! The built-in demo: a competition with 36 contestants, 9 judges and the scores of six of them,
//! loaded into a fresh workspace so a newcomer sees the real thing with one command.

use std::path::{Path, PathBuf};

use crate::app::import::{import_entries, import_judges, import_scores};
use crate::core::rubric::template_source;
use crate::error::Result;
use crate::import::read_table_bytes;
use crate::store::Store;

const CONTESTANTS: &str = include_str!("../../data/demo/contestants.csv");
const JUDGES: &str = include_str!("../../data/demo/judges.csv");
const SCORES: &str = include_str!("../../data/demo/scores.csv");

/// The judge the demo logs in as: the one who has not scored yet.
pub const DEMO_JUDGE: &str = "PW07";

/// Create the demo workspace in `dir` and return its path.
pub fn create_demo_workspace(dir: &Path) -> Result<PathBuf> {
    create_demo_workspace_with(dir, "")
}

/// The demo workspace with `rubric_head` (rubric keys) put before the template's rubric: for the
/// tests of keys the template leaves at their default (`discussion = "named"`).
pub fn create_demo_workspace_with(dir: &Path, rubric_head: &str) -> Result<PathBuf> {
    let path = dir.join("demo.jury");
    let store = Store::create(&path)?;
    let (file, source) = template_source("competition").unwrap_or(("", ""));
    let source = format!("{rubric_head}{source}");
    store.init(file, &source, Some("家庭教育与心理健康教育专业技能大赛（演示）"))?;
    import_entries(
        &store,
        &read_table_bytes("demo/contestants.csv", CONTESTANTS.as_bytes(), None)?,
        false,
    )?;
    import_judges(&store, &read_table_bytes("demo/judges.csv", JUDGES.as_bytes(), None)?)?;
    import_scores(&store, &read_table_bytes("demo/scores.csv", SCORES.as_bytes(), None)?)?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_loads_and_tallies() {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        assert_eq!(store.entry_count().unwrap(), 36);
        assert_eq!(store.judges().unwrap().len(), 9);
        let tally = crate::core::tally::tally(
            store.rubric().unwrap(),
            &store.tally_entries().unwrap(),
            &store.sheet_totals().unwrap(),
        );
        assert!(tally.groups.iter().all(|g| g.ranked().count() == 12));
        assert!(store.verify_pin(DEMO_JUDGE, "3649").unwrap());
    }
}
