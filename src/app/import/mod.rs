//! Imports, each use case once: `crate::import` reads the file and checks its rows (returning
//! typed rows, or typed problems); here they are checked against the workspace (what is stored,
//! submitted sheets, `--replace-submitted`, `--partial`, conflicts) and written in one write
//! transaction with their audit rows. PINs are hashed here. A refused import leaves the workspace
//! exactly as it was.

mod entries;
mod judges;
mod scores;

pub use crate::import::entries::{CHECK_FIRST_BYTES, streams_under_lock};
pub use entries::{EntryImport, import_entries, import_entries_file};
pub use judges::{JudgeImport, JudgeImportOptions, import_judges, import_judges_file, import_judges_with};
pub use scores::{ScoreImport, ScoreImportOptions, import_scores, import_scores_file, import_scores_with};
