//! The one error type of the tool, and how each kind maps to an exit code.
//!
//! Exit codes are part of the contract (DESIGN.md): 0 success, 1 a check found drift or a
//! validation failed, 2 usage or input error. Every message names the file (and line, where
//! there is one) so the user knows what to fix.

use std::fmt;
use std::path::{Path, PathBuf};

/// What went wrong, and whose fault it is.
#[derive(Debug)]
pub enum Error {
    /// Bad input: a file, a name, an argument. Exit code 2.
    Input(String),
    /// A check or validation ran and found problems. Exit code 1.
    Failed(String),
}

impl Error {
    /// Bad input that is not tied to a file (an argument, a name given on the command line).
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Input(msg.into())
    }

    /// Bad input in a file.
    pub fn at(path: &Path, msg: impl fmt::Display) -> Self {
        Error::Input(format!("{}: {}", path.display(), msg))
    }

    /// Bad input at a line of a file (1-based line numbers, as editors show them).
    pub fn at_line(path: &Path, line: usize, msg: impl fmt::Display) -> Self {
        Error::Input(format!("{}:{}: {}", path.display(), line, msg))
    }

    /// An I/O failure on a path.
    pub fn io(path: &Path, err: std::io::Error) -> Self {
        Error::Input(format!("{}: {}", path.display(), err))
    }

    pub fn failed(msg: impl Into<String>) -> Self {
        Error::Failed(msg.into())
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Input(_) => 2,
            Error::Failed(_) => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Input(m) | Error::Failed(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Adds the path to an I/O result's error.
pub trait IoContext<T> {
    fn at_path(self, path: impl Into<PathBuf>) -> Result<T>;
}

impl<T> IoContext<T> for std::io::Result<T> {
    fn at_path(self, path: impl Into<PathBuf>) -> Result<T> {
        self.map_err(|e| Error::io(&path.into(), e))
    }
}
