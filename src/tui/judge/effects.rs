//! What the judges' screen asks of the workspace ([`Effect`]), what came of it ([`Outcome`]), and
//! the runner that does it through `crate::app` ([`JudgeEffects`]). The screen never reads or
//! writes the workspace itself: it returns effects carrying the ids of what the judge saw, and
//! shows "saved" only once [`Outcome::Saved`] comes back.

use std::time::Duration;

use crate::app::Store;
use crate::app::judging::{
    EntrySheets, JudgeError, JudgeSession, JudgeWrite, ListLoader, Loaded, OnStage, Opened, Poll, Refusal, Start,
    Writes, Written,
};
use crate::core::Points;

use super::state::App;
use crate::tui::runtime::Effects;

/// How long a judge's write waits for another process's write lock before the screen says it is
/// waiting (and retries on the tick, [`RETRY_WAIT`] each time).
const WRITE_WAIT: Duration = Duration::from_secs(1);
const RETRY_WAIT: Duration = Duration::from_millis(100);

/// Something the judges' screen needs done in the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Check the PIN and open the judge's session; then read their list.
    Login {
        judge: String,
        pin: String,
    },
    /// Store a draft value on the cell it was typed for.
    SaveScore {
        entry: String,
        round: String,
        criterion: String,
        value: Points,
    },
    /// Take back a draft value (the field was emptied).
    ClearScore {
        entry: String,
        round: String,
        criterion: String,
    },
    /// Submit the judge's sheet of one round (confirmed).
    Submit {
        entry: String,
        round: String,
    },
    /// May the judge still change their comment on this entry?
    CheckComment {
        entry: String,
    },
    SaveComment {
        entry: String,
        text: String,
    },
    /// Read the entry, the judge's sheets and comment, to open it.
    OpenEntry {
        entry: String,
    },
    /// Read the open entry's sheets and comment again (another process changed the workspace).
    RefreshEntry {
        entry: String,
    },
    /// The periodic look at the workspace: `version` is the data version last seen, `seen` the
    /// audit row the list was loaded at.
    Poll {
        version: Option<i64>,
        seen: i64,
    },
    /// The judge's sheets the organiser reopened after audit row `seen`.
    ReopenedSince {
        seen: i64,
    },
    /// Who is on stage (competitions).
    ReadStage,
    /// Is the whole list read yet (behind the first page, [`JudgeEffects::first_page_first`])?
    TakeList,
    /// A write that waited for another process's lock, tried again briefly on the tick.
    Retry(Box<Effect>),
}

/// What became of an [`Effect`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    LoggedIn(Box<Start>),
    /// The value is committed (`None`: the criterion was cleared; `changed` is false when there
    /// was nothing to clear).
    Saved {
        entry: String,
        round: String,
        criterion: String,
        value: Option<Points>,
        changed: bool,
    },
    Submitted {
        entry: String,
        round: String,
    },
    CommentEditable {
        entry: String,
        editable: bool,
    },
    CommentSaved {
        entry: String,
        text: String,
    },
    Opened(Box<Opened>),
    /// The open entry's sheets read again (`None` when they could not be read: keep what is shown).
    Refreshed {
        entry: String,
        sheets: Option<Box<EntrySheets>>,
    },
    Polled(Poll),
    /// (entry, round id, reason), oldest first.
    Reopened(Vec<(String, String, String)>),
    Stage(Option<Box<OnStage>>),
    /// The library refused the effect: nothing was stored.
    Refused(Refusal),
    /// The workspace failed underneath (the library's message).
    Failed(String),
    /// The server's writer refused (nothing stored): said in the screen's language.
    Unstored(crate::core::refusal::ServeRefusal),
    /// The workspace failed underneath (disk full, busy, read-only, gone ...): typed, said in the
    /// screen's language.
    Broken(crate::tui::failure::Failure),
    /// Logged in, with the first page of the list only: the rest is being read
    /// ([`Effect::TakeList`]).
    FirstPage(Box<Start>),
    /// The whole list, read behind the first page. Its `version` is of another connection.
    ListLoaded(Box<Start>),
    /// The whole list is not read yet.
    ListLoading,
}

