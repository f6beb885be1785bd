//! Code actions: a quick fix per fixable finding in the requested range, and
//! `source.fixAll.ctelint`, which applies the safe fixes only through the verified fixer loop.

use std::collections::HashMap;
use std::time::Duration;

use lsp_types::{CodeAction, CodeActionKind, CodeActionOrCommand, TextEdit, Uri, WorkspaceEdit};

use super::convert::View;
use super::{Analysis, Finding};
use crate::fix::fixer::{self, FixPolicy};
use crate::fix::{Applicability, Edit, apply_edits};
use crate::json::Span;
use crate::redact;

/// The kind of the fix-all source action (what `editor.codeActionsOnSave` names).
pub(super) const FIX_ALL: CodeActionKind = CodeActionKind::new("source.fixAll.ctelint");

/// The code action kinds the server advertises.
pub(super) fn kinds() -> Vec<CodeActionKind> {
    vec![CodeActionKind::QUICKFIX, FIX_ALL]
}

/// Whether `kind` is asked for by `only` (a kind matches itself and its sub-kinds:
/// `source.fixAll` and `source` both ask for `source.fixAll.ctelint`).
pub(super) fn wanted(only: Option<&[CodeActionKind]>, kind: &CodeActionKind) -> bool {
    let Some(only) = only else { return true };
    only.iter().any(|asked| {
        let asked = asked.as_str();
        let kind = kind.as_str();
        asked.is_empty() || kind == asked || kind.strip_prefix(asked).is_some_and(|rest| rest.starts_with('.'))
    })
}

/// Whether a quick fix may offer `finding`'s fix: safe and unsafe fixes always, sensitive ones
/// when the file's config allows that rule's (`allow-sensitive-fixes`), display-only never.
fn offered(finding: &Finding, policy: &FixPolicy) -> bool {
    let Some(fix) = &finding.diagnostic.fix else {
        return false;
    };
    if !finding.fix_intact || fix.edits.is_empty() {
        return false;
    }
    match fix.applicability {
        Applicability::Safe | Applicability::Unsafe => true,
        Applicability::Sensitive => policy.sensitive.contains(&finding.diagnostic.rule.code),
        Applicability::DisplayOnly => false,
    }
}

/// The quick fixes for the findings whose range meets `range` (byte span in the document).
pub(super) fn quick_fixes(uri: &Uri, text: View<'_>, analysis: &Analysis, range: Span) -> Vec<CodeActionOrCommand> {
    let Analysis::Linted { findings, file, .. } = analysis else {
        return Vec::new();
    };
    findings
        .iter()
        .filter(|finding| {
            let span = finding.diagnostic.span;
            span.start <= range.end && range.start <= span.end && offered(finding, &file.policy)
        })
        .filter_map(|finding| {
            let fix = finding.diagnostic.fix.as_ref()?;
            let edits = fix.edits.iter().map(|edit| text.text_edit(edit)).collect();
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title: format!(
                    "{}: {} ({} fix)",
                    finding.diagnostic.rule.code,
                    fix.message,
                    fix.applicability.as_str()
                ),
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![finding.lsp.clone()]),
                edit: Some(workspace_edit(uri, edits)),
                is_preferred: Some(fix.applicability == Applicability::Safe),
                ..CodeAction::default()
            }))
        })
        .collect()
}

/// The fix-all action: the document with every safe fix applied (never an unsafe or sensitive
/// one, whatever the config allows), as the smallest edits that turn the text into the fixed one.
/// `None` when there is nothing safe to fix.
///
/// # Errors
///
/// When the fixer gives up, or the edits would carry a secret value: why, for the log.
pub(super) fn fix_all(uri: &Uri, text: View<'_>, analysis: &Analysis) -> Result<Option<CodeActionOrCommand>, String> {
    let Analysis::Linted {
        findings,
        file,
        display,
    } = analysis
    else {
        return Ok(None);
    };
    let policy = FixPolicy::safe();
    if !findings.iter().any(|finding| policy.allows(&finding.diagnostic)) {
        return Ok(None);
    }
    let fixed = fixer::fix(display, text.text, file.dialect, &file.settings, &policy);
    if let Some(failure) = fixed.failure {
        return Err(redact::scrub(&failure, text.text));
    }
    if fixed.text == text.text {
        return Ok(None);
    }
    let edits = minimal_edits(text.text, &fixed.text);
    let inserted: String = edits
        .iter()
        .map(|edit| edit.content.as_str())
        .collect::<Vec<_>>()
        .join("\0");
    if redact::scrub(&inserted, text.text) != inserted {
        return Err(
            "the safe fixes would rewrite text that holds a secret value; run `ctelint check --fix` instead".to_owned(),
        );
    }
    let count = fixed.applied.len();
    let edits = edits.iter().map(|edit| text.text_edit(edit)).collect();
    Ok(Some(CodeActionOrCommand::CodeAction(CodeAction {
        title: format!("ctelint: apply {count} safe fix{}", if count == 1 { "" } else { "es" }),
        kind: Some(FIX_ALL),
        edit: Some(workspace_edit(uri, edits)),
        ..CodeAction::default()
    })))
}

