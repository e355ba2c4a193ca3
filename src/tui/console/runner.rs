//! Runs the console's effects through `crate::app` (and, until `app::export` holds them, the
//! export writers) and says what became of each: the console's [`Effects`] runner.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::progress::{Findings, RoomData};
use crate::app::sessions::Sessions;
use crate::app::writer::WriterHandle;
use crate::app::{Actor, Store};
use crate::app::{login, organiser, progress, stage};
use crate::core::Kind;
use crate::error::Result;
use crate::tui::runtime::Effects;

use super::effect::{Change, Effect, Loaded, Outcome, StageMove};
use super::state::{Console, ExportKind};

/// The console's effects on one workspace, as the organiser.
pub struct ConsoleRunner<'a> {
    store: &'a Store,
    /// The formal check's findings from the last read, kept while the entries do not change.
    findings: Option<Findings>,
    /// Who the audit rows name: the organiser, from the client's address over `jury serve`.
    actor: Actor,
    /// The server's live sessions, when the console is served (`None`: a local terminal).
    sessions: Option<Arc<dyn Sessions>>,
    /// The server's one writer, when the console is served: every write goes through it.
    writer: Option<WriterHandle>,
}

impl<'a> ConsoleRunner<'a> {
    pub fn new(store: &'a Store) -> ConsoleRunner<'a> {
        ConsoleRunner {
            store,
            findings: None,
            actor: Actor::Organiser,
            sessions: None,
            writer: None,
        }
    }

    /// The same runner, writing through `writer` (the server's) instead of its own connection.
    pub fn with_writer(mut self, writer: Option<WriterHandle>) -> ConsoleRunner<'a> {
        self.writer = writer;
        self
    }

    /// Run a use case that writes: alone on the server's writer when served, else here.
    fn write<R: Send + 'static>(&self, job: impl FnOnce(&Store) -> Result<R> + Send + 'static) -> Result<R> {
        match &self.writer {
            Some(writer) => writer.exclusive(job).and_then(|r| r),
            None => job(self.store),
        }
    }

    /// The console of the client at `address` (ip:port): every audit row it writes names it.
    pub fn from_address(mut self, address: Option<&str>) -> ConsoleRunner<'a> {
        self.actor = Actor::Organiser.from_address(address);
        self
    }

    /// The same runner, listing and ending `sessions` (the server's).
    pub fn with_sessions(mut self, sessions: Option<Arc<dyn Sessions>>) -> ConsoleRunner<'a> {
        self.sessions = sessions;
        self
    }

    fn reload(&mut self, with_audit: bool, group: usize) -> Result<Box<Loaded>> {
        let version = self.store.data_version()?;
        let data = RoomData::load_keeping(self.store, with_audit, self.findings.as_ref())?;
        self.findings = Some(data.findings.clone());
        let (stage, submissions, stage_order) = if data.rubric.kind == Kind::Competition {
            let group = data
                .rubric
                .groups
                .get(group.min(data.rubric.groups.len().saturating_sub(1)));
            let order = match group {
                Some(g) => stage::running_order(self.store, g)?,
                None => Vec::new(),
            };
            (stage::current(self.store)?, stage::submissions(self.store)?, order)
        } else {
            (None, Vec::new(), Vec::new())
        };
        Ok(Box::new(Loaded {
            data,
            version,
            stage,
            submissions,
            stage_order,
        }))
    }
}