impl From<JudgeError> for Outcome {
    fn from(e: JudgeError) -> Self {
        match e {
            JudgeError::Refused(r) => Outcome::Refused(r),
            JudgeError::Store(crate::Error::Serve(r)) => Outcome::Unstored(r),
            JudgeError::Store(e) => Outcome::Broken(e.into()),
        }
    }
}

/// Runs the judges' screen's effects on one workspace, through the judge's [`JudgeSession`]
/// (opened by [`Effect::Login`], or trusted for the demo).
pub struct JudgeEffects<'a> {
    store: &'a Store,
    session: Option<JudgeSession<'a>>,
    /// The client's address over `jury serve`, given to the session at login.
    address: Option<String>,
    /// Where the writes go: this connection, or the server's one writer.
    writes: Writes,
    /// Show the first page of this many rows first and read the rest behind it, on lists of
    /// about this many entries and more.
    first_page: Option<(usize, i64)>,
    loader: Option<ListLoader>,
}

impl<'a> JudgeEffects<'a> {
    pub fn new(store: &'a Store) -> JudgeEffects<'a> {
        JudgeEffects {
            store,
            session: None,
            address: None,
            writes: Writes::Local,
            first_page: None,
            loader: None,
        }
    }

    /// After the login, the screen starts with the first `rows` rows of the judge's list and the
    /// rest is read on another thread ([`JudgeSession::first_page`], [`JudgeSession::load_behind`])
    /// where the first page can be told apart, on lists of about `from` entries and more;
    /// otherwise the whole list is read at once. The local `jury` only: under `jury serve` the
    /// list is shared and read once for every session.
    pub fn first_page_first(mut self, rows: usize, from: i64) -> JudgeEffects<'a> {
        self.first_page = Some((rows, from));
        self
    }

    /// The writes of this screen go through `writes` (the server's writer under `jury serve`).
    pub fn with_writes(mut self, writes: Writes) -> JudgeEffects<'a> {
        self.writes = writes;
        self
    }

    /// The sessions opened here are from the client at `address` (ip:port): the audit rows name it.
    pub fn from_address(mut self, address: Option<String>) -> JudgeEffects<'a> {
        self.address = address;
        self
    }

    /// Opens the session of `judge` WITHOUT a PIN (the built-in demo only) and starts it.
    pub fn trusted(&mut self, judge: &str) -> crate::Result<Start> {
        let session = JudgeSession::trusted(self.store, judge)?;
        self.begin(session).map_err(crate::Error::from)
    }

    /// [`JudgeEffects::trusted`], with the first page first where asked
    /// ([`JudgeEffects::first_page_first`]): [`Outcome::FirstPage`] or [`Outcome::LoggedIn`].
    pub fn trusted_paged(&mut self, judge: &str) -> crate::Result<Outcome> {
        let session = JudgeSession::trusted(self.store, judge)?;
        self.begin_paged(session).map_err(crate::Error::from)
    }

    fn begin(&mut self, session: JudgeSession<'a>) -> Result<Start, JudgeError> {
        let session = session.from_address(self.address.clone());
        // A write held up longer by another process is kept on screen and retried, never frozen on.
        session.set_write_wait(WRITE_WAIT);
        let start = session.start()?;
        self.session = Some(session);
        Ok(start)
    }

    fn begin_paged(&mut self, session: JudgeSession<'a>) -> Result<Outcome, JudgeError> {
        let Some((rows, from)) = self.first_page else {
            return Ok(Outcome::LoggedIn(Box::new(self.begin(session)?)));
        };
        let session = session.from_address(self.address.clone());
        session.set_write_wait(WRITE_WAIT);
        // The page first, then the thread: a list that cannot start with its page is read once.
        let outcome = match session.first_page(rows, from)? {
            Some(page) => match session.load_behind() {
                Some(loader) => {
                    self.loader = Some(loader);
                    Outcome::FirstPage(Box::new(page))
                }
                None => Outcome::LoggedIn(Box::new(session.start()?)),
            },
            None => Outcome::LoggedIn(Box::new(session.start()?)),
        };
        self.session = Some(session);
        Ok(outcome)
    }

    /// Store `write` through [`JudgeEffects::with_writes`]' way; the outcome comes only once it
    /// is committed (or refused).
    fn write(&self, write: JudgeWrite) -> Outcome {
        let writes = &self.writes;
        self.with_session(|s| {
            let outcome = match (write.clone(), s.apply(writes, write)?) {
                (
                    JudgeWrite::SaveScore {
                        entry,
                        round,
                        criterion,
                        ..
                    },
                    Written::Score(value),
                ) => Outcome::Saved {
                    entry,
                    round,
                    criterion,
                    value: Some(value),
                    changed: true,
                },
                (
                    JudgeWrite::ClearScore {
                        entry,
                        round,
                        criterion,
                    },
                    Written::Cleared(changed),
                ) => Outcome::Saved {
                    entry,
                    round,
                    criterion,
                    value: None,
                    changed,
                },
                (JudgeWrite::Submit { entry, round }, Written::Submitted) => Outcome::Submitted { entry, round },
                (JudgeWrite::SetComment { entry, text }, Written::Comment) => Outcome::CommentSaved {
                    entry,
                    text: text.trim().to_string(),
                },
                (write, written) => Outcome::Failed(format!("{write:?} answered with {written:?}")),
            };
            Ok(outcome)
        })
    }

    fn with_session(&self, f: impl FnOnce(&JudgeSession<'a>) -> Result<Outcome, JudgeError>) -> Outcome {
        match &self.session {
            Some(session) => f(session).unwrap_or_else(Outcome::from),
            // Nothing but the login is asked before a judge is in.
            None => Outcome::Failed("no judge is logged in".to_string()),
        }
    }
}

