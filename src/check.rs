//! `ctelint check`: select the inputs, lint (and fix) each of them in parallel, report, and
//! decide the exit status. The command line fills [`Options`]; nothing here knows clap.

use std::fmt::Write as _;
use std::io::{self, Read, Write};
use std::path::PathBuf;

use rayon::prelude::*;

use crate::delete::Deletion;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::fixer::{self, Applied, FixPolicy};
use crate::fix::write::write_atomic;
use crate::json::{Pointer, Span};
use crate::linter::{self, FileResult};
use crate::output::{self, FileReport, Format, Style};
use crate::redact;
use crate::rule::KeyName;
use crate::rules;
use crate::settings::Settings;
use crate::source::SourceFile;
use crate::walk::{self, Entry};

/// What to do with fixes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum FixMode {
    /// Report only.
    #[default]
    Report,
    /// Apply fixes and report what remains (`--fix`).
    Fix,
    /// Apply fixes and report nothing (`--fix-only`).
    FixOnly,
    /// Print what `--fix` would change and write nothing (`--diff`).
    Diff,
}

/// Everything `check` needs, as the command line resolved it.
#[derive(Clone, Debug)]
#[expect(clippy::struct_excessive_bools, reason = "one field per command-line switch")]
pub struct Options {
    /// Files and directories; `-` is stdin.
    pub paths: Vec<PathBuf>,
    /// The path stdin stands for.
    pub stdin_filename: Option<PathBuf>,
    /// Profile and rules.
    pub settings: Settings,
    /// Output format.
    pub format: Format,
    /// Write the report here instead of stdout.
    pub output_file: Option<PathBuf>,
    /// Apply ignore files to explicitly named files.
    pub force_exclude: bool,
    /// Exit 0 even with findings.
    pub exit_zero: bool,
    /// Findings only.
    pub quiet: bool,
    /// Nothing at all.
    pub silent: bool,
    /// List skipped files on stderr.
    pub verbose: bool,
    /// Colour the report.
    pub color: bool,
    /// Width of the graphical report.
    pub width: usize,
    /// Files larger than this are CTE000.
    pub max_file_size: u64,
    /// Fixing mode.
    pub fix_mode: FixMode,
    /// Which fixes apply (its `safe` flag is set by the fixing modes).
    pub policy: FixPolicy,
    /// List the fixes that were applied.
    pub show_fixes: bool,
    /// Exit 1 when anything was fixed.
    pub exit_non_zero_on_fix: bool,
    /// For `delete-check`: the inputs are key records, judged for deletion.
    pub deletion: Option<Deletion>,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Nothing at or above the failure threshold.
    Success,
    /// Findings at or above the threshold remain.
    Failure,
    /// The tool could not do its job.
    Error,
}

/// One input after linting and fixing.
struct Outcome {
    /// What remains to report, against the final text.
    report: FileReport,
    /// The input held no key request.
    skipped: bool,
    /// Rule panics, failed fix passes, failed writes.
    problems: Vec<String>,
    /// The text before fixing, when fixing changed it.
    original: Option<String>,
    /// The text after fixing, when fixing changed it.
    fixed: Option<String>,
    /// The fixes applied.
    applied: Vec<Applied>,
    /// The input as read (for stdin, which is echoed when nothing changed).
    bytes: Vec<u8>,
    /// The key names its requests create, for the rules across the set.
    names: Vec<KeyName>,
}

/// Prints a tool error to stderr.
#[expect(clippy::print_stderr, reason = "the command reports its own failures on stderr")]
pub fn error(message: &str) {
    eprintln!("ctelint: error: {message}");
}

/// Runs `check`.
pub fn run(options: &Options) -> Status {
    let outcomes = if options.paths.iter().any(|p| p.as_os_str() == "-") {
        match read_stdin(options) {
            Ok(outcome) => vec![outcome],
            Err(message) => {
                error(&message);
                return Status::Error;
            }
        }
    } else {
        let entries = match walk::collect(&options.paths, options.force_exclude) {
            Ok(entries) => entries,
            Err(walk::MissingPath(path)) => {
                error(&format!("path `{}` does not exist", path.display()));
                return Status::Error;
            }
        };
        entries.par_iter().map(|entry| process_entry(entry, options)).collect()
    };
    let mut outcomes = outcomes;
    check_set(options, &mut outcomes);
    finish(options, &outcomes)
}

