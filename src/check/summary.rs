//! What the end of a run keeps of each input. A file is linted, filtered by its suppressions
//! and the baseline, counted and rendered on the thread that read it; its text and findings are
//! then dropped, and only the rendered bytes (in the [`Spool`]) and a few counts remain.

use std::collections::{BTreeMap, HashSet};
use std::sync::{Mutex, PoisonError};

use super::spool::{MEMORY_BUDGET, Spool, Stored};
use super::suppress::{Baseline, BaselineEntry, SuppressionUse, write_baseline};
use super::{FileSettings, FixMode, Options, Outcome, process};
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::fixer::{Applied, FixPolicy};
use crate::linter;
use crate::output::{Format, HiddenFixes, Style};
use crate::redact;
use crate::rule::KeyName;

/// The counts the summary line, `--statistics` and the exit status need.
#[derive(Debug, Default)]
pub(super) struct Tally {
    /// Findings at `error`, `warning`, `info`.
    pub by_severity: [usize; 3],
    /// Findings `--fix` would fix with the flags given.
    pub fixable: usize,
    /// Fixes the flags given leave out.
    pub hidden: HiddenFixes,
    /// With `--statistics`: findings per rule, and whether `--fix` would fix one of them.
    pub by_rule: BTreeMap<(&'static str, &'static str), (usize, bool)>,
}

impl Tally {
    fn of(diagnostics: &[Diagnostic], policy: &FixPolicy, by_rule: bool) -> Self {
        let mut tally = Self::default();
        for diagnostic in diagnostics {
            tally.by_severity[match diagnostic.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Info => 2,
            }] += 1;
            let fixable = policy.allows(diagnostic);
            if fixable {
                tally.fixable += 1;
            } else {
                tally.hidden.add(diagnostic);
            }
            if by_rule {
                let entry = tally
                    .by_rule
                    .entry((diagnostic.rule.code, diagnostic.rule.name))
                    .or_default();
                entry.0 += 1;
                entry.1 |= fixable;
            }
        }
        tally
    }

    /// Adds another file's counts.
    pub(super) fn add(&mut self, other: &Self) {
        for (mine, theirs) in self.by_severity.iter_mut().zip(other.by_severity) {
            *mine += theirs;
        }
        self.fixable += other.fixable;
        self.hidden.merge(&other.hidden);
        for (rule, (count, fixable)) in &other.by_rule {
            let entry = self.by_rule.entry(*rule).or_default();
            entry.0 += count;
            entry.1 |= fixable;
        }
    }

    /// How many findings there are.
    pub(super) fn findings(&self) -> usize {
        self.by_severity.iter().sum()
    }

    /// Whether a finding is at `error`.
    pub(super) fn failing(&self) -> bool {
        self.by_severity[0] > 0
    }
}

/// Standard input, kept (a run reads it alone) to be echoed after fixing or linted again.
#[derive(Debug)]
pub(super) struct Stdin {
    display: String,
    /// The document after fixing, or as read.
    pub document: Vec<u8>,
    settings: Option<FileSettings>,
}

impl Stdin {
    /// Lints the document again, as it now is.
    pub(super) fn lint_again(&self, options: &Options) -> Option<Outcome> {
        let settings = self.settings.as_ref()?;
        Some(process(
            &self.display,
            None,
            self.document.clone(),
            settings,
            options,
            FixMode::Report,
        ))
    }
}

/// What is left of one input once its report is rendered.
#[derive(Debug)]
pub(super) struct Summary {
    /// Its display name.
    pub name: String,
    /// An input (not a config or baseline file reported for its own findings).
    pub input: bool,
    /// The input held no key request.
    pub skipped: bool,
    /// Rule panics, failed fix passes, failed writes.
    pub problems: Vec<String>,
    /// The fixes applied.
    pub applied: Vec<Applied>,
    /// The key names its requests create, for the rules across files.
    pub names: Vec<KeyName>,
    /// Its counts.
    pub tally: Tally,
    /// Its rendered report, one part per section of the format (or its diff); `None` for an
    /// empty one.
    pub parts: Vec<Option<Stored>>,
    /// Standard input's document.
    pub stdin: Option<Box<Stdin>>,
    suppressions: SuppressionUse,
    baseline_used: Vec<usize>,
    baseline_entries: Vec<BaselineEntry>,
}

impl Summary {
    /// Takes the report of a second lint (one with findings across files added); what was fixed
    /// stays as the first lint did it.
    pub(super) fn replace_report(&mut self, again: Self) {
        self.tally = again.tally;
        self.parts = again.parts;
        self.problems.extend(again.problems);
        self.suppressions.merge(again.suppressions);
        self.baseline_used.extend(again.baseline_used);
        self.baseline_entries = again.baseline_entries;
    }
}

/// What a run renders for each file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Render {
    /// Nothing (`--silent`, `--statistics`, `--fix-only`).
    Nothing,
    /// The report, in this format.
    Report(Format),
    /// What `--fix` would change.
    Diff,
}

/// The state a run shares between the threads that lint its files.
#[derive(Debug)]
pub(super) struct Run<'a> {
    options: &'a Options,
    baseline: Option<Baseline>,
    /// How text reports look.
    pub style: Style,
    render: Render,
    spool: Mutex<Spool>,
}