impl Effects<App> for JudgeEffects<'_> {
    fn run(&mut self, effect: Effect) -> Outcome {
        match effect {
            Effect::Login { judge, pin } => match JudgeSession::login(self.store, &judge, &pin) {
                Ok(session) => match self.begin_paged(session) {
                    Ok(outcome) => outcome,
                    Err(e) => Outcome::Broken(crate::Error::from(e).into()),
                },
                Err(e) => e.into(),
            },
            Effect::Retry(effect) => {
                // A short look at the lock on each tick, so keys are still read while waiting.
                if let Some(s) = &self.session {
                    s.set_write_wait(RETRY_WAIT);
                }
                let outcome = self.run(*effect);
                if let Some(s) = &self.session {
                    s.set_write_wait(WRITE_WAIT);
                }
                outcome
            }
            Effect::SaveScore {
                entry,
                round,
                criterion,
                value,
            } => self.write(JudgeWrite::SaveScore {
                entry,
                round,
                criterion,
                value,
            }),
            Effect::ClearScore {
                entry,
                round,
                criterion,
            } => self.write(JudgeWrite::ClearScore {
                entry,
                round,
                criterion,
            }),
            Effect::Submit { entry, round } => self.write(JudgeWrite::Submit { entry, round }),
            Effect::CheckComment { entry } => self.with_session(|s| {
                let editable = s.comment_editable(&entry)?;
                Ok(Outcome::CommentEditable { entry, editable })
            }),
            Effect::SaveComment { entry, text } => self.write(JudgeWrite::SetComment { entry, text }),
            Effect::OpenEntry { entry } => self.with_session(|s| Ok(Outcome::Opened(Box::new(s.open_sheets(&entry)?)))),
            Effect::RefreshEntry { entry } => self.with_session(|s| {
                let sheets = s.sheets_of(&entry).ok().map(Box::new);
                Ok(Outcome::Refreshed { entry, sheets })
            }),
            Effect::Poll { version, seen } => self.with_session(|s| Ok(Outcome::Polled(s.poll(version, seen)?))),
            Effect::ReopenedSince { seen } => self.with_session(|s| Ok(Outcome::Reopened(s.reopened_since(seen)?))),
            Effect::ReadStage => self.with_session(|s| Ok(Outcome::Stage(s.on_stage()?.map(Box::new)))),
            Effect::TakeList => match self.loader.as_ref().map(ListLoader::take) {
                Some(Loaded::Not) => Outcome::ListLoading,
                Some(Loaded::Done(result)) => {
                    self.loader = None;
                    match result {
                        Ok(start) => Outcome::ListLoaded(Box::new(start)),
                        Err(e) => Outcome::from(e),
                    }
                }
                Some(Loaded::Lost) | None => {
                    self.loader = None;
                    Outcome::Failed("the list could not be read".to_string())
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
    use crate::app::writer::Writer;

    #[test]
    fn under_the_server_the_screens_writes_go_through_the_writer_and_saved_comes_from_its_reply() {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let writer = Writer::start(&path).unwrap();
        let mut runner = JudgeEffects::new(&store).with_writes(Writes::Writer(writer.handle()));
        runner.trusted(DEMO_JUDGE).unwrap();
        let rubric = store.rubric().unwrap().clone();
        let (round, criterion) = (rubric.rounds[0].id.clone(), rubric.rounds[0].criteria[0].id.clone());
        let save = Effect::SaveScore {
            entry: "JS001".into(),
            round: round.clone(),
            criterion: criterion.clone(),
            value: Points::from_int(5),
        };
        assert_eq!(
            runner.run(save),
            Outcome::Saved {
                entry: "JS001".into(),
                round: round.clone(),
                criterion: criterion.clone(),
                value: Some(Points::from_int(5)),
                changed: true,
            }
        );
        // Stored by the writer (it counted the request), read on the screen's own connection.
        assert_eq!(writer.handle().stats().requests, 1);
        assert_eq!(
            store.score(DEMO_JUDGE, "JS001", &round, &criterion).unwrap(),
            Some(Points::from_int(5))
        );
        // A refusal is the writer's answer too: nothing is shown as saved.
        let submit = Effect::Submit {
            entry: "JS001".into(),
            round: round.clone(),
        };
        assert!(
            matches!(runner.run(submit), Outcome::Refused(Refusal::EmptyCriteria(_))),
            "not every criterion has a value"
        );
        let comment = Effect::SaveComment {
            entry: "JS001".into(),
            text: " 好 ".into(),
        };
        assert_eq!(
            runner.run(comment),
            Outcome::CommentSaved {
                entry: "JS001".into(),
                text: "好".into()
            }
        );
        let clear = Effect::ClearScore {
            entry: "JS001".into(),
            round: round.clone(),
            criterion: criterion.clone(),
        };
        assert!(matches!(
            runner.run(clear),
            Outcome::Saved {
                value: None,
                changed: true,
                ..
            }
        ));
        assert_eq!(writer.handle().stats().requests, 4);
        assert_eq!(store.score(DEMO_JUDGE, "JS001", &round, &criterion).unwrap(), None);
        assert_eq!(store.comment(DEMO_JUDGE, "JS001").unwrap().as_deref(), Some("好"));
    }

    #[test]
    fn a_refusal_of_the_servers_writer_stays_typed_for_the_screen_to_translate() {
        use crate::core::refusal::ServeRefusal;
        let gone = JudgeError::Store(ServeRefusal::WriterGone.into());
        assert_eq!(Outcome::from(gone), Outcome::Unstored(ServeRefusal::WriterGone));
        let other = JudgeError::Store(crate::Error::refused("x"));
        assert_eq!(Outcome::from(other), Outcome::Broken(crate::Error::refused("x").into()));
        let zh = (crate::i18n::cli_refusals::texts(crate::i18n::Lang::Zh).serve)(&ServeRefusal::WriterTimeout);
        assert_eq!(
            zh,
            "服务器的写入线程 60 秒内没有回答：这个值可能没有保存；请重新查看评分表"
        );
    }
}
