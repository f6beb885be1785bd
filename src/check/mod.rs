//! `ctelint check` and `ctelint delete-check`: select the inputs, resolve each file's settings
//! (config, overrides, command line), lint and fix in parallel, apply suppressions and the
//! baseline, report, and decide the exit status. The command line fills [`Options`]; nothing
//! here knows clap.

mod gather;
mod report;
mod spool;
mod stream;
mod summary;
mod suppress;

use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use crate::config::{Config, ConfigError, Resolver, Suppression};
use crate::delete::Deletion;
use crate::diagnostic::Diagnostic;
use crate::fix::fixer::{self, Applied, FixPolicy};
use crate::fix::write::write_atomic;
use crate::json::{ParseOptions, Pointer, Span};
use crate::linter::{self, FileResult};
use crate::output::{FileReport, Format};
use crate::profile::Profile;
use crate::redact;
use crate::rule::{KeyName, Scope};
use crate::rules;
use crate::settings::{Selection, Settings};
use crate::source::SourceFile;
use crate::walk::{self, Entry};

pub use report::render_config_error;

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
#[derive(Debug)]
#[expect(clippy::struct_excessive_bools, reason = "one field per command-line switch")]
pub struct Options {
    /// Files and directories; `-` is stdin.
    pub paths: Vec<PathBuf>,
    /// The path stdin stands for.
    pub stdin_filename: Option<PathBuf>,
    /// What the command line says about every file.
    pub base: Base,
    /// Where configs come from.
    pub configs: Resolver,
    /// Output format.
    pub format: Format,
    /// Write the report here instead of stdout.
    pub output_file: Option<PathBuf>,
    /// Apply ignore files and `exclude` to explicitly named files.
    pub force_exclude: bool,
    /// Exit 0 even with findings.
    pub exit_zero: bool,
    /// Findings only.
    pub quiet: bool,
    /// Nothing at all.
    pub silent: bool,
    /// List skipped files on stderr.
    pub verbose: bool,
    /// Counts per rule instead of the findings.
    pub statistics: bool,
    /// Colour the report.
    pub color: bool,
    /// Width of the graphical report.
    pub width: usize,
    /// Files larger than this are CTE000.
    pub max_file_size: u64,
    /// Fixing mode.
    pub fix_mode: FixMode,
    /// List the fixes that were applied.
    pub show_fixes: bool,
    /// Exit 1 when anything was fixed.
    pub exit_non_zero_on_fix: bool,
    /// `--baseline`: findings recorded there do not fail the run.
    pub baseline: Option<PathBuf>,
    /// `--update-baseline`: write the current findings to the baseline instead.
    pub update_baseline: bool,
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

/// The settings that apply to one file.
#[derive(Clone, Debug)]
pub struct FileSettings {
    /// Profile and rules.
    pub settings: Settings,
    /// The dialect it is read in.
    pub dialect: ParseOptions,
    /// The fixes `--fix` may apply to it (before the fixing mode sets `safe`).
    pub policy: FixPolicy,
    /// The `[[suppress]]` entries whose `file` matches it.
    pub suppressions: Vec<Arc<Suppression>>,
    /// The config it came from.
    pub config: Option<Arc<Config>>,
}

/// What the command line says about every file; configs fill in the rest.
#[derive(Clone, Debug, Default)]
pub struct Base {
    /// Which rules: `check`'s or `delete-check`'s.
    pub scope: Scope,
    /// `--profile`, which beats every config.
    pub profile: Option<Profile>,
    /// `--select`, `--extend-select`, `--ignore`: the last selection layer.
    pub cli: Selection,
    /// `--unsafe-fixes`, `--allow-sensitive-fix`.
    pub policy: FixPolicy,
    /// The settings of a file no config governs, computed once.
    plain: OnceLock<Settings>,
}

impl Base {
    /// What the command line says.
    pub fn new(scope: Scope, profile: Option<Profile>, cli: Selection, policy: FixPolicy) -> Self {
        Self {
            scope,
            profile,
            cli,
            policy,
            plain: OnceLock::new(),
        }
    }