impl<'a> Run<'a> {
    /// A run of `options`, with the baseline already read.
    pub(super) fn new(options: &'a Options, baseline: Option<Baseline>) -> Self {
        let render = if options.fix_mode == FixMode::Diff {
            Render::Diff
        } else if options.silent || options.statistics || options.fix_mode == FixMode::FixOnly {
            Render::Nothing
        } else {
            Render::Report(options.format)
        };
        Self {
            options,
            baseline,
            style: Style {
                color: options.color,
                width: options.width,
                policy: FixPolicy {
                    safe: true,
                    ..options.base.policy.clone()
                },
            },
            render,
            spool: Mutex::new(Spool::new(MEMORY_BUDGET)),
        }
    }

    /// Filters an input's findings (plus `extra` ones found across files) by its suppressions
    /// and the baseline, counts and renders them, and keeps what the end of the run needs.
    pub(super) fn summarize(&self, outcome: Outcome, extra: Vec<Diagnostic>) -> Summary {
        let Outcome {
            mut report,
            skipped,
            mut problems,
            original,
            fixed,
            applied,
            names,
            settings,
            input,
            ..
        } = outcome;
        if !extra.is_empty() {
            report.diagnostics.extend(extra);
            linter::sort(&mut report.diagnostics);
        }
        let mut suppressions = SuppressionUse::default();
        if let Some(settings) = &settings {
            suppressions.apply(&mut report.diagnostics, &settings.suppressions);
        }
        let mut baseline_used = Vec::new();
        if input && let Some(baseline) = &self.baseline {
            baseline_used = baseline.apply(report.source.name(), &mut report.diagnostics);
        }
        let mut baseline_entries = Vec::new();
        if input && self.options.update_baseline {
            baseline_entries = BaselineEntry::of(report.source.name(), &report.diagnostics);
            report.diagnostics.clear();
        }
        let tally = Tally::of(&report.diagnostics, &self.style.policy, self.options.statistics);
        let rendered = match self.render {
            Render::Nothing => Vec::new(),
            Render::Report(format) => format.render(&report, &self.style),
            Render::Diff => match (&original, &fixed) {
                (Some(before), Some(after)) => {
                    let (before, after) = (redact::mask_text(before), redact::mask_text(after));
                    vec![diff(report.source.name(), &before, &after)]
                }
                _ => Vec::new(),
            },
        };
        let mut parts = Vec::with_capacity(rendered.len());
        {
            let mut spool = self.spool.lock().unwrap_or_else(PoisonError::into_inner);
            for part in rendered {
                if part.is_empty() {
                    parts.push(None);
                    continue;
                }
                match spool.store(part) {
                    Ok(stored) => parts.push(Some(stored)),
                    Err(e) => problems.push(format!("{}: cannot keep the report: {e}", report.source.name())),
                }
            }
        }
        Summary {
            name: report.source.name().to_owned(),
            input,
            skipped,
            problems,
            applied,
            names,
            tally,
            parts,
            stdin: None,
            suppressions,
            baseline_used,
            baseline_entries,
        }
    }

    /// [`Run::summarize`] for standard input, whose document is kept.
    pub(super) fn summarize_stdin(&self, mut outcome: Outcome) -> Summary {
        let document = match &outcome.fixed {
            Some(fixed) => fixed.clone().into_bytes(),
            None => std::mem::take(&mut outcome.bytes),
        };
        let stdin = Stdin {
            display: outcome.report.source.name().to_owned(),
            document,
            settings: outcome.settings.clone(),
        };
        let mut summary = self.summarize(outcome, Vec::new());
        summary.stdin = Some(Box::new(stdin));
        summary
    }

    /// After every input: reports suppressions and baseline entries that matched nothing
    /// (CTE901, as summaries of their own after the inputs) and writes the baseline for
    /// `--update-baseline`.
    ///
    /// # Errors
    ///
    /// When the baseline cannot be written.
    pub(super) fn finish(&mut self, summaries: &mut Vec<Summary>) -> Result<(), String> {
        let settings = self.options.run_settings();
        let mut uses = SuppressionUse::default();
        let mut baseline_used: HashSet<usize> = HashSet::new();
        let mut entries = Vec::new();
        for summary in summaries.iter_mut() {
            uses.merge(std::mem::take(&mut summary.suppressions));
            baseline_used.extend(summary.baseline_used.drain(..));
            entries.append(&mut summary.baseline_entries);
        }
        if self.options.update_baseline
            && let Some(path) = &self.options.baseline
        {
            write_baseline(path, entries)?;
        }
        let mut extra = uses.stale(&settings);
        if let Some(baseline) = self.baseline.take() {
            let linted: HashSet<&str> = summaries.iter().filter(|s| s.input).map(|s| s.name.as_str()).collect();
            extra.extend(baseline.stale(&baseline_used, &linted, &settings));
        }
        for report in extra {
            let mut outcome = Outcome::from_report(report, None);
            outcome.input = false;
            summaries.push(self.summarize(outcome, Vec::new()));
        }
        Ok(())
    }

    /// Writes a stored part to `out`.
    ///
    /// # Errors
    ///
    /// When reading the spool or writing `out` fails.
    pub(super) fn copy(&self, stored: Stored, out: &mut dyn std::io::Write) -> std::io::Result<()> {
        self.spool
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .copy(stored, out)
    }
}

/// A unified diff of one file.
fn diff(name: &str, before: &str, after: &str) -> Vec<u8> {
    similar::TextDiff::from_lines(before, after)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
        .into_bytes()
}
