//! The command line: the only module that knows clap. It turns arguments into settings, runs
//! file selection and the linter, hands the results to `output`, and decides the exit code.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use rayon::prelude::*;

use crate::diagnostic::{Diagnostic, Severity};
use crate::docs;
use crate::json::{Pointer, Span};
use crate::linter::{self, FileResult};
use crate::output::{self, FileReport, Format, Style};
use crate::profile::Profile;
use crate::rules;
use crate::settings::{Selection, Selector, Settings};
use crate::source::SourceFile;
use crate::walk::{self, Entry};

/// Lint CipherTrust Manager keys2 request bodies for CipherTrust Transparent Encryption.
#[derive(Debug, Parser)]
#[command(name = "ctelint", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Lint key requests in files and directories (the default command).
    Check(CheckArgs),
    /// Print a rule's documentation.
    Rule(RuleArgs),
    /// List every rule: code, name, default severity, fix, summary.
    Rules(RulesArgs),
}

/// How `rule` and `rules` print.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum DocFormat {
    /// Plain text (Markdown for `rule`).
    #[default]
    Text,
    /// Markdown.
    Markdown,
    /// JSON.
    Json,
}

#[derive(Debug, Args)]
struct RuleArgs {
    /// The rule's code (`CTE203`) or name (`unexportable-key`).
    #[arg(required_unless_present = "all")]
    rule: Option<String>,
    /// Print every rule's documentation.
    #[arg(long, conflicts_with = "rule")]
    all: bool,
    /// How to print it.
    #[arg(long, value_enum, default_value_t)]
    output_format: DocFormat,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// How to print the table.
    #[arg(long, value_enum, default_value_t)]
    output_format: DocFormat,
}

/// When to colour text output.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour when stdout is a terminal, unless `NO_COLOR` is set (`FORCE_COLOR` forces it).
    #[default]
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

#[derive(Debug, Args)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "each flag is one independent command-line switch"
)]
struct CheckArgs {
    /// Files or directories to lint; `-` reads one document from stdin.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// The policy or GuardPoint type the keys are for.
    #[arg(long, value_enum, default_value_t)]
    profile: Profile,
    /// Rules to enable instead of the defaults: codes, names, code prefixes or `ALL`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Option<Vec<String>>,
    /// Rules to enable on top of the selection.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    extend_select: Vec<String>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    output_format: Format,
    /// Write findings to this file instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// The path stdin stands for (for dialect, settings and output).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Apply ignore files to files named on the command line too (as pre-commit needs).
    #[arg(long)]
    force_exclude: bool,
    /// Exit 0 even when findings remain (still 2 when the tool fails).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only, no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Print nothing; only the exit code tells.
    #[arg(short, long, conflicts_with = "quiet")]
    silent: bool,
    /// Also list skipped files (JSON that holds no key request) on stderr.
    #[arg(short, long)]
    verbose: bool,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t)]
    color: ColorChoice,
    /// Files larger than this are reported (CTE000) instead of read; accepts K, M, G, KiB, MiB, GiB.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = parse_size)]
    max_file_size: u64,
    /// Ignore configuration files.
    #[arg(long)]
    isolated: bool,
}

/// How a run ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    /// Nothing at or above the failure threshold.
    Success,
    /// Findings at or above the threshold remain.
    Failure,
    /// The tool could not do its job.
    Error,
}

impl From<Status> for ExitCode {
    fn from(status: Status) -> Self {
        match status {
            Status::Success => ExitCode::SUCCESS,
            Status::Failure => ExitCode::from(1),
            Status::Error => ExitCode::from(2),
        }
    }
}

/// Parses `16MiB`, `512K`, `1000`.
fn parse_size(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.find(|c: char| !c.is_ascii_digit()).unwrap_or(text.len());
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size such as 16MiB or 1000000"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" => 1000,
        "kib" => 1 << 10,
        "m" | "mb" => 1_000_000,
        "mib" => 1 << 20,
        "g" | "gb" => 1_000_000_000,
        "gib" => 1 << 30,
        other => return Err(format!("unknown size unit `{other}`: use K, M, G, KiB, MiB or GiB")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

/// `ctelint` with no subcommand, or with paths and flags first, means `ctelint check`.
fn with_default_command(args: Vec<OsString>) -> Vec<OsString> {
    const COMMANDS: [&str; 4] = ["check", "rule", "rules", "help"];
    let first = args.get(1).and_then(|a| a.to_str());
    let explicit = first.is_some_and(|a| COMMANDS.contains(&a) || matches!(a, "-h" | "--help" | "-V" | "--version"));
    if explicit {
        return args;
    }
    let mut out = args;
    out.insert(1.min(out.len()), OsString::from("check"));
    out
}

/// Runs the command line and returns the exit code.
pub fn main() -> ExitCode {
    let cli = Cli::parse_from(with_default_command(std::env::args_os().collect()));
    match cli.command {
        Command::Check(args) => check(&args).into(),
        Command::Rule(args) => rule(&args).into(),
        Command::Rules(args) => print(&rules_table(args.output_format)).into(),
    }
}

/// Writes `text` to stdout; a closed pipe is not an error.
fn print(text: &str) -> Status {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            error(&format!("cannot write the output: {e}"));
            Status::Error
        }
        _ => Status::Success,
    }
}

