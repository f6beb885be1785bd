//! The command line: the only module that knows clap. It turns arguments into settings, runs
//! file selection and the linter, hands the results to `output`, and decides the exit code.

use std::ffi::OsString;
use std::fmt::Write as _;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::check::{self, Base, FixMode, Status};
use crate::config::{Resolver, Source as ConfigSource};
use crate::delete::Deletion;
use crate::docs;
use crate::fix::fixer::FixPolicy;
use crate::output::Format;
use crate::profile::Profile;
use crate::rule::Scope;
use crate::rules;
use crate::settings::{Selection, Selector};

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
    /// Would `DELETE /v1/vault/keys2/{id}` of these keys be refused? Reads saved key records.
    DeleteCheck(DeleteArgs),
    /// Print the JSON Schema of a keys2 create request (for editors).
    Schema,
    /// Run the language server on stdio (diagnostics, quick fixes, fix-all).
    Server,
    /// Show the settings that apply to a file and which config file they come from.
    Config(ConfigArgs),
    /// Print shell completions.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print a rule's documentation.
    Rule(RuleArgs),
    /// List every rule: code, name, default severity, fix, summary.
    Rules(RulesArgs),
}

#[derive(Debug, Args)]
struct ConfigArgs {
    /// The file whose settings to show; the other flags of `check` apply as they would there.
    #[command(flatten)]
    check: CheckArgs,
}

#[derive(Debug, Args)]
struct DeleteArgs {
    /// Key records as CipherTrust Manager returns them (`GET /v1/vault/keys2/{id}`, or a list
    /// response with `resources`); files or directories.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    report: ReportArgs,
    /// CTE policy files whose key rules (`key_rules`, `ldt_key_rules`, `idt_key_rules`) may use
    /// the keys.
    #[arg(long, value_name = "PATH", num_args = 1..)]
    policies: Vec<PathBuf>,
    /// The groups of the user who will delete, comma-separated ("Key Admins,CTE Admins").
    #[arg(long, value_name = "GROUPS", value_delimiter = ',')]
    as_groups: Option<Vec<String>>,
    /// Rules to enable instead of the defaults.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Option<Vec<String>>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
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

/// Flags that `check` and `delete-check` share: how findings are printed and how the run ends.
#[derive(Debug, Args)]
struct ReportArgs {
    /// How to print findings.
    #[arg(long, value_enum, default_value_t)]
    output_format: Format,
    /// Write findings to this file instead of stdout.
    #[arg(short = 'o', long, value_name = "FILE")]
    output_file: Option<PathBuf>,
    /// Exit 0 even when findings remain (still 2 when the tool fails).
    #[arg(long)]
    exit_zero: bool,
    /// Print findings only, no summary.
    #[arg(short, long)]
    quiet: bool,
    /// Print nothing; only the exit code tells.
    #[arg(short, long, conflicts_with = "quiet")]
    silent: bool,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t)]
    color: ColorChoice,
    /// Files larger than this are reported (CTE000) instead of read; accepts K, M, G, KiB, MiB, GiB.
    #[arg(long, value_name = "SIZE", default_value = "16MiB", value_parser = parse_size)]
    max_file_size: u64,
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
    #[command(flatten)]
    report: ReportArgs,
    /// The policy or GuardPoint type the keys are for (beats `profile` in ctelint.toml).
    #[arg(long, value_enum)]
    profile: Option<Profile>,
    /// Rules to enable instead of the defaults: codes, names, code prefixes or `ALL`.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    select: Option<Vec<String>>,
    /// Rules to enable on top of the selection.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    extend_select: Vec<String>,
    /// Rules to disable.
    #[arg(long, value_delimiter = ',', value_name = "RULE")]
    ignore: Vec<String>,
    /// The path stdin stands for (for dialect, settings and output).
    #[arg(long, value_name = "PATH")]
    stdin_filename: Option<PathBuf>,
    /// Apply ignore files to files named on the command line too (as pre-commit needs).
    #[arg(long)]
    force_exclude: bool,
    /// Also list skipped files (JSON that holds no key request) on stderr.
    #[arg(short, long)]
    verbose: bool,
    /// Ignore configuration files.
    #[arg(long, conflicts_with = "config")]
    isolated: bool,
    /// Use this configuration file for every file (no discovery).
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Print counts per rule instead of the findings.
    #[arg(long)]
    statistics: bool,
    /// Findings recorded in this baseline file do not fail the run.
    #[arg(long, value_name = "FILE")]
    baseline: Option<PathBuf>,
    /// Write the current findings to the `--baseline` file.
    #[arg(long, requires = "baseline")]
    update_baseline: bool,
    /// Print the settings that apply to FILE, and where they come from, then exit.
    #[arg(long, value_name = "FILE")]
    show_settings: Option<PathBuf>,
    /// Apply safe fixes (and, with the flags below, unsafe and sensitive ones) and write them.
    #[arg(long)]
    fix: bool,
    /// Also apply unsafe fixes (they change what key gets created).
    #[arg(long)]
    unsafe_fixes: bool,
    /// Allow the sensitive fixes of this rule (code or name); repeatable.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    allow_sensitive_fix: Vec<String>,
    /// Print a unified diff of what `--fix` would change; write nothing (exit 1 if not empty).
    #[arg(long, conflicts_with_all = ["fix", "fix_only"])]
    diff: bool,
    /// Fix, and report nothing about what remains.
    #[arg(long)]
    fix_only: bool,
    /// List every fix that was applied.
    #[arg(long)]
    show_fixes: bool,
    /// Exit 1 when anything was fixed, even if nothing remains.
    #[arg(long)]
    exit_non_zero_on_fix: bool,
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
    let command = <Cli as clap::CommandFactory>::command();
    let first = args.get(1).and_then(|a| a.to_str());
    let explicit = first.is_some_and(|a| {
        a == "help"
            || command.get_subcommands().any(|c| c.get_name() == a)
            || matches!(a, "-h" | "--help" | "-V" | "--version")
    });
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
        Command::Check(args) if args.show_settings.is_some() => show_settings(&args).into(),
        Command::Check(args) => match check_options(&args) {
            Ok(options) => check::run(&options).into(),
            Err(message) => {
                error(&message);
                Status::Error.into()
            }
        },
        Command::DeleteCheck(args) => match delete_options(&args) {
            Ok(options) => check::run(&options).into(),
            Err(message) => {
                error(&message);
                Status::Error.into()
            }
        },
        Command::Schema => print(crate::schema::SCHEMA_TEXT).into(),
        Command::Server => crate::server::run().into(),
        Command::Config(args) => show_settings(&args.check).into(),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut command, "ctelint", &mut out);
            print(&String::from_utf8_lossy(&out)).into()
        }
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
fn error(message: &str) {
    check::error(message);
}

