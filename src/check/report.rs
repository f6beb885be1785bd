//! What a run prints: the report in the chosen format (or the fixed document, or the diff),
//! the fixes applied, the summary or the statistics, and the exit status.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::gather::{Gather, OUTPUT_BUFFER};
use super::spool::{MEMORY_BUDGET, Spool, Stored};
use super::summary::{Render, Run, Summary, Tally};
use super::{FixMode, Options, Status, error};
use crate::config::ConfigError;
use crate::fix::Applicability;
use crate::fix::fixer::Applied;
use crate::output::{Format, Framing, Totals};

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

/// Writes the report as files come, in file order, and what the end of the run calls for.
pub(super) struct Emitter<'a> {
    options: &'a Options,
    mode: Render,
    out: Gather,
    /// Standard input's fixed document goes to stdout, the report to stderr.
    document_on_stdout: bool,
    /// Sections before this one are written as files come; later ones wait in spools (the
    /// GitHub format's warnings and notices; all of JUnit, whose head counts the files).
    streamed: usize,
    waiting: Vec<(Spool, Vec<Stored>)>,
    framing: Option<Framing>,
    tally: Tally,
    files: usize,
    failing: usize,
    with_findings: usize,
    inputs: usize,
    skipped: usize,
    fixed: Vec<(String, Vec<Applied>)>,
    problems: Vec<String>,
    failure: Option<io::Error>,
}

impl<'a> Emitter<'a> {
    /// Opens the output the options ask for.
    ///
    /// # Errors
    ///
    /// When the output file cannot be created.
    pub(super) fn new(options: &'a Options, run: &Run<'_>) -> io::Result<Self> {
        let mode = run.render();
        let document_on_stdout = options.reads_stdin() && matches!(options.fix_mode, FixMode::Fix | FixMode::FixOnly);
        let writes_report = !options.silent && !matches!(options.fix_mode, FixMode::Diff | FixMode::FixOnly);
        let out = match (&options.output_file, document_on_stdout) {
            (Some(path), _) if writes_report => Gather::new(Box::new(std::fs::File::create(path)?), OUTPUT_BUFFER),
            (_, true) if options.fix_mode != FixMode::Diff => Gather::new(Box::new(io::stderr()), 0),
            _ => Gather::new(Box::new(io::stdout()), OUTPUT_BUFFER),
        };
        let (streamed, sections) = match mode {
            Render::Report(Format::Junit) => (0, 1),
            Render::Report(format) => (1, format.sections()),
            Render::Nothing | Render::Diff => (1, 1),
        };
        Ok(Self {
            options,
            mode,
            out,
            document_on_stdout,
            streamed,
            waiting: (streamed..sections)
                .map(|_| (Spool::new(MEMORY_BUDGET), Vec::new()))
                .collect(),
            framing: match mode {
                Render::Report(format) => Some(Framing::new(format)),
                Render::Nothing | Render::Diff => None,
            },
            tally: Tally::default(),
            files: 0,
            failing: 0,
            with_findings: 0,
            inputs: 0,
            skipped: 0,
            fixed: Vec::new(),
            problems: Vec::new(),
            failure: None,
        })
    }

    /// Takes the next file, in file order.
    pub(super) fn file(&mut self, summary: Summary) {
        if self.options.verbose && summary.skipped {
            note(&format!("skipped {}: no key request in it", summary.name));
        }
        self.files += 1;
        self.failing += usize::from(summary.tally.failing());
        self.with_findings += usize::from(summary.tally.findings() > 0);
        self.inputs += usize::from(summary.input);
        self.skipped += usize::from(summary.skipped);
        self.tally.add(&summary.tally);
        self.problems.extend(summary.problems);
        if !summary.applied.is_empty() {
            self.fixed.push((summary.name, summary.applied));
        }
        if self.document_on_stdout
            && let Some(stdin) = &summary.stdin
        {
            let mut stdout = io::stdout().lock();
            let written = stdout.write_all(&stdin.document).and_then(|()| stdout.flush());
            self.record(written);
        }
        let written = self.write_parts(summary.parts);
        self.record(written);
    }

    fn record(&mut self, written: io::Result<()>) {
        if let Err(e) = written
            && self.failure.is_none()
        {
            self.failure = Some(e);
        }
    }

