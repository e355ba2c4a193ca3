//! The library's refusals that were free text, typed by layer so the command line and the screens
//! can say them in the reader's language (`crate::i18n::cli_refusals`). The English wording is each
//! type's `Display`, word for word what the command line printed before. `detail` fields carry a
//! message of the system or of a library underneath (an I/O error, SQLite, a zip writer): that part
//! stays as the system gave it.

use std::path::PathBuf;

/// The workspace file and the store underneath it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StoreRefusal {
    #[error("{}: cannot be opened: {detail}", path.display())]
    CannotOpen { path: PathBuf, detail: String },
    #[error("{} is a folder, not a workspace file; give the contest's file with --db PATH", .0.display())]
    IsFolder(PathBuf),
    #[error(
        "{} is empty: it is not a jury workspace (nothing was written to it); run `jury init --template \
         cases|competition` first, or give the contest's file with --db PATH",
        .0.display()
    )]
    IsEmpty(PathBuf),
    #[error("{} already exists; a new workspace is never made over a file: choose another name", .0.display())]
    WorkspaceExists(PathBuf),
    #[error(
        "{} is on a network file system ({fs_type}): SQLite cannot lock a file safely across machines, and \
         judges' scores could be lost or the file damaged. Keep the workspace on a local disk of the machine the \
         judges log in to (docs/reliability.md)",
        path.display()
    )]
    NetworkFs { path: PathBuf, fs_type: String },
    #[error("{}: SQLite could not switch to WAL mode (got {mode}); is the folder writable?", path.display())]
    NoWal { path: PathBuf, mode: String },
    #[error(
        "{} was written by a newer jury (schema {version}; this jury knows up to {target}): upgrade jury",
        path.display()
    )]
    NewerSchema { path: PathBuf, version: i64, target: i64 },
    #[error("the write transaction was rolled back by SQLite; nothing of this group was stored")]
    RolledBack,
    #[error("{} already exists; a backup never overwrites a file: choose a new name", .0.display())]
    BackupExists(PathBuf),
    #[error("{}: SQLite needs a file name that is valid Unicode", .0.display())]
    NotUnicode(PathBuf),
    #[error("{}: the backup failed: {detail}", path.display())]
    BackupFailed { path: PathBuf, detail: String },
    #[error("an import record does not read: {0}")]
    RecordUnreadable(String),
    #[error("an import record is not a list")]
    RecordNotList,
    #[error("an import record holds a number that is not whole")]
    RecordNotWhole,
    #[error("an import record holds a value of an unknown type")]
    RecordUnknownType,
    #[error("an import record of {0} does not have its columns")]
    RecordColumns(String),
    #[error("an import record names the table {0}")]
    RecordTable(String),
    #[error("jury_digest: not a digest")]
    NotDigest,
    #[error("cannot hash the secret: {0}")]
    CannotHash(String),
    #[error("{}: the writer's connection is not synchronous=FULL (it is {sync})", path.display())]
    NotSynchronous { path: PathBuf, sync: i64 },
}

/// What a path outside the workspace is when it is not a regular file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    SymbolicLink,
    Folder,
    Fifo,
    Device,
    Socket,
    Other,
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::SymbolicLink => "a symbolic link",
            FileKind::Folder => "a folder",
            FileKind::Fifo => "a FIFO (named pipe)",
            FileKind::Device => "a device",
            FileKind::Socket => "a socket",
            FileKind::Other => "not a regular file",
        })
    }
}

/// Files read or written next to the workspace: exports, backups, rubric files.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    #[error("{}: the folder {} does not exist", path.display(), dir.display())]
    NoFolder { path: PathBuf, dir: PathBuf },
    #[error("{}: not a file name", .0.display())]
    NotAFileName(PathBuf),
    #[error("{}: cannot be read: {detail}", path.display())]
    CannotRead { path: PathBuf, detail: String },
    #[error("{}: cannot be written: {detail}", path.display())]
    CannotWrite { path: PathBuf, detail: String },
    #[error("{}: and 9999 numbered names after it already exist; choose a name with --out", .0.display())]
    NumberedNamesTaken(PathBuf),
    #[error("{} is {kind}: an export never replaces it; choose a file name with --out", path.display())]
    NotAFile { path: PathBuf, kind: FileKind },
    #[error("{} already exists; add --force to replace it, or choose another name", .0.display())]
    Exists(PathBuf),
    #[error("{} appeared while it was being written; nothing was replaced: export again", .0.display())]
    Appeared(PathBuf),
    #[error("{}: over {kb} KB, this is not a rubric", path.display())]
    RubricTooLarge { path: PathBuf, kb: u64 },
    #[error("{}: is not UTF-8 text", .0.display())]
    NotUtf8(PathBuf),
}