impl Effects<Console> for ConsoleRunner<'_> {
    fn run(&mut self, effect: Effect) -> Outcome {
        let store = self.store;
        let actor = &self.actor.clone();
        match effect {
            Effect::Login { passphrase } => {
                Outcome::Login(self.write(move |store| organiser::check_organiser(store, &passphrase)))
            }
            Effect::Reload { with_audit, group } => Outcome::Loaded(self.reload(with_audit, group)),
            Effect::Poll => Outcome::Polled(store.data_version()),
            Effect::RemoveJudge { judge, reason } => Outcome::Changed {
                result: {
                    let (actor, judge) = (actor.clone(), judge.clone());
                    self.write(move |store| {
                        crate::app::corrections::remove_judge(store, &actor, &judge, false, &reason).map(|_| ())
                    })
                },
                change: Change::JudgeRemoved { judge },
            },
            Effect::Withdraw { entry, reason } => Outcome::Changed {
                result: {
                    let (actor, entry) = (actor.clone(), entry.clone());
                    self.write(move |store| {
                        crate::app::corrections::withdraw_entry(
                            store,
                            &actor,
                            &entry,
                            crate::core::withdrawal::WithdrawalKind::Withdrawn,
                            &reason,
                        )
                    })
                },
                change: Change::Withdrawn { entry },
            },
            Effect::RubricDiff { path } => Outcome::RubricDiffed {
                result: crate::app::rubric_change::read_rubric_file(Path::new(&path)).and_then(|file| {
                    let diff = crate::app::rubric_change::diff(self.store, &file, &[])?;
                    let current = self.store.meta("rubric_file")?.unwrap_or_default();
                    Ok((Box::new(diff), current))
                }),
                path,
            },
            Effect::RubricApply { path, reason } => Outcome::RubricApplied {
                result: crate::app::rubric_change::read_rubric_file(Path::new(&path)).and_then(|file| {
                    let actor = actor.clone();
                    self.write(move |store| crate::app::rubric_change::apply(store, &actor, &file, &reason, &[]))
                        .map(Box::new)
                }),
                path,
            },
            Effect::Discuss { entry, open } => Outcome::Changed {
                result: {
                    let (actor, ids) = (actor.clone(), vec![entry.clone()]);
                    self.write(move |store| {
                        if open {
                            crate::app::discussion::open(store, &actor, &ids).map(|_| ())
                        } else {
                            crate::app::discussion::close(store, &actor, &ids).map(|_| ())
                        }
                    })
                },
                change: if open {
                    Change::DiscussionOpened { entry }
                } else {
                    Change::DiscussionClosed { entry }
                },
            },
            Effect::Phases => Outcome::Phases(crate::app::phases::overview(store)),
            Effect::StartPhase { name, take } => Outcome::Changed {
                result: {
                    let (actor, name) = (actor.clone(), name.clone());
                    self.write(move |store| crate::app::phases::start(store, &actor, &name, &take, None).map(|_| ()))
                },
                change: Change::PhaseStarted { name },
            },
            Effect::ReplaceJudge { old, new, reason } => Outcome::Changed {
                result: {
                    let (actor, o, n) = (actor.clone(), old.clone(), new.clone());
                    self.write(move |store| {
                        crate::app::corrections::replace_judge(store, &actor, &o, &n, &reason).map(|_| ())
                    })
                },
                change: Change::JudgeReplaced { old, new },
            },
            Effect::RemoveScore {
                judge,
                entry,
                round,
                reason,
            } => Outcome::Changed {
                result: {
                    let (actor, j, e, r) = (actor.clone(), judge.clone(), entry.clone(), round.clone());
                    self.write(move |store| {
                        crate::app::corrections::remove_score(store, &actor, &j, &e, &r, None, &reason).map(|_| ())
                    })
                },
                change: Change::ScoreRemoved { judge, entry, round },
            },
            Effect::DropPhase { reason } => {
                let result = {
                    let actor = actor.clone();
                    self.write(move |store| crate::app::phases::drop_newest(store, &actor, &reason))
                };
                match result {
                    Ok((phase, back_to)) => Outcome::Changed {
                        change: Change::PhaseDropped { phase, back_to },
                        result: Ok(()),
                    },
                    Err(e) => Outcome::Changed {
                        change: Change::PhaseDropped {
                            phase: String::new(),
                            back_to: String::new(),
                        },
                        result: Err(e),
                    },
                }
            }
            Effect::Restore { entry, reason } => Outcome::Changed {
                result: {
                    let (actor, entry) = (actor.clone(), entry.clone());
                    self.write(move |store| {
                        crate::app::corrections::restore_entry(store, &actor, &entry, &reason).map(|_| ())
                    })
                },
                change: Change::Restored { entry },
            },
            Effect::Reopen {
                judge,
                entry,
                round,
                reason,
            } => Outcome::Changed {
                result: {
                    let (actor, judge, entry) = (actor.clone(), judge.clone(), entry.clone());
                    self.write(move |store| organiser::reopen(store, &actor, &judge, &entry, &round, &reason))
                },
                change: Change::Reopened { judge, entry },
            },
            Effect::Lock { group, round, reason } => Outcome::Changed {
                result: {
                    let (actor, g, r) = (actor.clone(), group.clone(), round.clone());
                    self.write(move |store| organiser::lock(store, &actor, g.as_deref(), r.as_deref(), &reason))
                },
                change: Change::Locked { group, round },
            },
            Effect::Unlock { group, round, reason } => Outcome::Changed {
                result: {
                    let (actor, g, r) = (actor.clone(), group.clone(), round.clone());
                    self.write(move |store| organiser::unlock(store, &actor, g.as_deref(), r.as_deref(), &reason))
                },
                change: Change::Unlocked { group, round },
            },
            Effect::ToggleAssignment { judge, entry } => Outcome::Toggled {
                result: {
                    let (actor, j, e) = (actor.clone(), judge.clone(), entry.clone());
                    self.write(move |store| organiser::toggle_assignment(store, &actor, &j, &e))
                },
                judge,
                entry,
            },
            Effect::Shortlist {
                entry,
                status,
                batch,
                by_batch,
            } => Outcome::Changed {
                result: {
                    let (actor, e) = (actor.clone(), entry.clone());
                    self.write(move |store| {
                        organiser::shortlist_set(store, &actor, std::slice::from_ref(&e), status, batch)
                    })
                },
                change: if by_batch {
                    Change::Batch { entry, batch }
                } else {
                    Change::Status { entry, status }
                },
            },
            Effect::Propose {
                targets,
                status,
                batch,
                include_flagged,
            } => Outcome::Proposed {
                status,
                result: {
                    let actor = actor.clone();
                    self.write(move |store| {
                        progress::save_targets(store, &targets).and_then(|()| {
                            organiser::shortlist_propose(store, &actor, &targets, status, batch, include_flagged)
                        })
                    })
                },
            },
            Effect::Stage(m) => Outcome::Staged({
                let actor = actor.clone();
                self.write(move |store| match m {
                    StageMove::Set { entry, round } => stage::set(store, &actor, &entry, &round),
                    StageMove::Advance(step) => stage::advance(store, &actor, step),
                    StageMove::Reveal(show) => stage::reveal(store, &actor, show),
                    StageMove::RevealProvisional => stage::reveal_provisional(store, &actor),
                })
            }),
            Effect::ExportName { kind } => Outcome::ExportName {
                kind,
                result: default_export_name(store, kind),
            },
            Effect::Export { kind, name, suggested } => Outcome::Exported {
                kind,
                result: run_export(store, kind, &name, suggested),
            },
            Effect::ListSessions => Outcome::Sessions(self.sessions.as_ref().map(|s| s.list())),
            Effect::EndSession { id } => Outcome::SessionEnded {
                id,
                ended: self.sessions.as_ref().is_some_and(|s| s.end(id)),
            },
            Effect::LiftPause { judge } => Outcome::PauseLifted {
                result: {
                    let (actor, j) = (actor.clone(), judge.clone());
                    self.write(move |store| login::lift_pause(store, &actor, &j))
                },
                judge,
            },
            Effect::ListImports => Outcome::Imports(crate::app::import::list_imports(store)),
            Effect::UndoImport { number, reason } => Outcome::Changed {
                result: {
                    let actor = actor.clone();
                    self.write(move |store| crate::app::import::undo_import(store, &actor, number, &reason).map(|_| ()))
                },
                change: Change::ImportUndone { number },
            },
        }
    }
}

