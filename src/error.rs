//! One error type for the library. Every variant's message says what is wrong and, where there is
//! one, what to do.

use std::path::PathBuf;

use crate::core::rubric::RubricError;
use crate::import::ImportErrors;

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
    Damaged { path: PathBuf, message: String },
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
}

impl Error {
    pub fn refused(message: impl Into<String>) -> Self {
        Error::Refused(message.into())
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;