    /// The settings of a file that no config governs.
    fn plain(&self) -> &Settings {
        self.plain
            .get_or_init(|| Settings::layered(self.scope, self.profile.unwrap_or_default(), &[&self.cli], Vec::new()))
    }
}

/// The settings of the file at `path` (shown as `display`): the nearest config, its per-file
/// ignores and overrides, then the command line. The language server uses this too.
///
/// # Errors
///
/// When the config that applies is broken.
pub fn resolve(configs: &Resolver, base: &Base, path: &Path, display: &str) -> Result<FileSettings, ConfigError> {
    let config = configs.config_for(path)?;
    let Some(config) = config else {
        let settings = base.plain().clone();
        return Ok(FileSettings {
            settings,
            dialect: linter::dialect_for(display),
            policy: base.policy.clone(),
            suppressions: Vec::new(),
            config: None,
        });
    };
    let config = Some(config);
    let mut profile = Profile::Standard;
    let mut dialect = linter::dialect_for(display);
    let mut policy = base.policy.clone();
    let mut severities = Vec::new();
    let mut per_file = Selection::default();
    let mut layers: Vec<&Selection> = Vec::new();
    let mut suppressions = Vec::new();
    if let Some(config) = &config {
        let absolute = configs.resolved(path);
        profile = config.profile.unwrap_or(profile);
        layers.push(&config.layer);
        for (pattern, ignored) in &config.per_file_ignores {
            if pattern.matches(&absolute) {
                per_file.ignore.extend(ignored.iter().cloned());
            }
        }
        layers.push(&per_file);
        severities.extend(config.severity.iter().copied());
        for entry in config
            .overrides
            .iter()
            .filter(|o| o.files.iter().any(|p| p.matches(&absolute)))
        {
            profile = entry.profile.unwrap_or(profile);
            layers.push(&entry.layer);
            severities.extend(entry.severity.iter().copied());
        }
        if config.jsonc.iter().any(|p| p.matches(&absolute)) {
            dialect = ParseOptions::JSONC;
        }
        policy.unsafe_fixes |= config.unsafe_fixes.unwrap_or(false);
        policy.sensitive.extend(config.allow_sensitive_fixes.iter().copied());
        suppressions = config
            .suppress
            .iter()
            .filter(|s| s.file.matches(&absolute))
            .cloned()
            .collect();
    }
    layers.push(&base.cli);
    let settings = Settings::layered(base.scope, base.profile.unwrap_or(profile), &layers, severities);
    Ok(FileSettings {
        settings,
        dialect,
        policy,
        suppressions,
        config,
    })
}

impl Options {
    /// The settings of the file at `path` (see [`resolve`]).
    ///
    /// # Errors
    ///
    /// When the config that applies is broken.
    pub fn file_settings(&self, path: &Path, display: &str) -> Result<FileSettings, ConfigError> {
        resolve(&self.configs, &self.base, path, display)
    }

    /// The settings of things that belong to no linted file (configs, baselines): the
    /// command line only.
    fn run_settings(&self) -> Settings {
        self.base.plain().clone()
    }

    fn reads_stdin(&self) -> bool {
        self.paths.iter().any(|p| p.as_os_str() == "-")
    }
}

/// One input after linting and fixing, before its report is rendered.
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
    /// The settings it was linted with.
    settings: Option<FileSettings>,
    /// An input (not a config or baseline file reported for its own findings).
    input: bool,
}

/// Prints a tool error to stderr.
#[expect(clippy::print_stderr, reason = "the command reports its own failures on stderr")]
pub fn error(message: &str) {
    eprintln!("ctelint: error: {message}");
}

/// Lints a file once more with the findings across files about it (given its first summary).
type Again<'a> = dyn Fn(&summary::Summary, Vec<Diagnostic>, bool) -> Option<summary::Summary> + 'a;

