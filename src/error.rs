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