/// Runs the rules that look across every linted file (duplicate key names) and adds their
/// findings to the files they are about.
fn check_set(options: &Options, outcomes: &mut [Outcome]) {
    let mut names: Vec<KeyName> = Vec::new();
    for (file, outcome) in outcomes.iter_mut().enumerate() {
        for mut name in std::mem::take(&mut outcome.names) {
            name.file = file;
            names.push(name);
        }
    }
    for (index, diagnostic) in linter::check_set(&options.settings, &names) {
        let report = &mut outcomes[names[index].file].report;
        report.diagnostics.push(diagnostic);
        linter::sort(&mut report.diagnostics);
    }
}

fn process_entry(entry: &Entry, options: &Options) -> Outcome {
    match entry {
        Entry::File { path, display } => match walk::read_limited(path, options.max_file_size) {
            Ok(bytes) => process(display, Some(path), bytes, options),
            Err(walk::ReadError(message)) => unreadable(display, message, &options.settings),
        },
        Entry::Error { display, message } => unreadable(display, message.clone(), &options.settings),
    }
}

fn read_stdin(options: &Options) -> Result<Outcome, String> {
    let display = options
        .stdin_filename
        .as_deref()
        .map_or_else(|| "-".to_owned(), walk::display_path);
    let mut bytes = Vec::new();
    io::stdin()
        .take(options.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if bytes.len() as u64 > options.max_file_size {
        let limit = options.max_file_size;
        return Ok(unreadable(
            &display,
            format!("stdin is over the size limit of {limit} bytes (raise it with `--max-file-size`)"),
            &options.settings,
        ));
    }
    Ok(process(&display, None, bytes, options))
}

/// A CTE000 finding for an input that could not be read or walked.
fn unreadable(display: &str, message: String, settings: &Settings) -> Outcome {
    let mut diagnostics = Vec::new();
    if settings.is_enabled(rules::IO_ERROR) {
        let mut diagnostic = Diagnostic::new(rules::IO_ERROR, Pointer::root(), Span::default(), message);
        diagnostic.help("make the file readable, raise `--max-file-size`, or exclude the path");
        if let Some(severity) = settings.severity_override(rules::IO_ERROR) {
            diagnostic.severity = severity;
        }
        diagnostics.push(diagnostic);
    }
    Outcome {
        report: FileReport {
            source: SourceFile::new(display, String::new()),
            diagnostics,
        },
        skipped: false,
        problems: Vec::new(),
        original: None,
        fixed: None,
        applied: Vec::new(),
        bytes: Vec::new(),
        names: Vec::new(),
    }
}

/// The outcome of a lint, with its secrets masked in everything it will show.
fn outcome_of(result: &FileResult, bytes: Vec<u8>) -> Outcome {
    let (source, diagnostics) = result.shown();
    let problems = result
        .internal_errors
        .iter()
        .map(|code| format!("{}: rule {code} panicked; its findings are incomplete", source.name()))
        .collect();
    Outcome {
        skipped: result.parsed && result.requests == 0,
        report: FileReport { source, diagnostics },
        problems,
        original: None,
        fixed: None,
        applied: Vec::new(),
        bytes,
        names: result.names.clone(),
    }
}

/// Lints one input and, in a fixing mode, fixes it (writing the file for `--fix` and
/// `--fix-only`).
fn process(display: &str, path: Option<&PathBuf>, bytes: Vec<u8>, options: &Options) -> Outcome {
    let settings = &options.settings;
    if let Some(deletion) = &options.deletion {
        return outcome_of(&linter::lint_records(display, &bytes, settings, deletion), bytes);
    }
    let dialect = linter::dialect_for(display);
    let result = linter::lint_bytes(display, &bytes, dialect, settings);
    let policy = FixPolicy {
        safe: true,
        ..options.policy.clone()
    };
    let wants_fixing =
        options.fix_mode != FixMode::Report && result.parsed && result.diagnostics.iter().any(|d| policy.allows(d));
    if !wants_fixing {
        return outcome_of(&result, bytes);
    }
    let original = result.source.text().to_owned();
    let fixed = fixer::fix(display, &original, dialect, settings, &policy);
    if let Some(failure) = fixed.failure {
        let mut outcome = outcome_of(&result, bytes);
        outcome.problems.push(format!("{display}: {failure}"));
        return outcome;
    }
    if fixed.applied.is_empty() {
        return outcome_of(&result, bytes);
    }
    let mut outcome = outcome_of(
        &linter::lint_bytes(display, fixed.text.as_bytes(), dialect, settings),
        bytes,
    );
    if let Some(path) = path
        && matches!(options.fix_mode, FixMode::Fix | FixMode::FixOnly)
        && let Err(e) = write_atomic(path, fixed.text.as_bytes())
    {
        outcome
            .problems
            .push(format!("{display}: cannot write the fixed file: {e}"));
        return outcome;
    }
    outcome.applied = fixed
        .applied
        .into_iter()
        .map(|applied| scrubbed(applied, &original))
        .collect();
    outcome.original = Some(original);
    outcome.fixed = Some(fixed.text);
    outcome
}

fn finish(options: &Options, outcomes: &[Outcome]) -> Status {
    if options.verbose {
        for outcome in outcomes.iter().filter(|o| o.skipped) {
            note(&format!(
                "skipped {}: no key request in it",
                outcome.report.source.name()
            ));
        }
    }
    let stdin = options.paths.iter().any(|p| p.as_os_str() == "-");
    let written = if options.silent {
        Ok(())
    } else {
        emit(options, outcomes, stdin)
    };
    if let Err(e) = written {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Status::Success;
        }
        error(&format!("cannot write the output: {e}"));
        return Status::Error;
    }
    let problems: Vec<&String> = outcomes.iter().flat_map(|o| &o.problems).collect();
    for problem in &problems {
        error(problem);
    }
    let fixed_any = outcomes.iter().any(|o| !o.applied.is_empty());
    let failed = outcomes
        .iter()
        .flat_map(|o| &o.report.diagnostics)
        .any(|d| d.severity >= Severity::Error);
    if !problems.is_empty() {
        Status::Error
    } else if options.fix_mode == FixMode::Diff {
        if fixed_any { Status::Failure } else { Status::Success }
    } else if options.exit_non_zero_on_fix && fixed_any
        || failed && !options.exit_zero && options.fix_mode != FixMode::FixOnly
    {
        Status::Failure
    } else {
        Status::Success
    }
}