    fn write_parts(&mut self, parts: Vec<Vec<u8>>) -> io::Result<()> {
        if self.failure.is_some() {
            return Ok(());
        }
        if self.mode == Render::Diff {
            for part in parts {
                self.out.put(part)?;
            }
            return Ok(());
        }
        let totals = self.totals();
        let Some(framing) = &mut self.framing else {
            return Ok(());
        };
        for (section, part) in parts.into_iter().enumerate().filter(|(_, p)| !p.is_empty()) {
            if section < self.streamed {
                framing.before_part(&mut self.out, &totals)?;
                self.out.put(part)?;
            } else {
                let (spool, stored) = &mut self.waiting[section - self.streamed];
                stored.push(spool.store(part)?);
            }
        }
        Ok(())
    }

    fn totals(&self) -> Totals {
        Totals {
            files: self.files,
            failing: self.failing,
            empty: false,
        }
    }

    /// Writes what waited, the frame's end, the fixes and the summary; returns the status.
    pub(super) fn finish(mut self) -> Status {
        let written = self.write_end().and_then(|()| self.out.flush());
        // The first failure counts: a write that failed earlier stopped the writing.
        if let Some(e) = self.failure.take().or(written.err()) {
            if e.kind() == io::ErrorKind::BrokenPipe {
                return Status::Success;
            }
            error(&format!("cannot write the output: {e}"));
            return Status::Error;
        }
        for problem in &self.problems {
            error(problem);
        }
        let options = self.options;
        let fixed_any = !self.fixed.is_empty();
        if !self.problems.is_empty() {
            Status::Error
        } else if options.fix_mode == FixMode::Diff {
            if fixed_any { Status::Failure } else { Status::Success }
        } else if options.exit_non_zero_on_fix && fixed_any
            || self.failing > 0
                && !options.exit_zero
                && options.fix_mode != FixMode::FixOnly
                && !options.update_baseline
        {
            Status::Failure
        } else {
            Status::Success
        }
    }

    fn write_end(&mut self) -> io::Result<()> {
        if self.failure.is_some() || self.options.silent {
            return Ok(());
        }
        let options = self.options;
        match self.mode {
            Render::Diff => {
                if !options.quiet {
                    self.out.flush()?;
                    let count: usize = self.fixed.iter().map(|(_, applied)| applied.len()).sum();
                    note(&if count == 0 {
                        "No fixes would be applied.".to_owned()
                    } else {
                        format!(
                            "Would fix {} in {}.",
                            plural(count, "finding"),
                            plural(self.fixed.len(), "file")
                        )
                    });
                }
                return Ok(());
            }
            Render::Nothing if options.fix_mode == FixMode::FixOnly => {
                if options.show_fixes || !options.quiet {
                    report_fixes(&mut io::stderr().lock(), &self.fixed, options.show_fixes)?;
                }
                return Ok(());
            }
            Render::Nothing => {
                return write_statistics(&mut self.out, &self.tally);
            }
            Render::Report(_) => self.write_waiting()?,
        }
        let text_format = matches!(options.format, Format::Full | Format::Concise);
        if text_format && !options.quiet {
            if options.fix_mode == FixMode::Fix || options.show_fixes {
                report_fixes(&mut self.out, &self.fixed, options.show_fixes)?;
            }
            let line = summary_line(&self.tally, self.with_findings, self.inputs, self.skipped);
            writeln!(self.out, "{line}")?;
        } else if options.show_fixes {
            report_fixes(&mut io::stderr().lock(), &self.fixed, true)?;
        }
        Ok(())
    }

    /// The sections that waited, and the frame's end (or the whole frame of an empty report).
    fn write_waiting(&mut self) -> io::Result<()> {
        let totals = self.totals();
        let Some(mut framing) = self.framing.take() else {
            return Ok(());
        };
        for (mut spool, stored) in std::mem::take(&mut self.waiting) {
            for part in stored {
                framing.before_part(&mut self.out, &totals)?;
                spool.copy(part, &mut self.out)?;
            }
        }
        framing.end(&mut self.out, &totals)
    }
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
fn report_fixes(out: &mut dyn Write, fixed: &[(String, Vec<Applied>)], detailed: bool) -> io::Result<()> {
    let count: usize = fixed.iter().map(|(_, applied)| applied.len()).sum();
    if count == 0 {
        return if detailed {
            writeln!(out, "No fixes applied.")
        } else {
            Ok(())
        };
    }
    writeln!(
        out,
        "Fixed {} in {}:",
        plural(count, "finding"),
        plural(fixed.len(), "file")
    )?;
    for (name, applied) in fixed {
        writeln!(out, "- {name}")?;
        if !detailed {
            continue;
        }
        for fix in applied {
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
fn summary_line(tally: &Tally, files_with: usize, linted: usize, skipped: usize) -> String {
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
