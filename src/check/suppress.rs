//! Accepted findings: `[[suppress]]` entries of the config (file glob, JSON Pointer, rules,
//! reason) and a baseline file of fingerprints, so a repository can adopt ctelint and fail only
//! on new findings. An entry that matches nothing in a file that was linted is CTE901.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use serde::Serialize;

use crate::config::Suppression;
use crate::diagnostic::Diagnostic;
use crate::json::{self, ParseOptions, Pointer, Span};
use crate::output::FileReport;
use crate::rules;
use crate::settings::Settings;
use crate::source::SourceFile;

/// Which `[[suppress]]` entries were offered to linted files and which matched a finding
/// (entries are told apart by address: each is loaded once).
#[derive(Debug, Default)]
pub(super) struct SuppressionUse {
    offered: BTreeMap<usize, Arc<Suppression>>,
    used: HashSet<usize>,
}

impl SuppressionUse {
    /// Removes the findings that one of the file's `[[suppress]]` entries covers, noting which
    /// entries matched.
    pub(super) fn apply(&mut self, diagnostics: &mut Vec<Diagnostic>, suppressions: &[Arc<Suppression>]) {
        for suppression in suppressions {
            self.offered
                .insert(Arc::as_ptr(suppression) as usize, Arc::clone(suppression));
        }
        if suppressions.is_empty() {
            return;
        }
        diagnostics.retain(|diagnostic| {
            let covering = suppressions.iter().find(|s| s.covers(diagnostic));
            if let Some(suppression) = covering {
                self.used.insert(Arc::as_ptr(suppression) as usize);
            }
            covering.is_none()
        });
    }

    /// Adds what another file offered and used.
    pub(super) fn merge(&mut self, other: Self) {
        self.offered.extend(other.offered);
        self.used.extend(other.used);
    }

    /// CTE901 findings, in the config files, for entries that were offered to a linted file but
    /// matched none of its findings.
    pub(super) fn stale(self, settings: &Settings) -> Vec<FileReport> {
        if !settings.is_enabled(rules::UNUSED_SUPPRESSION) {
            return Vec::new();
        }
        let mut by_config: BTreeMap<String, (Arc<SourceFile>, Vec<Diagnostic>)> = BTreeMap::new();
        for (id, suppression) in self.offered {
            if self.used.contains(&id) {
                continue;
            }
            let mut diagnostic = Diagnostic::new(
                rules::UNUSED_SUPPRESSION,
                Pointer::root(),
                suppression.span,
                format!(
                    "this suppression matched no finding of `{}` at `{}`",
                    suppression.file.text, suppression.pointer
                ),
            );
            diagnostic
                .label("matches nothing")
                .help("remove the entry, or correct its `file`, `pointer` or `rules`");
            let entry = by_config
                .entry(suppression.source.name().to_owned())
                .or_insert_with(|| (Arc::clone(&suppression.source), Vec::new()));
            entry.1.push(diagnostic);
        }
        by_config
            .into_values()
            .map(|(source, mut diagnostics)| {
                crate::linter::sort(&mut diagnostics);
                FileReport {
                    source: (*source).clone(),
                    diagnostics,
                }
            })
            .collect()
    }
}

#[derive(Serialize)]
struct BaselineFile<'a> {
    version: u32,
    entries: &'a [BaselineEntry],
}

/// A finding as `--update-baseline` records it.
#[derive(Debug, Serialize)]
pub(super) struct BaselineEntry {
    fingerprint: String,
    code: &'static str,
    file: String,
    pointer: String,
}

impl BaselineEntry {
    /// The entries of `file`'s findings.
    pub(super) fn of(file: &str, diagnostics: &[Diagnostic]) -> Vec<Self> {
        diagnostics
            .iter()
            .map(|d| Self {
                fingerprint: d.fingerprint(file),
                code: d.rule.code,
                file: file.to_owned(),
                pointer: d.pointer.as_str().to_owned(),
            })
            .collect()
    }
}

/// `--update-baseline`: writes these findings to the baseline at `path`.
///
/// # Errors
///
/// When the baseline cannot be written.
pub(super) fn write_baseline(path: &Path, mut entries: Vec<BaselineEntry>) -> Result<(), String> {
    entries.sort_by(|a, b| (&a.file, &a.fingerprint).cmp(&(&b.file, &b.fingerprint)));
    entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
    let text = serde_json::to_string_pretty(&BaselineFile {
        version: 1,
        entries: &entries,
    })
    .map_err(|e| e.to_string())?
        + "\n";
    crate::fix::write::write_new(path, text.as_bytes())
        .map_err(|e| format!("cannot write the baseline `{}`: {e}", crate::walk::display_path(path)))
}