#[expect(
    clippy::print_stderr,
    reason = "-v and summaries that must not mix with stdout documents go to stderr"
)]
fn note(message: &str) {
    eprintln!("{message}");
}

/// Writes what the mode calls for: the fixed document (stdin with a fixing mode), the diff, or
/// the report.
fn emit(options: &Options, outcomes: &[Outcome], stdin: bool) -> io::Result<()> {
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    if options.fix_mode == FixMode::Diff {
        for outcome in outcomes {
            if let (Some(before), Some(after)) = (&outcome.original, &outcome.fixed) {
                let (before, after) = (redact::mask_text(before), redact::mask_text(after));
                write_diff(&mut stdout, outcome.report.source.name(), &before, &after)?;
            }
        }
        stdout.flush()?;
        if !options.quiet {
            let count: usize = outcomes.iter().map(|o| o.applied.len()).sum();
            let files = outcomes.iter().filter(|o| !o.applied.is_empty()).count();
            note(&if count == 0 {
                "No fixes would be applied.".to_owned()
            } else {
                format!("Would fix {} in {}.", plural(count, "finding"), plural(files, "file"))
            });
        }
        return Ok(());
    }
    let document_on_stdout = stdin && matches!(options.fix_mode, FixMode::Fix | FixMode::FixOnly);
    if document_on_stdout {
        for outcome in outcomes {
            match &outcome.fixed {
                Some(fixed) => stdout.write_all(fixed.as_bytes())?,
                None => stdout.write_all(&outcome.bytes)?,
            }
        }
        stdout.flush()?;
    }
    if options.fix_mode == FixMode::FixOnly {
        if options.show_fixes || !options.quiet {
            report_fixes(&mut io::stderr().lock(), outcomes, options.show_fixes)?;
        }
        return Ok(());
    }
    let mut out: Box<dyn Write> = match (&options.output_file, document_on_stdout) {
        (Some(path), _) => Box::new(io::BufWriter::new(std::fs::File::create(path)?)),
        (None, true) => Box::new(io::stderr().lock()),
        (None, false) => Box::new(stdout),
    };
    let reports: Vec<&FileReport> = outcomes.iter().map(|o| &o.report).collect();
    let style = Style {
        color: options.color,
        width: options.width,
        policy: FixPolicy {
            safe: true,
            ..options.policy.clone()
        },
    };
    output::write(&mut out, options.format, &reports, &style)?;
    let text_format = matches!(options.format, Format::Full | Format::Concise);
    if text_format && !options.quiet {
        if options.fix_mode == FixMode::Fix || options.show_fixes {
            report_fixes(&mut out, outcomes, options.show_fixes)?;
        }
        writeln!(out, "{}", summary(outcomes, &style.policy))?;
    } else if options.show_fixes {
        report_fixes(&mut io::stderr().lock(), outcomes, true)?;
    }
    out.flush()
}