/// Runs `check` (or `delete-check`).
pub fn run(options: &Options) -> Status {
    let baseline = match &options.baseline {
        Some(path) if !options.update_baseline => match suppress::Baseline::load(path) {
            Ok(baseline) => Some(baseline),
            Err(message) => {
                error(&message);
                return Status::Error;
            }
        },
        _ => None,
    };
    let mut run = summary::Run::new(options, baseline);
    let mut emitter = match report::Emitter::new(options, &run) {
        Ok(emitter) => emitter,
        Err(e) => {
            error(&format!("cannot write the output: {e}"));
            return Status::Error;
        }
    };
    let mut books = summary::Bookkeeping::new(&run);
    // Duplicate names are found as files are reported; not when nothing is, and the exit
    // status follows the fixes. Without fixes a file's second lint is its first one, so a
    // worker adds its guess of the findings across files to the first (with fixes, they are
    // found on the fixed file).
    let registry = (!matches!(options.fix_mode, FixMode::Diff | FixMode::FixOnly))
        .then(|| stream::Registry::new(options.run_settings()));
    let workers_guess = options.fix_mode == FixMode::Report;
    let mut take = |file: usize, mut summary: summary::Summary, again: &Again<'_>| {
        let names = std::mem::take(&mut summary.names);
        if let Some(registry) = &registry {
            settle_cross_file(registry, file, &names, &mut summary, again);
        }
        books.add(&mut summary);
        emitter.file(summary);
    };
    if options.reads_stdin() {
        let outcome = match read_stdin(options) {
            Ok(outcome) => outcome,
            Err(failure) => return failure.report(),
        };
        let again = |summary: &summary::Summary, found, always| {
            with_cross_file(&run, summary.stdin.as_ref()?.lint_again(options)?, found, always)
        };
        take(0, run.summarize_stdin(outcome), &again);
    } else {
        let mut entries = match select(options) {
            Ok(entries) => entries,
            Err(failure) => return failure.report(),
        };
        if let Some(report) = &options.output_file {
            // The report is written while files are read: it is not one of them.
            let target = walk::resolved(report);
            entries.retain(|entry| match entry {
                Entry::File { path, .. } => path.file_name() != target.file_name() || walk::resolved(path) != target,
                Entry::Error { .. } => true,
            });
        }
        if let Some(registry) = &registry {
            registry.reserve(entries.len());
        }
        let lint =
            |index: usize, entry: &Entry| first_summary(&run, options, registry.as_ref(), workers_guess, index, entry);
        let failed = |entry: &Entry| {
            let mut outcome = unreadable(entry.display(), "internal error".to_owned(), &options.run_settings());
            outcome.problems.push(format!(
                "{}: internal error while linting; its findings are missing",
                entry.display()
            ));
            run.summarize(outcome, Vec::new())
        };
        stream::in_order(&entries, lint, failed, |file, summary| {
            let again = |_: &summary::Summary, found, always| {
                with_cross_file(
                    &run,
                    lint_entry(&entries[file], options, FixMode::Report),
                    found,
                    always,
                )
            };
            take(file, summary, &again);
        });
    }
    match run.finish(books) {
        Ok(extra) => {
            for summary in extra {
                emitter.file(summary);
            }
            emitter.finish()
        }
        Err(message) => {
            error(&message);
            Status::Error
        }
    }
}

/// Gives the summary of file number `file` its findings across files in file order: a worker's
/// guess stands when it used the same first occurrences (the findings are then not worked out
/// again); otherwise the file is linted again, even to take findings away.
fn settle_cross_file(
    registry: &stream::Registry,
    file: usize,
    names: &[KeyName],
    summary: &mut summary::Summary,
    again: &Again<'_>,
) {
    let earlier = registry.earlier(file, names);
    let guessed = summary.guessed.take();
    let always = guessed.is_some();
    if guessed.is_some_and(|guessed| guessed == stream::keys(&earlier)) {
        return;
    }
    let found = registry.found(file, &earlier, names);
    if (always || !found.is_empty())
        && let Some(redone) = again(summary, found, always)
    {
        summary.replace_report(redone);
    }
}

/// A file's summary as its worker makes it. Its names are registered for the findings across
/// files; if it `guesses`, those findings as far as they are known now are added.
fn first_summary(
    run: &summary::Run<'_>,
    options: &Options,
    registry: Option<&stream::Registry>,
    guesses: bool,
    index: usize,
    entry: &Entry,
) -> summary::Summary {
    let outcome = lint_entry(entry, options, options.fix_mode);
    match registry {
        Some(registry) if guesses => {
            let (found, earlier) = registry.guess(index, &outcome.names);
            let found = enabled_for(&outcome, found);
            let mut summary = run.summarize(outcome, found);
            summary.guessed = Some(earlier);
            summary
        }
        Some(registry) => {
            registry.register(index, &outcome.names);
            run.summarize(outcome, Vec::new())
        }
        None => run.summarize(outcome, Vec::new()),
    }
}

/// The summary of a file linted again with the findings across files about it (those its own
/// settings enable), if any remain or `always`.
fn with_cross_file(
    run: &summary::Run<'_>,
    outcome: Outcome,
    found: Vec<Diagnostic>,
    always: bool,
) -> Option<summary::Summary> {
    outcome.settings.as_ref()?;
    let found = enabled_for(&outcome, found);
    (always || !found.is_empty()).then(|| run.summarize(outcome, found))
}