fn rule_json(meta: &crate::rule::RuleMeta) -> serde_json::Value {
    serde_json::json!({
        "code": meta.code,
        "name": meta.name,
        "severity": meta.severity.as_str(),
        "default_enabled": meta.default_enabled,
        "fix": docs::fix_label(meta),
        "summary": meta.summary(),
        "explanation": meta.documentation(),
        "url": meta.url(),
    })
}

fn rule(args: &RuleArgs) -> Status {
    let metas: Vec<&crate::rule::RuleMeta> = if args.all {
        rules::all().map(crate::rule::Rule::meta).collect()
    } else {
        let name = args.rule.as_deref().unwrap_or_default();
        let Some(meta) = rules::find(name).or_else(|| rules::find(&name.to_ascii_uppercase())) else {
            error(&format!("unknown rule `{name}`: `ctelint rules` lists them"));
            return Status::Error;
        };
        vec![meta]
    };
    let text = if args.output_format == DocFormat::Json {
        let values: Vec<serde_json::Value> = metas.iter().map(|m| rule_json(m)).collect();
        let value = if args.all {
            serde_json::Value::Array(values)
        } else {
            values.into_iter().next().unwrap_or_default()
        };
        format!("{value:#}\n")
    } else {
        metas
            .iter()
            .map(|m| docs::rule_markdown(m))
            .collect::<Vec<_>>()
            .join("\n")
    };
    print(&text)
}

fn rules_table(format: DocFormat) -> String {
    match format {
        DocFormat::Markdown => docs::rules_table_markdown(),
        DocFormat::Json => {
            let values: Vec<serde_json::Value> = rules::all().map(|r| rule_json(r.meta())).collect();
            format!("{:#}\n", serde_json::Value::Array(values))
        }
        DocFormat::Text => {
            let mut out = String::new();
            for rule in rules::all() {
                let meta = rule.meta();
                let _ = writeln!(
                    out,
                    "{}  {:<32} {:<26} {:<9} {}",
                    meta.code,
                    meta.name,
                    docs::severity_label(meta),
                    docs::fix_label(meta),
                    meta.summary()
                );
            }
            out
        }
    }
}

/// Prints a usage or tool error to stderr.
#[expect(clippy::print_stderr, reason = "the command line reports its own failures on stderr")]
fn error(message: &str) {
    eprintln!("ctelint: error: {message}");
}

fn selection(args: &CheckArgs) -> Result<Selection, String> {
    let parse = |list: &[String]| list.iter().map(|s| Selector::parse(s)).collect::<Result<Vec<_>, _>>();
    Ok(Selection {
        select: args.select.as_deref().map(parse).transpose()?,
        extend_select: parse(&args.extend_select)?,
        ignore: parse(&args.ignore)?,
    })
}

/// A CTE000 finding for a file that could not be read or walked.
fn io_error_report(display: &str, message: String, settings: &Settings) -> FileReport {
    let diagnostics = if settings.is_enabled(rules::IO_ERROR) {
        let mut diagnostic = Diagnostic::new(rules::IO_ERROR, Pointer::root(), Span::default(), message);
        diagnostic.help("make the file readable, raise `--max-file-size`, or exclude the path");
        if let Some(severity) = settings.severity_override(rules::IO_ERROR) {
            diagnostic.severity = severity;
        }
        vec![diagnostic]
    } else {
        Vec::new()
    };
    FileReport {
        source: SourceFile::new(display, String::new()),
        diagnostics,
    }
}

/// One linted input: its report and what the summary needs to know about it.
struct Outcome {
    report: FileReport,
    skipped: bool,
    internal_errors: Vec<&'static str>,
}

impl From<FileResult> for Outcome {
    fn from(result: FileResult) -> Self {
        Self {
            skipped: result.parsed && result.requests == 0,
            internal_errors: result.internal_errors,
            report: FileReport {
                source: result.source,
                diagnostics: result.diagnostics,
            },
        }
    }
}

fn lint_entry(entry: &Entry, settings: &Settings, max_file_size: u64) -> Outcome {
    match entry {
        Entry::File { path, display } => match walk::read_limited(path, max_file_size) {
            Ok(bytes) => linter::lint_bytes(display, &bytes, linter::dialect_for(display), settings).into(),
            Err(walk::ReadError(message)) => Outcome {
                report: io_error_report(display, message, settings),
                skipped: false,
                internal_errors: Vec::new(),
            },
        },
        Entry::Error { display, message } => Outcome {
            report: io_error_report(display, message.clone(), settings),
            skipped: false,
            internal_errors: Vec::new(),
        },
    }
}