/// An applied fix with the secrets of the text it was applied to masked.
fn scrubbed(mut applied: Applied, original: &str) -> Applied {
    applied.message = redact::scrub(&applied.message, original);
    for (before, after) in &mut applied.changes {
        *before = redact::scrub(before, original);
        *after = redact::scrub(after, original);
    }
    applied
}

fn write_diff(out: &mut dyn Write, name: &str, before: &str, after: &str) -> io::Result<()> {
    let diff = similar::TextDiff::from_lines(before, after);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string();
    out.write_all(text.as_bytes())
}

/// `Fixed 2 findings in 1 file.`, and with `--show-fixes` each fix, sensitive ones with their
/// before and after.
fn report_fixes(out: &mut dyn Write, outcomes: &[Outcome], detailed: bool) -> io::Result<()> {
    let count: usize = outcomes.iter().map(|o| o.applied.len()).sum();
    if count == 0 {
        return if detailed {
            writeln!(out, "No fixes applied.")
        } else {
            Ok(())
        };
    }
    let files = outcomes.iter().filter(|o| !o.applied.is_empty()).count();
    writeln!(out, "Fixed {} in {}:", plural(count, "finding"), plural(files, "file"))?;
    for outcome in outcomes.iter().filter(|o| !o.applied.is_empty()) {
        writeln!(out, "- {}", outcome.report.source.name())?;
        if !detailed {
            continue;
        }
        for fix in &outcome.applied {
            writeln!(out, "    {} ({}): {}", fix.code, fix.name, fix.message)?;
            if fix.applicability == crate::fix::Applicability::Sensitive {
                for (before, after) in &fix.changes {
                    writeln!(out, "      before: {}\n      after:  {}", shown(before), shown(after))?;
                }
            }
        }
    }
    Ok(())
}

fn shown(text: &str) -> String {
    if text.is_empty() {
        "(nothing)".to_owned()
    } else {
        text.replace('\n', "⏎")
    }
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

/// `Found 2 errors and 1 warning in 1 file (3 files checked, 1 skipped: no key request).` and
/// what `--fix` (and which other flags) would fix.
fn summary(outcomes: &[Outcome], policy: &FixPolicy) -> String {
    let diagnostics: Vec<&Diagnostic> = outcomes.iter().flat_map(|o| &o.report.diagnostics).collect();
    let count = |severity| diagnostics.iter().filter(|d| d.severity == severity).count();
    let files_with = outcomes.iter().filter(|o| !o.report.diagnostics.is_empty()).count();
    let skipped = outcomes.iter().filter(|o| o.skipped).count();
    let checked = format!(
        "{} checked{}",
        plural(outcomes.len(), "file"),
        if skipped > 0 {
            format!(", {skipped} skipped: no key request")
        } else {
            String::new()
        }
    );
    if diagnostics.is_empty() {
        return format!("No findings ({checked}).");
    }
    let parts: Vec<String> = [
        (Severity::Error, "error"),
        (Severity::Warning, "warning"),
        (Severity::Info, "info"),
    ]
    .into_iter()
    .filter(|(severity, _)| count(*severity) > 0)
    .map(|(severity, word)| plural(count(severity), word))
    .collect();
    let listed = match parts.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let mut text = format!("Found {listed} in {} ({checked}).", plural(files_with, "file"));
    let fixable = diagnostics.iter().filter(|d| policy.allows(d)).count();
    let hidden = output::hidden_fix_hints(diagnostics.iter().copied().filter(|d| !policy.allows(d)));
    if fixable > 0 {
        let _ = write!(text, "\n[*] {} fixable with `--fix`.", plural(fixable, "finding"));
    }
    if let Some(hint) = hidden {
        let _ = write!(text, "\n{hint}");
    }
    text
}
