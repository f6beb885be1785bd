//! What a run prints: the report in the chosen format (or the fixed document, or the diff),
//! the fixes applied, the summary or the statistics, and the exit status.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::summary::{Run, Summary, Tally};
use super::{FixMode, Options, Status, error};
use crate::config::ConfigError;
use crate::fix::Applicability;
use crate::output::{Format, Totals};

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
pub(super) fn finish(options: &Options, run: &Run<'_>, summaries: &[Summary]) -> Status {
    if options.verbose {
        for summary in summaries.iter().filter(|s| s.skipped) {
            note(&format!("skipped {}: no key request in it", summary.name));
        }
    }
    let written = if options.silent {
        Ok(())
    } else {
        emit(options, run, summaries)
    };
    if let Err(e) = written {
        if e.kind() == io::ErrorKind::BrokenPipe {
            return Status::Success;
        }
        error(&format!("cannot write the output: {e}"));
        return Status::Error;
    }
    let problems: Vec<&String> = summaries.iter().flat_map(|s| &s.problems).collect();
    for problem in &problems {
        error(problem);
    }
    let fixed_any = summaries.iter().any(|s| !s.applied.is_empty());
    let failed = summaries.iter().any(|s| s.tally.failing());
    if !problems.is_empty() {
        Status::Error
    } else if options.fix_mode == FixMode::Diff {
        if fixed_any { Status::Failure } else { Status::Success }
    } else if options.exit_non_zero_on_fix && fixed_any
        || failed && !options.exit_zero && options.fix_mode != FixMode::FixOnly && !options.update_baseline
    {
        Status::Failure
    } else {
        Status::Success
    }
}

/// Writes every file's rendered report in file order, inside the format's frame.
fn write_report(out: &mut dyn Write, format: Format, run: &Run<'_>, summaries: &[Summary]) -> io::Result<()> {
    let totals = Totals {
        files: summaries.len(),
        failing: summaries.iter().filter(|s| s.tally.failing()).count(),
        empty: summaries.iter().flat_map(|s| &s.parts).all(Option::is_none),
    };
    let frame = format.frame(&totals);
    out.write_all(&frame.head)?;
    let mut first = true;
    for section in 0..format.sections() {
        for part in summaries.iter().filter_map(|s| s.parts.get(section).copied().flatten()) {
            if !first {
                out.write_all(frame.separator)?;
            }
            first = false;
            run.copy(part, out)?;
        }
    }
    out.write_all(&frame.tail)
}

/// Writes what the mode calls for: the fixed document (stdin with a fixing mode), the diff, or
/// the report.
fn emit(options: &Options, run: &Run<'_>, summaries: &[Summary]) -> io::Result<()> {
    let mut stdout = io::BufWriter::new(io::stdout().lock());
    if options.fix_mode == FixMode::Diff {
        for part in summaries.iter().flat_map(|s| &s.parts).flatten() {
            run.copy(*part, &mut stdout)?;
        }
        stdout.flush()?;
        if !options.quiet {
            let count: usize = summaries.iter().map(|s| s.applied.len()).sum();
            let files = summaries.iter().filter(|s| !s.applied.is_empty()).count();
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
        for stdin in summaries.iter().filter_map(|s| s.stdin.as_ref()) {
            stdout.write_all(&stdin.document)?;
        }
        stdout.flush()?;
    }
    if options.fix_mode == FixMode::FixOnly {
        if options.show_fixes || !options.quiet {
            report_fixes(&mut io::stderr().lock(), summaries, options.show_fixes)?;
        }
        return Ok(());
    }
    let mut out: Box<dyn Write> = match (&options.output_file, document_on_stdout) {
        (Some(path), _) => Box::new(io::BufWriter::new(std::fs::File::create(path)?)),
        (None, true) => Box::new(io::stderr().lock()),
        (None, false) => Box::new(stdout),
    };
    let mut tally = Tally::default();
    for summary in summaries {
        tally.add(&summary.tally);
    }
    if options.statistics {
        write_statistics(&mut out, &tally)?;
        return out.flush();
    }
    write_report(&mut out, options.format, run, summaries)?;
    let text_format = matches!(options.format, Format::Full | Format::Concise);
    if text_format && !options.quiet {
        if options.fix_mode == FixMode::Fix || options.show_fixes {
            report_fixes(&mut out, summaries, options.show_fixes)?;
        }
        writeln!(out, "{}", summary_line(summaries, &tally))?;
    } else if options.show_fixes {
        report_fixes(&mut io::stderr().lock(), summaries, true)?;
    }
    out.flush()
}

/// `--statistics`: one line per rule, most frequent first.
fn write_statistics(out: &mut dyn Write, tally: &Tally) -> io::Result<()> {
    let mut rows: Vec<_> = tally.by_rule.iter().collect();
    rows.sort_by(|a, b| b.1.0.cmp(&a.1.0).then(a.0.cmp(b.0)));
    for ((code, name), (count, fixable)) in rows {
        writeln!(
            out,
            "{count:>5}  {code}  {}{name}",
            if *fixable { "[*] " } else { "    " }
        )?;
    }
    Ok(())
}

/// `Fixed 2 findings in 1 file.`, and with `--show-fixes` each fix, sensitive ones with their
/// before and after.
fn report_fixes(out: &mut dyn Write, summaries: &[Summary], detailed: bool) -> io::Result<()> {
    let count: usize = summaries.iter().map(|s| s.applied.len()).sum();
    if count == 0 {
        return if detailed {
            writeln!(out, "No fixes applied.")
        } else {
            Ok(())
        };
    }
    let files = summaries.iter().filter(|s| !s.applied.is_empty()).count();
    writeln!(out, "Fixed {} in {}:", plural(count, "finding"), plural(files, "file"))?;
    for summary in summaries.iter().filter(|s| !s.applied.is_empty()) {
        writeln!(out, "- {}", summary.name)?;
        if !detailed {
            continue;
        }
        for fix in &summary.applied {
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
fn summary_line(summaries: &[Summary], tally: &Tally) -> String {
    let files_with = summaries.iter().filter(|s| s.tally.findings() > 0).count();
    let linted = summaries.iter().filter(|s| s.input).count();
    let skipped = summaries.iter().filter(|s| s.skipped).count();
    let checked = format!(
        "{} checked{}",
        plural(linted, "file"),
        if skipped > 0 {
            format!(", {skipped} skipped: no key request")
        } else {
            String::new()
        }
    );
    if tally.findings() == 0 {
        return format!("No findings ({checked}).");
    }
    let parts: Vec<String> = ["error", "warning", "info"]
        .into_iter()
        .zip(tally.by_severity)
        .filter(|(_, count)| *count > 0)
        .map(|(word, count)| plural(count, word))
        .collect();
    let found = match parts.as_slice() {
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
        [] => String::new(),
    };
    let mut text = format!("Found {found} in {} ({checked}).", plural(files_with, "file"));
    if tally.fixable > 0 {
        let _ = write!(text, "\n[*] {} fixable with `--fix`.", plural(tally.fixable, "finding"));
    }
    if let Some(hint) = tally.hidden.hint() {
        let _ = write!(text, "\n{hint}");
    }
    text
}