/// What a document writer failed to build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Built {
    /// A .docx of the results.
    Document,
    /// The case collection's .docx.
    WordDocument,
    Spreadsheet,
    Json,
}

/// An export (results, sheets, selected cases, certificates, data) that cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportRefusal {
    #[error("{}", build_failed(*what, detail))]
    BuildFailed { what: Built, detail: String },
    #[error("{rows} {what} rows do not fit in one Excel sheet (at most {max}); export as CSV or JSON")]
    TooManyRows { what: String, rows: usize, max: usize },
    #[error(
        "{what} {id}, column {column}: {chars} characters do not fit in an Excel cell (at most {max}); export as \
         CSV or JSON"
    )]
    CellTooLong {
        what: String,
        id: String,
        column: String,
        chars: usize,
        max: usize,
    },
    #[error("entry {entry}: the column \"{key}\" would collide with a key of the JSON format; export as CSV or XLSX")]
    JsonKeyCollides { entry: String, key: String },
    /// `one_group`: the export is of one group.
    #[error(
        "judge \"{judge}\" has no submitted scores{}; for their empty sheets to score on paper, add --blank",
        if *one_group { " in this group" } else { "" }
    )]
    NoSubmittedScores { judge: String, one_group: bool },
    /// Each flagged case as `ID (what is wrong)`.
    #[error(
        "{} selected {} flagged: {}; set {} back (jury shortlist set … --status …) or publish anyway with \
         --include-flagged",
        flagged.len(),
        if flagged.len() == 1 { "case is" } else { "cases are" },
        flagged.join("; "),
        if flagged.len() == 1 { "it" } else { "them" }
    )]
    FlaggedSelected { flagged: Vec<String> },
    /// `cases`: a case selection (else a competition); `group`: the group asked for.
    #[error("{}", no_certificates(*cases, group.as_deref(), *no_awards))]
    NoCertificates {
        cases: bool,
        group: Option<String>,
        /// The rubric has no `[[award]]` (a competition).
        no_awards: bool,
    },
    #[error(
        "the results of {} are not locked, so the certificates have no date: lock them first (jury lock --group \
         G) or set certificate_date in the rubric",
        groups.join(", ")
    )]
    CertificatesUnlocked { groups: Vec<String> },
    #[error("the lock's time is not a date: set certificate_date in the rubric")]
    LockNotDate,
    #[error(
        "\"{0}\" is not a fingerprint; it looks like JURY2-1512-3fa9c2d18e77-A57-9b1c04aa (the part after \
         JURY2-<count>-<hash> may be left out; older printouts begin with JURY-)"
    )]
    NotFingerprint(String),
    #[error(
        "this workspace was made by an earlier jury and has no seal yet, so a change made outside jury cannot be \
         ruled out; open it once with write access (any jury command does it), then export again; `jury audit \
         verify` checks the scores"
    )]
    NotSealed,
    /// `seq`: the audit row of the seal; `changed`: what differs, one phrase each (English part names).
    #[error(
        "the workspace was changed outside jury{}: {}. Nothing was printed: run `jury audit verify` for the \
         details, and continue from the latest backup if the change was not made by jury",
        seq.map_or(String::new(), |s| format!(" since audit row {s}")),
        changed.join("; ")
    )]
    ChangedOutside { seq: Option<i64>, changed: Vec<String> },
}

fn build_failed(what: Built, detail: &str) -> String {
    match what {
        Built::Document => format!("cannot build the document: {detail}"),
        Built::WordDocument => format!("cannot build the Word document: {detail}"),
        Built::Spreadsheet => format!("cannot build the spreadsheet: {detail}"),
        Built::Json => format!("cannot write JSON: {detail}"),
    }
}