/// A baseline given with `--baseline`: the findings it records do not fail the run.
#[derive(Debug)]
pub(super) struct Baseline {
    /// Its display name and text, for CTE901 code frames.
    source: SourceFile,
    entries: Vec<StoredEntry>,
    /// Entry indices by fingerprint.
    index: HashMap<String, Vec<usize>>,
}

impl Baseline {
    /// Reads the baseline at `path`.
    ///
    /// # Errors
    ///
    /// When it cannot be read or is not a baseline.
    pub(super) fn load(path: &Path) -> Result<Self, String> {
        let display = crate::walk::display_path(path);
        let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the baseline `{display}`: {e}"))?;
        let entries =
            parse_baseline(&text).map_err(|e| format!("the baseline `{display}` is not a ctelint baseline: {e}"))?;
        let mut index: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, entry) in entries.iter().enumerate() {
            index.entry(entry.fingerprint.clone()).or_default().push(at);
        }
        Ok(Self {
            source: SourceFile::new(display, text),
            entries,
            index,
        })
    }

    /// Removes `file`'s findings that the baseline records; returns the entries that matched.
    pub(super) fn apply(&self, file: &str, diagnostics: &mut Vec<Diagnostic>) -> Vec<usize> {
        let mut used = Vec::new();
        diagnostics.retain(|d| match self.index.get(&d.fingerprint(file)) {
            Some(entries) => {
                used.extend_from_slice(entries);
                false
            }
            None => true,
        });
        used
    }

    /// CTE901 findings (in the baseline) for entries whose file was linted (`linted`) but which
    /// matched nothing (not in `used`).
    pub(super) fn stale(
        self,
        used: &HashSet<usize>,
        linted: &HashSet<&str>,
        settings: &Settings,
    ) -> Option<FileReport> {
        if !settings.is_enabled(rules::UNUSED_SUPPRESSION) {
            return None;
        }
        let stale: Vec<Diagnostic> = self
            .entries
            .iter()
            .enumerate()
            .filter(|(index, entry)| !used.contains(index) && linted.contains(entry.file.as_str()))
            .map(|(_, entry)| {
                let mut diagnostic = Diagnostic::new(
                    rules::UNUSED_SUPPRESSION,
                    entry.pointer.clone(),
                    entry.span,
                    format!(
                        "this baseline entry ({} in `{}` at `{}`) matched no finding",
                        entry.code, entry.file, entry.pointer_text
                    ),
                );
                diagnostic
                    .label("matches nothing")
                    .help("the finding is gone: rewrite the baseline with `--update-baseline`");
                diagnostic
            })
            .collect();
        (!stale.is_empty()).then(|| FileReport {
            source: self.source,
            diagnostics: stale,
        })
    }
}

/// One entry of a baseline file, with where it is in that file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct StoredEntry {
    /// The finding's fingerprint.
    pub fingerprint: String,
    /// Its rule.
    pub code: String,
    /// Its file.
    pub file: String,
    /// Its pointer, as written.
    pub pointer_text: String,
    /// The pointer of the entry inside the baseline (`/entries/3`).
    pub pointer: Pointer,
    /// The entry's span in the baseline.
    pub span: Span,
}

/// Reads a baseline (`{"version": 1, "entries": [{"fingerprint", "code", "file", "pointer"}]}`)
/// with our parser, keeping each entry's span for CTE901.
///
/// # Errors
///
/// When the text is not JSON or not shaped like a baseline.
pub(super) fn parse_baseline(text: &str) -> Result<Vec<StoredEntry>, String> {
    let document = json::parse(text, ParseOptions::STRICT).map_err(|e| e.message)?;
    let entries = document
        .root
        .as_object()
        .and_then(|o| o.get("entries"))
        .and_then(|m| m.value.as_array())
        .ok_or("no `entries` array")?;
    entries
        .iter()
        .enumerate()
        .map(|(index, entry)| {
            let object = entry.as_object().ok_or("an entry is not an object")?;
            let field = |name: &str| {
                object
                    .get(name)
                    .and_then(|m| m.value.as_str())
                    .map(str::to_owned)
                    .ok_or(format!("an entry lacks `{name}`"))
            };
            Ok(StoredEntry {
                fingerprint: field("fingerprint")?,
                code: field("code")?,
                file: field("file")?,
                pointer_text: field("pointer")?,
                pointer: Pointer::root().child("entries").child(index),
                span: entry.span,
            })
        })
        .collect()
}
