//! What a run keeps of each input. A file is linted, filtered by its suppressions and the
//! baseline, counted and rendered on the thread that read it; its text and findings are then
//! dropped, and only the rendered bytes and a few counts go on to be written in file order.

use std::collections::{BTreeMap, HashSet};

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
    /// Its rendered report, one part per section of the format (or its diff).
    pub parts: Vec<Vec<u8>>,
    /// Standard input's document.
    pub stdin: Option<Box<Stdin>>,
    /// The first occurrences a worker worked out the findings across files against, when it
    /// added them (see `stream::Registry`).
    pub guessed: Option<super::stream::Earlier>,
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

/// What a run renders (and writes) for each file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Render {
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
    style: Style,
    render: Render,
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
        }
    }

    /// Filters an input's findings (plus `extra` ones found across files) by its suppressions
    /// and the baseline, counts and renders them, and keeps what the end of the run needs.
    pub(super) fn summarize(&self, outcome: Outcome, extra: Vec<Diagnostic>) -> Summary {
        let Outcome {
            mut report,
            skipped,
            problems,
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
        Summary {
            name: report.source.name().to_owned(),
            input,
            skipped,
            problems,
            applied,
            names,
            tally,
            parts: rendered,
            stdin: None,
            guessed: None,
            suppressions,
            baseline_used,
            baseline_entries,
        }
    }

    /// What is rendered for each file.
    pub(super) fn render(&self) -> Render {
        self.render
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
}

/// What the end of the run needs of every input's suppressions and baseline matches.
#[derive(Debug, Default)]
pub(super) struct Bookkeeping {
    uses: SuppressionUse,
    baseline_used: HashSet<usize>,
    entries: Vec<BaselineEntry>,
    /// The inputs' names, kept only when a baseline needs them.
    keeps_names: bool,
    linted: HashSet<String>,
}

impl Bookkeeping {
    /// Bookkeeping for `run`.
    pub(super) fn new(run: &Run<'_>) -> Self {
        Self {
            keeps_names: run.baseline.is_some(),
            ..Self::default()
        }
    }

    /// Takes an input's share.
    pub(super) fn add(&mut self, summary: &mut Summary) {
        self.uses.merge(std::mem::take(&mut summary.suppressions));
        self.baseline_used.extend(summary.baseline_used.drain(..));
        self.entries.append(&mut summary.baseline_entries);
        if summary.input && self.keeps_names {
            self.linted.insert(summary.name.clone());
        }
    }
}

impl Run<'_> {
    /// After every input: reports suppressions and baseline entries that matched nothing
    /// (CTE901, as summaries of their own after the inputs) and writes the baseline for
    /// `--update-baseline`.
    ///
    /// # Errors
    ///
    /// When the baseline cannot be written.
    pub(super) fn finish(&mut self, books: Bookkeeping) -> Result<Vec<Summary>, String> {
        let settings = self.options.run_settings();
        if self.options.update_baseline
            && let Some(path) = &self.options.baseline
        {
            write_baseline(path, books.entries)?;
        }
        let mut extra = books.uses.stale(&settings);
        if let Some(baseline) = self.baseline.take() {
            let linted: HashSet<&str> = books.linted.iter().map(String::as_str).collect();
            extra.extend(baseline.stale(&books.baseline_used, &linted, &settings));
        }
        Ok(extra
            .into_iter()
            .map(|report| {
                let mut outcome = Outcome::from_report(report, None);
                outcome.input = false;
                self.summarize(outcome, Vec::new())
            })
            .collect())
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