// ---- exports: the one place the console writes files ----

use crate::app::export::{
    ResultsFormat, SheetsFormat, backup, blank_file_name, current_fingerprint, default_file_name, export_blank_sheets,
    export_results, export_sheets,
};

/// The file name the command line would choose (export/output.rs), in the current folder.
pub fn default_export_name(store: &Store, kind: ExportKind) -> Result<String> {
    let contest = store.rubric()?.name.clone();
    let now = chrono::Local::now();
    let date = now.format("%Y-%m-%d").to_string();
    Ok(match kind {
        ExportKind::ResultsCsv => {
            let fingerprint = current_fingerprint(store)?;
            default_file_name("results", &contest, &format!("{date}-{fingerprint}"), "csv")
        }
        ExportKind::ResultsHtml => default_file_name("results", &contest, &date, "html"),
        ExportKind::ResultsXlsx => default_file_name("results", &contest, &date, "xlsx"),
        ExportKind::ResultsMd => default_file_name("results", &contest, &date, "md"),
        ExportKind::SheetsHtml => default_file_name("sheets", &contest, &date, "html"),
        ExportKind::SheetsXlsx => default_file_name("sheets", &contest, &date, "xlsx"),
        ExportKind::Backup => default_file_name("backup", &contest, &now.format("%Y-%m-%d-%H%M%S").to_string(), "jury"),
        ExportKind::BlankSheetsHtml => blank_file_name(&contest, None, &date, "html"),
        ExportKind::BlankSheetsXlsx => blank_file_name(&contest, None, &date, "xlsx"),
        ExportKind::ResultsDocx => default_file_name("results", &contest, &date, "docx"),
        ExportKind::ResultsPublic => default_file_name("results-public", &contest, &date, "html"),
        ExportKind::Certificates => default_file_name("certificates", &contest, &date, "html"),
        ExportKind::SelectedHtml => default_file_name("selected", &contest, &date, "html"),
        ExportKind::SelectedDocx => default_file_name("selected", &contest, &date, "docx"),
    })
}