fn selectors(list: &[String]) -> Result<Vec<Selector>, String> {
    list.iter().map(|s| Selector::parse(s)).collect()
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

/// Where configs come from for these flags.
fn config_source(isolated: bool, config: Option<&PathBuf>) -> Result<ConfigSource, String> {
    if isolated {
        return Ok(ConfigSource::Isolated);
    }
    match config {
        Some(path) => match crate::config::load(path) {
            Ok(config) => Ok(ConfigSource::File(std::sync::Arc::new(config))),
            Err(e) => {
                check::render_config_error(&e);
                Err(String::new())
            }
        },
        None => Ok(ConfigSource::Discover),
    }
}

/// Resolves the flags of `check` into [`check::Options`].
fn check_options(args: &CheckArgs) -> Result<check::Options, String> {
    let cli = Selection {
        select: args.select.as_deref().map(selectors).transpose()?,
        extend_select: selectors(&args.extend_select)?,
        ignore: selectors(&args.ignore)?,
    };
    let sensitive = args
        .allow_sensitive_fix
        .iter()
        .map(|name| {
            rules::find(name)
                .map(|meta| meta.code)
                .ok_or_else(|| format!("unknown rule `{name}` in `--allow-sensitive-fix`: `ctelint rules` lists them"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let fix_mode = match (args.fix, args.fix_only, args.diff) {
        (_, true, _) => FixMode::FixOnly,
        (_, _, true) => FixMode::Diff,
        (true, _, _) => FixMode::Fix,
        _ => FixMode::Report,
    };
    let (width, color) = presentation(args.report.output_file.as_ref(), args.report.color);
    Ok(check::Options {
        paths: args.paths.clone(),
        stdin_filename: args.stdin_filename.clone(),
        base: Base::new(
            Scope::Create,
            args.profile,
            cli,
            FixPolicy {
                safe: false,
                unsafe_fixes: args.unsafe_fixes,
                sensitive,
            },
        ),
        configs: Resolver::new(config_source(args.isolated, args.config.as_ref())?),
        format: args.report.output_format,
        output_file: args.report.output_file.clone(),
        force_exclude: args.force_exclude,
        exit_zero: args.report.exit_zero,
        quiet: args.report.quiet,
        silent: args.report.silent,
        verbose: args.verbose,
        statistics: args.statistics,
        color,
        width,
        max_file_size: args.report.max_file_size,
        fix_mode,
        show_fixes: args.show_fixes,
        exit_non_zero_on_fix: args.exit_non_zero_on_fix,
        baseline: args.baseline.clone(),
        update_baseline: args.update_baseline,
        deletion: None,
    })
}

/// Width and colour of the report for this output destination.
fn presentation(output_file: Option<&PathBuf>, color: ColorChoice) -> (usize, bool) {
    let to_terminal = output_file.is_none() && io::stdout().is_terminal();
    let width = if to_terminal {
        terminal_size::terminal_size().map_or(100, |(w, _)| usize::from(w.0))
    } else {
        100
    };
    (width, output_file.is_none() && use_color(color, to_terminal))
}

/// Resolves the flags of `delete-check` into [`check::Options`].
fn delete_options(args: &DeleteArgs) -> Result<check::Options, String> {
    let cli = Selection {
        select: args.select.as_deref().map(selectors).transpose()?,
        extend_select: Vec::new(),
        ignore: selectors(&args.ignore)?,
    };
    let references = crate::delete::read_policies(&args.policies, args.report.max_file_size)?;
    let groups = args.as_groups.as_ref().map(|groups| {
        groups
            .iter()
            .map(|g| g.trim().to_owned())
            .filter(|g| !g.is_empty())
            .collect()
    });
    let (width, color) = presentation(args.report.output_file.as_ref(), args.report.color);
    Ok(check::Options {
        paths: args.paths.clone(),
        stdin_filename: None,
        base: Base::new(Scope::Delete, None, cli, FixPolicy::default()),
        configs: Resolver::new(ConfigSource::Isolated),
        format: args.report.output_format,
        output_file: args.report.output_file.clone(),
        force_exclude: false,
        exit_zero: args.report.exit_zero,
        quiet: args.report.quiet,
        silent: args.report.silent,
        verbose: false,
        statistics: false,
        color,
        width,
        max_file_size: args.report.max_file_size,
        fix_mode: FixMode::Report,
        show_fixes: false,
        exit_non_zero_on_fix: false,
        baseline: None,
        update_baseline: false,
        deletion: Some(Deletion { groups, references }),
    })
}

/// `check --show-settings FILE` and `config FILE`: the effective settings of one file.
fn show_settings(args: &CheckArgs) -> Status {
    let Some(path) = args.show_settings.clone().or_else(|| args.paths.first().cloned()) else {
        error("name the file whose settings to show");
        return Status::Error;
    };
    let options = match check_options(args) {
        Ok(options) => options,
        Err(message) => {
            if !message.is_empty() {
                error(&message);
            }
            return Status::Error;
        }
    };
    let display = crate::walk::display_path(&path);
    let file = match options.file_settings(&path, &display) {
        Ok(file) => file,
        Err(e) => {
            check::render_config_error(&e);
            return Status::Error;
        }
    };
    let mut out = String::new();
    let _ = writeln!(out, "Settings for {display}");
    match &file.config {
        Some(config) => {
            let chain: Vec<String> = config.chain.iter().map(|p| crate::walk::display_path(p)).collect();
            let _ = writeln!(out, "config:      {}", chain.join(" (extends) "));
        }
        None if args.isolated => {
            let _ = writeln!(out, "config:      none (--isolated)");
        }
        None => {
            let _ = writeln!(out, "config:      none found");
        }
    }
    let _ = writeln!(out, "profile:     {}", file.settings.profile);
    let _ = writeln!(out, "dialect:     {}", file.dialect.dialect());
    let _ = writeln!(
        out,
        "fixes:       safe{}{}",
        if file.policy.unsafe_fixes { ", unsafe" } else { "" },
        if file.policy.sensitive.is_empty() {
            String::new()
        } else {
            format!(", sensitive for {}", file.policy.sensitive.join(", "))
        }
    );
    let _ = writeln!(out, "rules:       {} enabled", file.settings.rules().len());
    for rule in file.settings.rules() {
        let meta = rule.meta();
        let severity = file.settings.severity_override(meta).unwrap_or(meta.severity);
        let _ = writeln!(out, "  {} {:<34} {}", meta.code, meta.name, severity.as_str());
    }
    for suppression in &file.suppressions {
        let _ = writeln!(
            out,
            "suppress:    {} at `{}` ({})",
            suppression.file.text, suppression.pointer, suppression.reason
        );
    }
    print(&out)
}
