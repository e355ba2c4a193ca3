//! `b` on the room tab: change the rubric (`jury rubric diff` and `jury rubric apply`, the same
//! library calls, [`crate::app::rubric_change`]): the file is asked, its diff shown above the
//! question for the reason, and the change made once a reason is given (Esc: nothing changes).

use crate::core::rubric_change::RubricDiff;
use crate::error::Result;
use crate::i18n::cli_rubricapply::{diff_lines, texts};
use crate::tui::console::state::*;

/// The diff is shown up to this many lines (the rest: `jury rubric diff`), to fit 80x24.
const SUMMARY_LINES: usize = 10;

impl Console {
    /// Ask for the rubric file to change to.
    pub(crate) fn ask_rubric_file(&mut self) {
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask: Ask::RubricFile,
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }

    /// The diff of the file at `path` came: show it and ask for the reason (a refusal is shown
    /// in the file's prompt, to correct the path or give up).
    pub(crate) fn rubric_diffed(&mut self, path: String, result: Result<(Box<RubricDiff>, String)>) {
        let (diff, current) = match result {
            Ok(found) => found,
            Err(e) => return self.refused_in_prompt(&e),
        };
        let t = texts(self.lang);
        let mut summary = diff_lines(&diff, &path, &current, t);
        if summary.len() > SUMMARY_LINES {
            let more = summary.len() - (SUMMARY_LINES - 1);
            let last = summary.pop().unwrap_or_default();
            summary.truncate(SUMMARY_LINES - 2);
            summary.push((t.more_lines)(more));
            summary.push(last);
        }
        if let Some(refusal) = &diff.refusal {
            self.refused_in_prompt(&crate::Error::RubricChange(refusal.clone()));
            return;
        }
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask: Ask::RubricReason {
                path,
                changes: diff.changes.len(),
                summary,
            },
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }
}

#[cfg(test)]
mod tests {
    use crate::app::Store;
    use crate::tui::console::effect::{Effect, Outcome};
    use crate::tui::console::runner::ConsoleRunner;
    use crate::tui::runtime::Effects;

    #[test]
    fn the_runner_diffs_and_applies_a_rubric_file_through_the_library() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let file = dir.path().join("new.toml");
        let source = store
            .meta("rubric")
            .unwrap()
            .unwrap()
            .replacen("deviation = 15", "deviation = 10", 1);
        std::fs::write(&file, source).unwrap();
        let path = file.to_str().unwrap().to_string();
        let mut runner = ConsoleRunner::new(&store);
        match runner.run(Effect::RubricDiff { path: path.clone() }) {
            Outcome::RubricDiffed {
                result: Ok((diff, _)), ..
            } => {
                assert!(diff.changes.iter().any(|c| c.key == "deviation"), "{diff:?}");
            }
            _ => panic!("a diff"),
        }
        let apply = Effect::RubricApply {
            path,
            reason: "分差阈值".into(),
        };
        assert!(matches!(
            runner.run(apply),
            Outcome::RubricApplied { result: Ok(_), .. }
        ));
        assert_eq!(
            store.rubric().unwrap().deviation,
            Some(crate::core::Points::parse("10").unwrap())
        );
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(
            (last.actor.as_str(), last.action.as_str()),
            ("organiser", "rubric-apply")
        );
    }
}
