//! Liquid errors, worded as Jekyll prints them (`Liquid syntax error (line 3): …`).
//!
//! Not for: deciding exit codes (they become `crate::Error::Input`, exit 2, at the edge).

use std::fmt;

/// What kind of failure, mirroring the Ruby exception classes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ErrorKind {
    /// `Liquid::SyntaxError`: the template cannot be parsed.
    Syntax,
    /// `Liquid::ArgumentError` and friends raised while rendering.
    Argument,
    /// Any other runtime failure (Ruby's `NoMethodError`, `TypeError`, Jekyll's errors).
    Runtime(&'static str),
}

/// A Liquid error. Boxed: every evaluation returns an `LResult`, and a small `Err` keeps the
/// `Ok` path's result three words wide instead of eleven.
#[derive(Debug, Clone)]
pub struct LiquidError(Box<ErrorData>);

/// What a [`LiquidError`] says (its fields read through the error itself: `e.kind`).
#[derive(Debug, Clone)]
pub struct ErrorData {
    pub kind: ErrorKind,
    pub message: String,
    pub line: Option<usize>,
    /// The template file (site-relative path) the error happened in.
    pub file: Option<String>,
}

impl LiquidError {
    pub fn syntax(message: impl Into<String>) -> Self {
        LiquidError(Box::new(ErrorData {
            kind: ErrorKind::Syntax,
            message: message.into(),
            line: None,
            file: None,
        }))
    }
    pub fn argument(message: impl Into<String>) -> Self {
        LiquidError(Box::new(ErrorData {
            kind: ErrorKind::Argument,
            message: message.into(),
            line: None,
            file: None,
        }))
    }
    /// A runtime error of the given Ruby class (`"NoMethodError"`, `"ZeroDivisionError"`…).
    pub fn runtime(class: &'static str, message: impl Into<String>) -> Self {
        LiquidError(Box::new(ErrorData {
            kind: ErrorKind::Runtime(class),
            message: message.into(),
            line: None,
            file: None,
        }))
    }
    pub fn with_line(mut self, line: usize) -> Self {
        if self.line.is_none() {
            self.line = Some(line);
        }
        self
    }
    pub fn with_file(mut self, file: &str) -> Self {
        if self.file.is_none() {
            self.file = Some(file.to_string());
        }
        self
    }
}

impl std::ops::Deref for LiquidError {
    type Target = ErrorData;
    fn deref(&self) -> &ErrorData {
        &self.0
    }
}

impl std::ops::DerefMut for LiquidError {
    fn deref_mut(&mut self) -> &mut ErrorData {
        &mut self.0
    }
}

impl fmt::Display for LiquidError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let prefix = match &self.kind {
            ErrorKind::Syntax => "Liquid syntax error",
            ErrorKind::Argument => "Liquid error",
            ErrorKind::Runtime(class) => class,
        };
        match self.line {
            Some(line) => write!(f, "{prefix} (line {line}): {}", self.message)?,
            None => write!(f, "{prefix}: {}", self.message)?,
        }
        if let Some(file) = &self.file {
            write!(f, " in {file}")?;
        }
        Ok(())
    }
}

impl std::error::Error for LiquidError {}

pub type LResult<T> = std::result::Result<T, LiquidError>;
