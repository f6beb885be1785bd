//! Accepted findings: `[[suppress]]` entries of the config (file glob, JSON Pointer, rules,
//! reason) and a baseline file of fingerprints, so a repository can adopt ctelint and fail only
//! on new findings. An entry that matches nothing in a file that was linted is CTE901.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use serde::Serialize;

use super::{Options, Outcome};
use crate::config::Suppression;
use crate::diagnostic::Diagnostic;
use crate::json::{self, ParseOptions, Pointer, Span};
use crate::output::FileReport;
use crate::rules;
use crate::settings::Settings;
use crate::source::SourceFile;

/// Removes the findings that a `[[suppress]]` entry of their file's config covers; returns
/// CTE901 findings, in the config files, for entries that matched a linted file but none of
/// its findings.
pub(super) fn apply_suppressions(outcomes: &mut [Outcome], settings: &Settings) -> Vec<FileReport> {
    let mut offered: BTreeMap<usize, Arc<Suppression>> = BTreeMap::new();
    let mut used: HashSet<usize> = HashSet::new();
    for outcome in outcomes.iter_mut() {
        let Some(file) = &outcome.settings else { continue };
        if file.suppressions.is_empty() {
            continue;
        }
        for suppression in &file.suppressions {
            offered.insert(Arc::as_ptr(suppression) as usize, Arc::clone(suppression));
        }
        outcome.report.diagnostics.retain(|diagnostic| {
            let covering = file.suppressions.iter().find(|s| s.covers(diagnostic));
            if let Some(suppression) = covering {
                used.insert(Arc::as_ptr(suppression) as usize);
            }
            covering.is_none()
        });
    }
    if !settings.is_enabled(rules::UNUSED_SUPPRESSION) {
        return Vec::new();
    }
    let mut by_config: BTreeMap<String, (Arc<SourceFile>, Vec<Diagnostic>)> = BTreeMap::new();
    for (id, suppression) in offered {
        if used.contains(&id) {
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

#[derive(Serialize)]
struct BaselineFile<'a> {
    version: u32,
    entries: Vec<BaselineEntry<'a>>,
}

#[derive(Serialize)]
struct BaselineEntry<'a> {
    fingerprint: String,
    code: &'a str,
    file: &'a str,
    pointer: &'a str,
}

/// With `--baseline FILE`: drops the findings recorded there and returns CTE901 findings (in
/// the baseline) for entries whose file was linted but which matched nothing. With
/// `--update-baseline`, writes the current findings to FILE instead.
///
/// # Errors
///
/// When the baseline cannot be read, parsed or written.
pub(super) fn apply_baseline(options: &Options, outcomes: &mut [Outcome]) -> Result<Option<Vec<FileReport>>, String> {
    let Some(path) = &options.baseline else {
        return Ok(None);
    };
    let display = crate::walk::display_path(path);
    if options.update_baseline {
        let mut entries = Vec::new();
        for outcome in outcomes.iter().filter(|o| o.input) {
            for d in &outcome.report.diagnostics {
                let file = outcome.report.source.name();
                entries.push(BaselineEntry {
                    fingerprint: d.fingerprint(file),
                    code: d.rule.code,
                    file,
                    pointer: d.pointer.as_str(),
                });
            }
        }
        entries.sort_by(|a, b| (a.file, &a.fingerprint).cmp(&(b.file, &b.fingerprint)));
        entries.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        let text =
            serde_json::to_string_pretty(&BaselineFile { version: 1, entries }).map_err(|e| e.to_string())? + "\n";
        crate::fix::write::write_new(path, text.as_bytes())
            .map_err(|e| format!("cannot write the baseline `{display}`: {e}"))?;
        for outcome in outcomes.iter_mut() {
            outcome.report.diagnostics.clear();
        }
        return Ok(Some(Vec::new()));
    }
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read the baseline `{display}`: {e}"))?;
    let entries =
        parse_baseline(&text).map_err(|e| format!("the baseline `{display}` is not a ctelint baseline: {e}"))?;
    let linted: HashSet<String> = outcomes
        .iter()
        .filter(|o| o.input)
        .map(|o| o.report.source.name().to_owned())
        .collect();
    let mut used: HashSet<usize> = HashSet::new();
    for outcome in outcomes.iter_mut().filter(|o| o.input) {
        let file = outcome.report.source.name().to_owned();
        outcome.report.diagnostics.retain(|d| {
            let print = d.fingerprint(&file);
            match entries.iter().position(|e| e.fingerprint == print) {
                Some(index) => {
                    used.insert(index);
                    false
                }
                None => true,
            }
        });
    }
    let settings = options.run_settings();
    if !settings.is_enabled(rules::UNUSED_SUPPRESSION) {
        return Ok(Some(Vec::new()));
    }
    let stale: Vec<Diagnostic> = entries
        .iter()
        .enumerate()
        .filter(|(index, entry)| !used.contains(index) && linted.contains(&entry.file))
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
    if stale.is_empty() {
        return Ok(Some(Vec::new()));
    }
    Ok(Some(vec![FileReport {
        source: SourceFile::new(display, text),
        diagnostics: stale,
    }]))
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
