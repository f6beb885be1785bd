//! Rendering findings: the only module that knows output formats. Every format gets the files
//! in order with their findings, already sorted, and writes to the given writer.

mod concise;
mod full;
mod github;
mod gitlab;
mod json;
mod junit;
mod sarif;

use std::io::{self, Write};

use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::fix::fixer::FixPolicy;
use crate::source::SourceFile;

pub use full::{MietteDiagnostic, render_diagnostic};
pub use sarif::log as sarif_log;

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
    /// The same objects, one per line.
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// GitLab code quality report.
    Gitlab,
    /// JUnit XML, one test case per file.
    Junit,
}

/// How text output looks.
#[derive(Clone, Debug, Default)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width of the graphical report.
    pub width: usize,
    /// The fixes `--fix` would apply with the flags given: those are marked `[*]`, the others
    /// say which flag would apply them.
    pub policy: FixPolicy,
}

/// How a finding's fix is offered under `policy`: `None` when `--fix` applies it, else the
/// flags that would.
pub fn fix_hint(diagnostic: &Diagnostic, policy: &FixPolicy) -> Option<String> {
    let fix = diagnostic.fix.as_ref()?;
    if policy.allows(diagnostic) {
        return None;
    }
    Some(match fix.applicability {
        Applicability::Safe => "`--fix`".to_owned(),
        Applicability::Unsafe => "`--fix --unsafe-fixes`".to_owned(),
        Applicability::Sensitive => format!("`--fix --allow-sensitive-fix {}`", diagnostic.rule.code),
        Applicability::DisplayOnly => "no flag: apply it by hand".to_owned(),
    })
}

/// The summary line about fixes that the flags given leave out, if any.
pub fn hidden_fix_hints<'a>(hidden: impl Iterator<Item = &'a Diagnostic>) -> Option<String> {
    let mut unsafe_count = 0;
    let mut sensitive: Vec<&str> = Vec::new();
    for diagnostic in hidden {
        match diagnostic.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Unsafe) => unsafe_count += 1,
            Some(Applicability::Sensitive) => sensitive.push(diagnostic.rule.code),
            _ => {}
        }
    }
    sensitive.sort_unstable();
    let sensitive_count = sensitive.len();
    sensitive.dedup();
    let mut parts = Vec::new();
    if unsafe_count > 0 {
        parts.push(format!("{unsafe_count} more with `--unsafe-fixes`"));
    }
    if sensitive_count > 0 {
        parts.push(format!(
            "{sensitive_count} sensitive with `--allow-sensitive-fix {}`",
            sensitive.join(",")
        ));
    }
    (!parts.is_empty()).then(|| format!("Fixes left out: {}.", parts.join("; ")))
}

/// Writes `files` in `format`.
///
/// # Errors
///
/// When writing fails (a closed pipe, for instance).
pub fn write(out: &mut dyn Write, format: Format, files: &[&FileReport], style: &Style) -> io::Result<()> {
    match format {
        Format::Full => full::write(out, files, style),
        Format::Concise => concise::write(out, files, style),
        Format::Json => json::write(out, files),
        Format::JsonLines => json::write_lines(out, files),
        Format::Sarif => sarif::write(out, files),
        Format::Github => github::write(out, files),
        Format::Gitlab => gitlab::write(out, files),
        Format::Junit => junit::write(out, files),
    }
}