fn no_certificates(cases: bool, group: Option<&str>, no_awards: bool) -> String {
    let what = match (cases, group) {
        (true, Some(g)) => format!("no case of {g} is selected"),
        (true, None) => "no case is selected".to_string(),
        (false, Some(g)) => format!("{g} has no award winner"),
        (false, None) => "there is no award winner".to_string(),
    };
    let how = if cases {
        "select cases first (jury shortlist set ID… --status selected)"
    } else if no_awards {
        "the rubric has no [[award]]"
    } else {
        "no entry has a complete result yet"
    };
    format!("no certificates to print: {what}; {how}")
}

/// The live competition's stage (`jury stage`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StageRefusal {
    #[error("the stage is for live competitions; this contest is a case selection (its rubric has kind = \"cases\")")]
    NotCompetition,
    /// `known`: every round as `id (name)`.
    #[error("unknown round \"{round}\"; the rounds are: {}", known.join(", "))]
    UnknownRound { round: String, known: Vec<String> },
    #[error("cannot store the stage: {0}")]
    CannotStore(String),
    #[error("{0} has no group of this contest; give it one before it goes on stage")]
    NoGroup(String),
    #[error("nothing is on stage yet; start with `jury stage next` or `jury stage set ENTRY`")]
    NothingToGoBackFrom,
    #[error("the rubric has no rounds")]
    NoRounds,
    #[error("no contestant has a group of this contest; import entries first")]
    NoContestant,
    #[error("{entry} is the first contestant of {group}; there is no previous one")]
    First { entry: String, group: String },
    #[error(
        "{entry} is the last contestant of {group}; set the next group's first contestant with `jury stage set ENTRY`"
    )]
    Last { entry: String, group: String },
    #[error("nothing is on stage yet; set a contestant first (`jury stage set ENTRY`)")]
    NothingOnStage,
}

/// `jury serve`: its socket, its listener, its host key and its writer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ServeRefusal {
    #[error("the connection ended")]
    ConnectionEnded,
    #[error("jury serve ended the connection before the command finished; see `jury audit log` for what was done")]
    ServeEnded,
    #[error("jury serve answered something this jury cannot read")]
    Unreadable,
    #[error("the command cannot be sent to jury serve: {0}")]
    CannotSend(String),
    #[error("the command is too long to send to jury serve (over {kb} kB)")]
    TooLong { kb: usize },
    #[error("jury serve stopped answering on {}: {detail}; nothing was changed", path.display())]
    StoppedAnswering { path: PathBuf, detail: String },
    #[error("{} is in the way: it is not jury serve's socket; move it away and start again. Nothing was started", .0.display())]
    InTheWay(PathBuf),
    #[error(
        "another jury serve is running on this workspace (it answers on {}); stop it first. Nothing was started",
        .0.display()
    )]
    AlreadyRunning(PathBuf),
    #[error("{}: cannot be replaced: {detail}", path.display())]
    CannotReplace { path: PathBuf, detail: String },
    /// `on`: the socket's path or the listening address.
    #[error("cannot listen on {on}: {detail}")]
    CannotListen { on: String, detail: String },
    /// `why`: what stops it (a mode, or the system's message).
    #[error(
        "{} cannot be made readable by its owner only ({why}): other accounts could read the judges' scores and \
         PIN hashes. Run `jury serve` as the file's owner, or copy the workspace to a folder of your own; to serve \
         anyway, add --allow-shared-file. Nothing was started",
        path.display()
    )]
    SharedFile { path: PathBuf, why: String },
    #[error("{}: cannot write the statistics: {detail}", path.display())]
    CannotWriteStats { path: PathBuf, detail: String },
    #[error("cannot make a host key: {0}")]
    CannotMakeKey(String),
    #[error("cannot write the host key: {0}")]
    CannotWriteKey(String),
    #[error("{}: not a host key ({len} bytes); move it away and start again to make a new one", path.display())]
    KeyTooLarge { path: PathBuf, len: u64 },
    #[error(
        "{}: cannot be read as a host key ({detail}); move it away and start again to make a new one (the judges' \
         ssh clients will then warn that the key changed)",
        path.display()
    )]
    KeyUnreadable { path: PathBuf, detail: String },
    #[error("{}: {detail}", path.display())]
    KeyFile { path: PathBuf, detail: String },
    #[error(
        "the server's writer has stopped, so nothing more can be stored; nothing of this was stored. Restart `jury \
         serve` (every value answered as saved before is kept)"
    )]
    WriterGone,
    #[error("the server's writer has too much to do and took no more for 30 s; nothing of this was stored: try again")]
    WriterFull,
    #[error("the server's writer stopped before it answered: this value may not be stored; look at the sheet again")]
    WriterStoppedBeforeAnswer,
    #[error("the server's writer did not answer within 60 s: this value may not be stored; look at the sheet again")]
    WriterTimeout,
    #[error("the server's writer stopped before it finished this; look at the workspace again")]
    WriterStoppedBeforeFinish,
    /// `detail`: the library's message (English).
    #[error("nothing was stored: {0}")]
    NothingStored(String),
    #[error("`jury {0}` is not carried out by jury serve")]
    NotForwarded(String),
    #[error(
        "jury serve runs the writing commands on this workspace, and this command line is not valid text; nothing \
         was changed"
    )]
    ArgsNotText,
}