/// Write the file as `jury export` does; its absolute path and fingerprint. A name left as
/// suggested lets the library choose it again (the CSV name carries the fingerprint, which may
/// have moved meanwhile).
fn run_export(store: &Store, kind: ExportKind, name: &str, suggested: bool) -> Result<(String, String)> {
    let out = (!suggested).then(|| PathBuf::from(name));
    let written = match kind {
        ExportKind::Backup => {
            let path = PathBuf::from(name);
            let fingerprint = backup(store, &path)?;
            return Ok((absolute(&path), fingerprint.to_string()));
        }
        ExportKind::SheetsHtml | ExportKind::SheetsXlsx => {
            let format = if kind == ExportKind::SheetsHtml {
                SheetsFormat::Html
            } else {
                SheetsFormat::Xlsx
            };
            export_sheets(store, format, None, None, out.as_deref(), false)?
        }
        ExportKind::BlankSheetsHtml | ExportKind::BlankSheetsXlsx => {
            let format = if kind == ExportKind::BlankSheetsHtml {
                SheetsFormat::Html
            } else {
                SheetsFormat::Xlsx
            };
            export_blank_sheets(store, format, None, None, out.as_deref(), false)?
        }
        // The public copy's name differs from the panel's copy's (the library's default is the
        // same for both): always the name asked.
        ExportKind::ResultsPublic => {
            crate::app::export::export_results_as(store, ResultsFormat::Html, None, Some(Path::new(name)), false, true)?
        }
        ExportKind::Certificates => {
            let written = crate::app::export::export_certificates(store, None, out.as_deref(), false)?;
            return Ok((absolute(&written.path), written.fingerprint.to_string()));
        }
        ExportKind::SelectedHtml | ExportKind::SelectedDocx => {
            let format = if kind == ExportKind::SelectedHtml {
                crate::app::export::SelectedFormat::Html
            } else {
                crate::app::export::SelectedFormat::Docx
            };
            crate::app::export::export_selected(store, format, out.as_deref(), false, false)?
        }
        _ => {
            let format = match kind {
                ExportKind::ResultsXlsx => ResultsFormat::Xlsx,
                ExportKind::ResultsCsv => ResultsFormat::Csv,
                ExportKind::ResultsMd => ResultsFormat::Md,
                ExportKind::ResultsDocx => ResultsFormat::Docx,
                _ => ResultsFormat::Html,
            };
            export_results(store, format, None, out.as_deref(), false)?
        }
    };
    Ok((absolute(&written.path), written.fingerprint.to_string()))
}