fn read_stdin(args: &CheckArgs, settings: &Settings) -> Result<Vec<Outcome>, String> {
    let display = args
        .stdin_filename
        .as_deref()
        .map_or_else(|| "-".to_owned(), walk::display_path);
    let mut bytes = Vec::new();
    io::stdin()
        .take(args.max_file_size + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read stdin: {e}"))?;
    if bytes.len() as u64 > args.max_file_size {
        let message = format!(
            "stdin is over the size limit of {} bytes (raise it with `--max-file-size`)",
            args.max_file_size
        );
        return Ok(vec![Outcome {
            report: io_error_report(&display, message, settings),
            skipped: false,
            internal_errors: Vec::new(),
        }]);
    }
    Ok(vec![
        linter::lint_bytes(&display, &bytes, linter::dialect_for(&display), settings).into(),
    ])
}

fn use_color(choice: ColorChoice, to_terminal: bool) -> bool {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0");
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto if set("NO_COLOR") => false,
        ColorChoice::Auto if set("FORCE_COLOR") => true,
        ColorChoice::Auto => to_terminal,
    }
}

fn check(args: &CheckArgs) -> Status {
    let selection = match selection(args) {
        Ok(selection) => selection,
        Err(message) => {
            error(&message);
            return Status::Error;
        }
    };
    let settings = Settings::new(args.profile, &selection, Vec::new());
    let outcomes = if args.paths.iter().any(|p| p.as_os_str() == "-") {
        match read_stdin(args, &settings) {
            Ok(outcomes) => outcomes,
            Err(message) => {
                error(&message);
                return Status::Error;
            }
        }
    } else {
        let entries = match walk::collect(&args.paths, args.force_exclude) {
            Ok(entries) => entries,
            Err(walk::MissingPath(path)) => {
                error(&format!("path `{}` does not exist", path.display()));
                return Status::Error;
            }
        };
        entries
            .par_iter()
            .map(|entry| lint_entry(entry, &settings, args.max_file_size))
            .collect()
    };
    report(args, &outcomes)
}

fn report(args: &CheckArgs, outcomes: &[Outcome]) -> Status {
    let internal = outcomes.iter().flat_map(|o| &o.internal_errors).count();
    let failed = outcomes
        .iter()
        .flat_map(|o| &o.report.diagnostics)
        .any(|d| d.severity >= Severity::Error);
    if args.verbose {
        for outcome in outcomes.iter().filter(|o| o.skipped) {
            verbose(&format!(
                "skipped {}: no key request in it",
                outcome.report.source.name()
            ));
        }
    }
    if !args.silent {
        let reports: Vec<&FileReport> = outcomes.iter().map(|o| &o.report).collect();
        if let Err(error_) = emit(args, &reports, outcomes) {
            if error_.kind() == io::ErrorKind::BrokenPipe {
                return Status::Success;
            }
            error(&format!("cannot write the output: {error_}"));
            return Status::Error;
        }
    }
    if internal > 0 {
        error(&format!(
            "{internal} internal error(s) occurred; the findings above are incomplete"
        ));
        Status::Error
    } else if failed && !args.exit_zero {
        Status::Failure
    } else {
        Status::Success
    }
}

#[expect(clippy::print_stderr, reason = "-v lists skipped files on stderr")]
fn verbose(message: &str) {
    eprintln!("{message}");
}

fn emit(args: &CheckArgs, reports: &[&FileReport], outcomes: &[Outcome]) -> io::Result<()> {
    let to_file = args.output_file.is_some();
    let mut out: Box<dyn Write> = match &args.output_file {
        Some(path) => Box::new(io::BufWriter::new(std::fs::File::create(path)?)),
        None => Box::new(io::BufWriter::new(io::stdout().lock())),
    };
    let to_terminal = !to_file && io::stdout().is_terminal();
    let width = if to_terminal {
        terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
    } else {
        100
    };
    let style = Style {
        color: !to_file && use_color(args.color, to_terminal),
        width,
    };
    output::write(&mut out, args.output_format, reports, style)?;
    if !args.quiet && matches!(args.output_format, Format::Full | Format::Concise) {
        writeln!(out, "{}", summary(outcomes))?;
    }
    out.flush()
}

fn plural(count: usize, word: &str) -> String {
    format!("{count} {word}{}", if count == 1 { "" } else { "s" })
}

/// `Found 2 errors and 1 warning in 1 file (3 files checked, 1 skipped: no key request).`
fn summary(outcomes: &[Outcome]) -> String {
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
    let fixable = diagnostics
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == crate::fix::Applicability::Safe)
        })
        .count();
    let fix_note = if fixable > 0 {
        format!("\n[*] {} fixable with `--fix`.", plural(fixable, "finding"))
    } else {
        String::new()
    };
    format!(
        "Found {listed} in {} ({checked}).{fix_note}",
        plural(files_with, "file")
    )
}
