//! What a run prints: the report in the chosen format (or the fixed document, or the diff),
//! the fixes applied, the summary or the statistics, and the exit status.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};

use super::{FixMode, Options, Outcome, Status, error, failed};
use crate::config::ConfigError;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Applicability;
use crate::fix::fixer::FixPolicy;
use crate::output::{self, FileReport, Format, Style};
use crate::redact;

#[expect(
    clippy::print_stderr,
    reason = "-v and summaries that must not mix with stdout documents go to stderr"
)]
fn note(message: &str) {
    eprintln!("{message}");
}

/// Renders a config mistake as a code frame on stderr.
#[expect(clippy::print_stderr, reason = "config errors are reported on stderr")]
pub fn render_config_error(config: &ConfigError) {
    let mut out = String::new();
    let handler =
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor()).with_links(false);
    if handler.render_report(&mut out, config).is_err() || config.span.is_none() {
        out = format!("{config}\n");
    }
    eprint!("ctelint: error: invalid configuration\n{out}");
}

/// Prints what the run calls for and returns its status.
pub(super) fn finish(options: &Options, outcomes: &[Outcome]) -> Status {
    if options.verbose {
        for outcome in outcomes.iter().filter(|o| o.skipped) {
            note(&format!(
                "skipped {}: no key request in it",
                outcome.report.source.name()
            ));
        }
    }
    let written = if options.silent {
        Ok(())
    } else {
        emit(options, outcomes)
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
    if !problems.is_empty() {
        Status::Error
    } else if options.fix_mode == FixMode::Diff {
        if fixed_any { Status::Failure } else { Status::Success }
    } else if options.exit_non_zero_on_fix && fixed_any
        || failed(outcomes) && !options.exit_zero && options.fix_mode != FixMode::FixOnly && !options.update_baseline
    {
        Status::Failure
    } else {
        Status::Success
    }
}

/// Writes what the mode calls for: the fixed document (stdin with a fixing mode), the diff, or
/// the report.
fn emit(options: &Options, outcomes: &[Outcome]) -> io::Result<()> {
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
    let document_on_stdout = options.reads_stdin() && matches!(options.fix_mode, FixMode::Fix | FixMode::FixOnly);
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
    let style = Style {
        color: options.color,
        width: options.width,
        policy: FixPolicy {
            safe: true,
            ..options.base.policy.clone()
        },
    };
    if options.statistics {
        write_statistics(&mut out, outcomes, &style.policy)?;
        return out.flush();
    }
    let reports: Vec<&FileReport> = outcomes.iter().map(|o| &o.report).collect();
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

/// `--statistics`: one line per rule, most frequent first.
fn write_statistics(out: &mut dyn Write, outcomes: &[Outcome], policy: &FixPolicy) -> io::Result<()> {
    let mut counts: BTreeMap<(&str, &str), (usize, bool)> = BTreeMap::new();
    for diagnostic in outcomes.iter().flat_map(|o| &o.report.diagnostics) {
        let entry = counts.entry((diagnostic.rule.code, diagnostic.rule.name)).or_default();
        entry.0 += 1;
        entry.1 |= policy.allows(diagnostic);
    }
    let mut rows: Vec<_> = counts.into_iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(&b.0)));
    for ((code, name), (count, fixable)) in rows {
        writeln!(
            out,
            "{count:>5}  {code}  {}{name}",
            if fixable { "[*] " } else { "    " }
        )?;
    }
    Ok(())
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
            if fix.applicability == Applicability::Sensitive {
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
    let linted = outcomes.iter().filter(|o| o.input).count();
    let skipped = outcomes.iter().filter(|o| o.skipped).count();
    let checked = format!(
        "{} checked{}",
        plural(linted, "file"),
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
    let found = match parts.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let mut text = format!("Found {found} in {} ({checked}).", plural(files_with, "file"));
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