/// The organiser's and the imports' rules that are not [`crate::core::organiser::OrganiserRefusal`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceRefusal {
    #[error("{judge} and {entry} share an organisation; that conflict is not declared and cannot be removed")]
    SharedOrganisation { judge: String, entry: String },
    #[error(
        "only the owner of the workspace file {} (uid {owner}) may reset the organiser passphrase; this account is \
         uid {me}. Ask the owner, or give the current passphrase to `jury passwd --organiser`",
        path.display()
    )]
    NotOwner { path: PathBuf, owner: u32, me: u32 },
    #[error(
        "resetting a forgotten organiser passphrase needs the owner of the workspace file {}, which jury can tell \
         only on Linux and macOS; on this system give the current passphrase to `jury passwd --organiser`, or move \
         the file to a Linux or macOS machine for the reset",
        .0.display()
    )]
    ResetUnsupported(PathBuf),
    #[error("name at least one entry")]
    NameAnEntry,
    #[error(
        "{0}: the workspace's entries were changed by another process while the file was being checked; nothing \
         was stored. Run the import again"
    )]
    EntriesChanged(String),
    #[error(
        "row {row}: the judge {judge} was removed from the contest ({reason}); a removed judge's id stays taken, \
         give the new judge another id. Nothing was imported"
    )]
    JudgeIdTaken { row: usize, judge: String, reason: String },
    #[error(
        "row {row}: the judge {judge} was removed from the contest ({reason}) and gets no more scores. Nothing was \
         imported"
    )]
    JudgeRemoved { row: usize, judge: String, reason: String },
    #[error("{0} has no PIN")]
    NoPin(String),
    #[error(
        "row {row}: {entry} was withdrawn from the contest ({reason}) and takes no more scores (jury entry \
         restore brings it back). Nothing was imported"
    )]
    EntryWithdrawn { row: usize, entry: String, reason: String },
}

/// The command line's and the screens' own refusals.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CommandRefusal {
    #[error(
        "the judges' screen needs a terminal (stdin and stdout must not be redirected); the other commands work \
         without one (jury --help)"
    )]
    JudgesNeedTerminal,
    #[error("the judges' screen needs a terminal")]
    JudgesScreenNeedsTerminal,
    #[error("the projector needs a terminal (stdin and stdout must not be redirected)")]
    ProjectorNeedsTerminal,
    #[error("this screen needs a terminal")]
    ScreenNeedsTerminal,
    #[error("the scripted events have run out")]
    ScriptRanOut,
    #[error("no judge with the id \"{id}\" in {workspace}")]
    NoSuchJudge { id: String, workspace: String },
    #[error("--host {0:?}: give the address the judges type after @, e.g. 192.168.1.5")]
    BadHost(String),
    #[error("JURY_NEW_ORGANISER_PASS is not valid text; nothing was changed")]
    NewPassNotText,
    #[error("no new organiser passphrase was given; nothing was changed")]
    NoNewPass,
    #[error("give --group G --judges A,B,…, --per-entry N or --replace OLD NEW")]
    GiveAssignment,
    #[error("the contest has several rounds: give --round")]
    GiveRound,
}
