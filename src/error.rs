//! One error type for the library. Every variant's message says what is wrong and, where there is
//! one, what to do.

use std::path::PathBuf;

use crate::core::problems::ImportErrors;
use crate::core::rubric::RubricError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Rubric(#[from] RubricError),
    #[error("{0}")]
    Import(#[from] ImportErrors),
    #[error("the workspace {} has no contest yet: run `jury init --template cases|competition` first", .0.display())]
    NotInitialised(PathBuf),
    #[error("the workspace {} already holds the contest \"{}\"; use another --db file for a new contest", .0.display(), .1)]
    AlreadyInitialised(PathBuf, String),
    /// A message already in the reader's language (the command line's own catalogues made it).
    #[error("{0}")]
    Refused(String),
    /// `jury stage reveal` while judges who may score the contestant on stage have not submitted.
    #[error(
        "{} of {total} judges have not submitted {entry} / {round} yet ({}); the result stays hidden until every \
         judge is in. To show it anyway, labelled provisional (暂定), use `jury stage reveal --provisional`",
        missing.len(),
        missing.join(", ")
    )]
    NotAllIn {
        entry: String,
        round: String,
        /// The judges still to submit, in the judges' order.
        missing: Vec<String>,
        /// How many judges may score it.
        total: usize,
    },
    #[error("{path}: {message}")]
    Damaged { path: PathBuf, message: Damage },
    /// SQLITE_FULL: the transaction was rolled back, the workspace is as it was before.
    #[error(
        "the disk is full: {} could not grow ({message}); nothing was stored. Free some space on that disk and \
         try again; everything stored before is intact",
        path.display()
    )]
    DiskFull { path: PathBuf, message: String },
    #[error("database: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// SQLITE_BUSY after waiting: another process holds the write lock.
    #[error(
        "another jury process is writing to {} and has kept it for over {waited_secs} s: an import, or a jury \
         process that was stopped (Ctrl+Z, SIGSTOP) in the middle of a write. Nothing was stored. Let it finish, \
         or bring it back (`fg`, `kill -CONT PID`) or end it, then try again",
        path.display()
    )]
    Busy { path: PathBuf, waited_secs: u64 },
    /// The workspace file was deleted or replaced while this session had it open.
    #[error(
        "the workspace {} was deleted or replaced by another file while it was open; nothing more is stored \
         through this session. Open the workspace again (if it was deleted, restore the latest backup)",
        path.display()
    )]
    WorkspaceGone { path: PathBuf },
    /// SQLITE_READONLY or a permission error on the workspace file itself.
    #[error(
        "the workspace {} is read-only for you, so nothing can be stored: make it writable (`chmod u+w`, or ask \
         whoever owns it), or open a copy",
        path.display()
    )]
    ReadOnlyFile { path: PathBuf },
    /// The folder must take SQLite's -wal and -shm files next to the workspace.
    #[error(
        "the folder {} is not writable for you: SQLite keeps the workspace's -wal and -shm files next to it, so \
         nothing can be stored. The workspace {} itself is not damaged: give your account write access to the \
         folder, or move the workspace to a folder you can write to",
        folder.display(),
        file.display()
    )]
    FolderNotWritable { folder: PathBuf, file: PathBuf },
    /// The organiser's operation was refused (typed, so the screens can translate it).
    #[error("{0}")]
    Organiser(#[from] crate::core::organiser::OrganiserRefusal),
    /// Blank score sheets cannot be made as asked (typed, so the messages can be translated).
    #[error("{0}")]
    Paper(#[from] crate::core::paper_form::PaperRefusal),
    /// `jury import undo` was refused (typed, so the screens can translate it).
    #[error("{0}")]
    ImportUndo(#[from] crate::core::import_log::UndoRefusal),
    /// A rubric change refused (`jury rubric apply`; typed, so the screens can translate it).
    #[error("{0}")]
    RubricChange(#[from] crate::core::rubric_change::RubricRefusal),
    /// `jury discuss` was refused (typed, so the screens and the command line translate it).
    #[error("{0}")]
    Discussion(#[from] crate::core::discussion::DiscussionRefusal),
    /// A phase operation was refused (selection in phases; typed, translated in `i18n::cli_phases`).
    #[error("{0}")]
    Phase(#[from] crate::core::phase::PhaseRefusal),
    /// No file at the workspace's path (typed, so the command line can translate it).
    #[error(
        "{}: there is no workspace here; run `jury init --template cases|competition` first (or `jury init \
         --rubric FILE`), or give the contest's file with --db PATH",
        .0.display()
    )]
    NoWorkspace(PathBuf),
    /// The workspace file or the store refused (typed, translated in `i18n::cli_refusals`).
    #[error("{0}")]
    Store(#[from] crate::core::refusal::StoreRefusal),
    /// A file next to the workspace (an export, a backup, a rubric file) refused.
    #[error("{0}")]
    File(#[from] crate::core::refusal::FileRefusal),
    /// An export cannot be made as asked.
    #[error("{0}")]
    Export(#[from] crate::core::refusal::ExportRefusal),
    /// `jury stage` refused.
    #[error("{0}")]
    Stage(#[from] crate::core::refusal::StageRefusal),
    /// `jury serve`'s socket, listener, host key or writer refused.
    #[error("{0}")]
    Serve(#[from] crate::core::refusal::ServeRefusal),
    /// An organiser's or an import's rule refused.
    #[error("{0}")]
    Workspace(#[from] crate::core::refusal::WorkspaceRefusal),
    /// The command line's or a screen's own refusal.
    #[error("{0}")]
    Command(#[from] crate::core::refusal::CommandRefusal),
    /// A reason that is not one line, or missing where one is required.
    #[error("{0}")]
    Reason(#[from] crate::core::reason::ReasonRefused),
    /// A judge's operation refused (the judges' screen says it in its own catalogue).
    #[error("{0}")]
    Judging(#[from] crate::core::scoring::Refusal),
}

/// How a workspace file is damaged or unusable ([`Error::Damaged`]; typed so that it is said in
/// the reader's language, issue 17). SQLite's own text is quoted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Damage {
    #[error("cannot open the workspace: {0}")]
    CannotOpen(String),
    #[error(
        "this file is not a usable jury workspace ({0}). If it is a workspace, restore the latest backup (`jury \
         export backup` copies); otherwise choose another file with --db"
    )]
    NotAWorkspace(String),
    #[error(
        "the workspace is damaged (quick_check: {0}). Stop all judges' sessions, keep this file for inspection, and \
         continue from the latest backup (`jury --db BACKUP`)"
    )]
    QuickCheck(String),
    #[error("integrity_check failed: {}", .0.join("; "))]
    IntegrityCheck(Vec<String>),
}

impl Error {
    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused(message.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