/// The findings across files about a file that its own settings enable.
fn enabled_for(outcome: &Outcome, found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    match &outcome.settings {
        Some(settings) => found
            .into_iter()
            .filter(|d| settings.settings.is_enabled(d.rule))
            .collect(),
        None => Vec::new(),
    }
}

/// Why a run could not start.
enum Failure {
    Message(String),
    Config(ConfigError),
}

impl Failure {
    /// Tells the user, and ends the run with exit 2.
    fn report(self) -> Status {
        match self {
            Self::Message(message) => error(&message),
            Self::Config(config) => render_config_error(&config),
        }
        Status::Error
    }
}

/// The files to lint: walked directories filtered by `include` and
/// `exclude` of their config; named files always, unless `--force-exclude` applies `exclude`.
/// (The configs of every file's folder are loaded here, so a broken one stops the run before
/// anything is linted and the settings lookups that follow cannot fail.)
fn select(options: &Options) -> Result<Vec<Entry>, Failure> {
    // Directories are walked on several threads: of the broken configs met, the one of the
    // first file (by path) is reported, whichever thread met it.
    let config_error: Mutex<Option<(PathBuf, ConfigError)>> = Mutex::new(None);
    let filter = |path: &Path, explicit: bool| {
        let config = match options.configs.config_for(path) {
            Ok(config) => config,
            Err(e) => {
                let mut first = config_error.lock().unwrap_or_else(PoisonError::into_inner);
                if first.as_ref().is_none_or(|(earlier, _)| path < earlier.as_path()) {
                    *first = Some((path.to_path_buf(), e));
                }
                return false;
            }
        };
        let Some(config) = config else {
            return explicit || walk::is_included(path);
        };
        let absolute = options.configs.resolved(path);
        let excluded = config.exclude.iter().any(|p| p.matches(&absolute));
        if explicit {
            return !(options.force_exclude && excluded);
        }
        let included = if config.include.is_empty() {
            walk::is_included(path)
        } else {
            config.include.iter().any(|p| p.matches(&absolute))
        };
        included && !excluded
    };
    let entries = walk::collect(&options.paths, options.force_exclude, &filter)
        .map_err(|walk::MissingPath(path)| Failure::Message(format!("path `{}` does not exist", path.display())))?;
    if let Some((_, e)) = config_error.into_inner().unwrap_or_else(PoisonError::into_inner) {
        return Err(Failure::Config(e));
    }
    Ok(entries)
}

/// Reads and lints a walked or named file, or reports why it cannot be.
fn lint_entry(entry: &Entry, options: &Options, fix_mode: FixMode) -> Outcome {
    let settings = match entry {
        Entry::File { path, display, .. } => options.file_settings(path, display).ok(),
        Entry::Error { .. } => None,
    };
    process_entry(entry, settings.as_ref(), options, fix_mode)
}

fn process_entry(entry: &Entry, settings: Option<&FileSettings>, options: &Options, fix_mode: FixMode) -> Outcome {
    match (entry, settings) {
        (Entry::File { path, display, regular }, Some(settings)) => {
            let read = if *regular {
                walk::read_walked
            } else {
                walk::read_limited
            };
            match read(path, options.max_file_size) {
                Ok(bytes) => {
                    let mut outcome = process(display, Some(path), bytes, settings, options, fix_mode);
                    // Only stdin's bytes are echoed back; a file's are not needed any more.
                    outcome.bytes = Vec::new();
                    outcome
                }
                Err(walk::ReadError(message)) => unreadable(display, message, &settings.settings),
            }
        }
        (Entry::File { display, .. }, None) => unreadable(
            display,
            "no settings could be resolved".to_owned(),
            &options.run_settings(),
        ),
        (Entry::Error { display, message }, _) => unreadable(display, message.clone(), &options.run_settings()),
    }
}