fn workspace_edit(uri: &Uri, edits: Vec<TextEdit>) -> WorkspaceEdit {
    WorkspaceEdit {
        changes: Some(HashMap::from([(uri.clone(), edits)])),
        ..WorkspaceEdit::default()
    }
}

/// Edits that turn `before` into `after`: the changed runs of a line diff, each trimmed to
/// the bytes that differ. Falls back to one edit over the changed middle if the diff does not
/// reproduce `after` (it always should).
pub(super) fn minimal_edits(before: &str, after: &str) -> Vec<Edit> {
    let diff = similar::TextDiff::configure()
        .algorithm(similar::Algorithm::Myers)
        .timeout(Duration::from_millis(500))
        .diff_lines(before, after);
    let offsets = |slices: &[&str]| {
        let mut at = 0;
        let mut starts = Vec::with_capacity(slices.len() + 1);
        for slice in slices {
            starts.push(at);
            at += slice.len();
        }
        starts.push(at);
        starts
    };
    let old = offsets(diff.old_slices());
    let new = offsets(diff.new_slices());
    let mut edits: Vec<Edit> = Vec::new();
    let mut pending: Option<(usize, usize, usize, usize)> = None;
    for op in diff.ops() {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        if tag == similar::DiffTag::Equal {
            if let Some(run) = pending.take() {
                edits.extend(trimmed(before, after, run));
            }
            continue;
        }
        let run = (
            old[old_range.start],
            old[old_range.end],
            new[new_range.start],
            new[new_range.end],
        );
        pending = Some(match pending {
            Some((old_start, _, new_start, _)) => (old_start, run.1, new_start, run.3),
            None => run,
        });
    }
    if let Some(run) = pending {
        edits.extend(trimmed(before, after, run));
    }
    if apply_edits(before, &edits) == after {
        edits
    } else {
        trimmed(before, after, (0, before.len(), 0, after.len()))
            .into_iter()
            .collect()
    }
}

/// The edit replacing `before[old_start..old_end]` with `after[new_start..new_end]`, without
/// their common prefix and suffix (kept on character boundaries); `None` when they are equal.
fn trimmed(
    before: &str,
    after: &str,
    (old_start, old_end, new_start, new_end): (usize, usize, usize, usize),
) -> Option<Edit> {
    let old = before.get(old_start..old_end)?;
    let new = after.get(new_start..new_end)?;
    let mut prefix = old.bytes().zip(new.bytes()).take_while(|(a, b)| a == b).count();
    while !old.is_char_boundary(prefix) || !new.is_char_boundary(prefix) {
        prefix -= 1;
    }
    let (old_rest, new_rest) = (&old[prefix..], &new[prefix..]);
    let mut suffix = old_rest
        .bytes()
        .rev()
        .zip(new_rest.bytes().rev())
        .take_while(|(a, b)| a == b)
        .count();
    while !old_rest.is_char_boundary(old_rest.len() - suffix) || !new_rest.is_char_boundary(new_rest.len() - suffix) {
        suffix -= 1;
    }
    let replaced = Span::new(old_start + prefix, old_start + prefix + old_rest.len() - suffix);
    let content = &new_rest[..new_rest.len() - suffix];
    if replaced.is_empty() && content.is_empty() {
        return None;
    }
    Some(Edit {
        span: replaced,
        content: content.to_owned(),
    })
}
