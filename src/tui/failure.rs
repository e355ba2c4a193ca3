//! A failure of the workspace underneath a screen (the disk full, another process writing, a file
//! made read-only or deleted, the server's writer gone ...), kept typed until the screen says it in
//! its own language (issue 17).

use std::sync::Arc;

use crate::error::Error;
use crate::i18n::Lang;

/// The library's error, shared so that a screen's outcome stays `Clone`.
#[derive(Debug, Clone)]
pub struct Failure(Arc<Error>);

impl Failure {
    /// What the screen says, in `lang` (English: the error's `Display`).
    pub fn text(&self, lang: Lang) -> String {
        crate::i18n::cli_zhlast::failure(&self.0, lang)
    }

    pub fn error(&self) -> &Error {
        &self.0
    }
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure(Arc::new(e))
    }
}

/// Two failures are the same when they say the same (the library's errors are not comparable).
impl PartialEq for Failure {
    fn eq(&self, other: &Self) -> bool {
        self.0.to_string() == other.0.to_string()
    }
}

impl Eq for Failure {}