fn read_stdin(options: &Options) -> Result<Outcome, Failure> {
    let display = options
        .stdin_filename
        .as_deref()
        .map_or_else(|| "-".to_owned(), walk::display_path);
    let path = options.stdin_filename.clone().unwrap_or_else(|| PathBuf::from("-"));
    let settings = options.file_settings(&path, &display).map_err(Failure::Config)?;
    if options.force_exclude
        && let Some(config) = &settings.config
    {
        let absolute = crate::walk::resolved(&path);
        if config.exclude.iter().any(|p| p.matches(&absolute)) || walk::is_ignored(&path) {
            let mut bytes = Vec::new();
            io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure::Message(format!("cannot read stdin: {e}")))?;
            let mut outcome = Outcome::from_report(
                FileReport {
                    source: SourceFile::new(display, String::new()),
                    diagnostics: Vec::new(),
                },
                None,
            );
            outcome.bytes = bytes;
            return Ok(outcome);
        }
    }
    let mut bytes = Vec::new();
    io::stdin()
        .take(options.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| Failure::Message(format!("cannot read stdin: {e}")))?;
    if bytes.len() as u64 > options.max_file_size {
        let limit = options.max_file_size;
        let message = format!("stdin is over the size limit of {limit} bytes (raise it with `--max-file-size`)");
        return Ok(unreadable(&display, message, &settings.settings));
    }
    Ok(process(&display, None, bytes, &settings, options, options.fix_mode))
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
    Outcome::from_report(
        FileReport {
            source: SourceFile::new(display, String::new()),
            diagnostics,
        },
        None,
    )
}

impl Outcome {
    fn from_report(report: FileReport, settings: Option<FileSettings>) -> Self {
        Self {
            report,
            skipped: false,
            problems: Vec::new(),
            original: None,
            fixed: None,
            applied: Vec::new(),
            bytes: Vec::new(),
            names: Vec::new(),
            settings,
            input: true,
        }
    }

    /// The outcome of a lint, with its secrets masked in everything it will show.
    fn of(mut result: FileResult, bytes: Vec<u8>, settings: &FileSettings) -> Self {
        let problems = result
            .internal_errors
            .iter()
            .map(|code| {
                format!(
                    "{}: rule {code} panicked; its findings are incomplete",
                    result.source.name()
                )
            })
            .collect();
        let skipped = result.parsed && result.requests == 0;
        let names = std::mem::take(&mut result.names);
        let (mut source, diagnostics) = result.into_shown();
        if diagnostics.is_empty() {
            // Nothing to show from this file: keep its name, not its text, so memory follows the
            // findings rather than the number of files.
            source = SourceFile::new(source.name(), String::new());
        }
        let mut outcome = Self::from_report(FileReport { source, diagnostics }, Some(settings.clone()));
        outcome.problems = problems;
        outcome.skipped = skipped;
        outcome.bytes = bytes;
        outcome.names = names;
        outcome
    }
}

/// Lints one input and, in a fixing mode, fixes it (writing the file for `--fix` and
/// `--fix-only`).
fn process(
    display: &str,
    path: Option<&PathBuf>,
    bytes: Vec<u8>,
    file: &FileSettings,
    options: &Options,
    fix_mode: FixMode,
) -> Outcome {
    let settings = &file.settings;
    if let Some(deletion) = &options.deletion {
        return Outcome::of(linter::lint_records(display, &bytes, settings, deletion), bytes, file);
    }
    let dialect = file.dialect;
    let result = linter::lint_bytes(display, &bytes, dialect, settings);
    let policy = FixPolicy {
        safe: true,
        ..file.policy.clone()
    };
    let wants_fixing =
        fix_mode != FixMode::Report && result.parsed && result.diagnostics.iter().any(|d| policy.allows(d));
    if !wants_fixing {
        return Outcome::of(result, bytes, file);
    }
    let original = result.source.text().to_owned();
    let fixed = fixer::fix(display, &original, dialect, settings, &policy);
    if let Some(failure) = fixed.failure {
        let mut outcome = Outcome::of(result, bytes, file);
        outcome.problems.push(format!("{display}: {failure}"));
        return outcome;
    }
    if fixed.applied.is_empty() {
        return Outcome::of(result, bytes, file);
    }
    let mut outcome = Outcome::of(
        linter::lint_bytes(display, fixed.text.as_bytes(), dialect, settings),
        bytes,
        file,
    );
    if let Some(path) = path
        && matches!(fix_mode, FixMode::Fix | FixMode::FixOnly)
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

/// An applied fix with the secrets of the text it was applied to masked.
fn scrubbed(mut applied: Applied, original: &str) -> Applied {
    applied.message = redact::scrub(&applied.message, original);
    for (before, after) in &mut applied.changes {
        *before = redact::scrub(before, original);
        *after = redact::scrub(after, original);
    }
    applied
}