/// The path as the organiser can find it again: absolute, from the current folder.
fn absolute(path: &Path) -> String {
    if path.is_absolute() {
        return path.display().to_string();
    }
    match std::env::current_dir() {
        Ok(dir) => dir.join(path).display().to_string(),
        Err(_) => path.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_console_of_a_client_names_its_address_in_the_audit_rows() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let mut runner = ConsoleRunner::new(&store).from_address(Some("192.168.1.7:51234"));
        let effect = Effect::Lock {
            group: None,
            round: None,
            reason: "已公示".into(),
        };
        assert!(matches!(runner.run(effect), Outcome::Changed { result: Ok(_), .. }));
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.actor.as_str()),
            ("lock", "organiser@192.168.1.7:51234")
        );
        assert!(matches!(
            store.audit_verify().unwrap(),
            crate::app::ChainCheck::Intact { .. }
        ));
        // On this computer: the organiser, as before.
        let mut local = ConsoleRunner::new(&store);
        let effect = Effect::Unlock {
            group: None,
            round: None,
            reason: "更正".into(),
        };
        assert!(matches!(local.run(effect), Outcome::Changed { result: Ok(_), .. }));
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(last.actor, "organiser");
    }

    #[test]
    fn a_served_console_writes_through_the_servers_writer() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let writer = crate::app::writer::Writer::start(&path).unwrap();
        let mut runner = ConsoleRunner::new(&store)
            .from_address(Some("192.168.1.7:51234"))
            .with_writer(Some(writer.handle()));
        let effect = Effect::Lock {
            group: None,
            round: None,
            reason: "已公示".into(),
        };
        assert!(matches!(runner.run(effect), Outcome::Changed { result: Ok(_), .. }));
        // Carried out by the writer, alone.
        assert_eq!(writer.handle().stats().requests, 1);
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(
            (last.action.as_str(), last.actor.as_str()),
            ("lock", "organiser@192.168.1.7:51234")
        );
        // A refusal comes back as the use case's own.
        let effect = Effect::Reopen {
            judge: "PW99".into(),
            entry: "JS001".into(),
            round: "lesson".into(),
            reason: "更正".into(),
        };
        let outcome = runner.run(effect);
        assert!(matches!(outcome, Outcome::Changed { result: Err(_), .. }));
        assert_eq!(writer.handle().stats().requests, 2);
    }

    #[test]
    fn the_corrections_run_the_librarys_use_cases_and_are_audited_as_the_organiser() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let mut runner = ConsoleRunner::new(&store);
        let withdraw = Effect::Withdraw {
            entry: "JS001".into(),
            reason: "选手弃权".into(),
        };
        assert!(matches!(runner.run(withdraw), Outcome::Changed { result: Ok(_), .. }));
        assert_eq!(store.withdrawals().unwrap()[0].reason, "选手弃权");
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(
            (last.actor.as_str(), last.action.as_str()),
            ("organiser", "entry-withdraw")
        );
        let again = Effect::Withdraw {
            entry: "JS001".into(),
            reason: "x".into(),
        };
        assert!(matches!(runner.run(again), Outcome::Changed { result: Err(_), .. }));
        let restore = Effect::Restore {
            entry: "JS001".into(),
            reason: "误操作".into(),
        };
        assert!(matches!(runner.run(restore), Outcome::Changed { result: Ok(_), .. }));
        assert!(store.withdrawals().unwrap().is_empty());
        let remove = Effect::RemoveJudge {
            judge: "PW07".into(),
            reason: "评委因病缺席".into(),
        };
        assert!(matches!(runner.run(remove), Outcome::Changed { result: Ok(_), .. }));
        assert_eq!(store.judge_removed("PW07").unwrap().as_deref(), Some("评委因病缺席"));
    }

    #[test]
    fn replacing_a_judge_and_removing_a_sheets_scores_run_the_librarys_use_cases() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let mut runner = ConsoleRunner::new(&store);
        // A sheet of the demo with scores: remove them.
        let (judge, entry, round) = {
            let scores = store.all_scores().unwrap();
            let s = scores.first().unwrap();
            (s.judge.clone(), s.entry.clone(), s.round.clone())
        };
        let remove = Effect::RemoveScore {
            judge: judge.clone(),
            entry: entry.clone(),
            round: round.clone(),
            reason: "录入错误".into(),
        };
        assert!(matches!(runner.run(remove), Outcome::Changed { result: Ok(_), .. }));
        let left = store.all_scores().unwrap();
        assert!(
            !left
                .iter()
                .any(|s| s.judge == judge && s.entry == entry && s.round == round)
        );
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(
            (last.actor.as_str(), last.action.as_str()),
            ("organiser", "score-remove")
        );
        // Without a reason the library refuses, and nothing changes.
        let again = Effect::RemoveScore {
            judge: judge.clone(),
            entry: entry.clone(),
            round: round.clone(),
            reason: String::new(),
        };
        assert!(matches!(runner.run(again), Outcome::Changed { result: Err(_), .. }));
        // A removed judge's open work (a seat on a panel) goes to another.
        crate::app::organiser::assign_panel_checked(&store, &Actor::Cli, "教师组", &["PW07".to_string()], true)
            .unwrap();
        let removed = Effect::RemoveJudge {
            judge: "PW07".into(),
            reason: "评委因病缺席".into(),
        };
        assert!(matches!(runner.run(removed), Outcome::Changed { result: Ok(_), .. }));
        let replace = Effect::ReplaceJudge {
            old: "PW07".into(),
            new: "PW08".into(),
            reason: "替补".into(),
        };
        let outcome = runner.run(replace);
        assert!(matches!(outcome, Outcome::Changed { result: Ok(_), .. }));
        let panels = store.eligibility().unwrap().panels;
        assert!(panels["教师组"].contains("PW08") && !panels["教师组"].contains("PW07"));
        let last = store.audit_log(None, None).unwrap().pop().unwrap();
        assert_eq!(last.actor.as_str(), "organiser");
        assert!(last.action.contains("replace"), "{}", last.action);
    }
}
