//! Rendering findings: the only module that knows output formats. Every format gets the files
//! in order with their findings, already sorted, and writes to the given writer.

mod concise;
mod full;
mod json;

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;
use crate::source::SourceFile;

pub use full::{MietteDiagnostic, render_diagnostic};

/// The findings of one file, with its text for code frames and line numbers.
#[derive(Debug)]
pub struct FileReport {
    /// The file (its display name and text; empty when it could not be read).
    pub source: SourceFile,
    /// Its findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

/// The output formats (`--output-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report: code frame, labels, help.
    #[default]
    Full,
    /// `path:line:col: CODE [*] message`, one per line.
    Concise,
    /// A JSON array of findings.
    Json,
}

/// How text output looks.
#[derive(Clone, Copy, Debug, Default)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width of the graphical report.
    pub width: usize,
}

/// Writes `files` in `format`.
///
/// # Errors
///
/// When writing fails (a closed pipe, for instance).
pub fn write(out: &mut dyn Write, format: Format, files: &[&FileReport], style: Style) -> io::Result<()> {
    match format {
        Format::Full => full::write(out, files, style),
        Format::Concise => concise::write(out, files),
        Format::Json => json::write(out, files),
    }
}
