//! The fixer loop: lint, apply the allowed non-overlapping fixes, re-parse, re-lint, until
//! nothing more applies. Every pass is verified: the result must parse, and every byte outside
//! the applied edits must be unchanged. A pass that breaks either, or a cycle, leaves the
//! document as it was and is reported with the rules involved.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use super::{Applicability, Edit, apply_edits};
use crate::diagnostic::Diagnostic;
use crate::json::{self, ParseOptions, Span};
use crate::linter;
use crate::settings::Settings;

/// Most passes before giving up (ruff uses 100 too).
pub const MAX_PASSES: usize = 100;

/// Which fixes may be applied.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FixPolicy {
    /// Apply safe fixes.
    pub safe: bool,
    /// Apply unsafe fixes too.
    pub unsafe_fixes: bool,
    /// Codes of the rules whose sensitive fixes may be applied.
    pub sensitive: Vec<&'static str>,
}

impl FixPolicy {
    /// Safe fixes only (`--fix`, editor save).
    pub fn safe() -> Self {
        Self {
            safe: true,
            unsafe_fixes: false,
            sensitive: Vec::new(),
        }
    }

    /// Every fix of every rule, sensitive ones included (what the fixture tests apply).
    pub fn everything() -> Self {
        Self {
            safe: true,
            unsafe_fixes: true,
            sensitive: crate::rules::all().map(|r| r.meta().code).collect(),
        }
    }

    /// Whether this policy applies `diagnostic`'s fix.
    pub fn allows(&self, diagnostic: &Diagnostic) -> bool {
        let Some(fix) = &diagnostic.fix else {
            return false;
        };
        match fix.applicability {
            Applicability::Safe => self.safe,
            Applicability::Unsafe => self.safe && self.unsafe_fixes,
            Applicability::Sensitive => self.safe && self.sensitive.contains(&diagnostic.rule.code),
            Applicability::DisplayOnly => false,
        }
    }
}

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// The rule's code.
    pub code: &'static str,
    /// The rule's name.
    pub name: &'static str,
    /// The fix's message.
    pub message: String,
    /// Its applicability.
    pub applicability: Applicability,
    /// The text the fix replaced and the text it wrote, edit by edit (for "before → after").
    pub changes: Vec<(String, String)>,
}

/// What the fixer did to one document.
#[derive(Debug)]
pub struct Fixed {
    /// The document after fixing (the input when nothing applied or fixing failed).
    pub text: String,
    /// Fixes applied, in order.
    pub applied: Vec<Applied>,
    /// Why fixing was abandoned, naming the rules; the text is then the input, unchanged.
    pub failure: Option<String>,
}

/// Fixes `text` as far as `policy` allows.
pub fn fix(name: &str, text: &str, dialect: ParseOptions, settings: &Settings, policy: &FixPolicy) -> Fixed {
    let mut current = text.to_owned();
    let mut applied = Vec::new();
    let mut seen = HashSet::from([hash(&current)]);
    for _ in 0..MAX_PASSES {
        let result = linter::lint_bytes(name, current.as_bytes(), dialect, settings);
        if !result.parsed {
            break;
        }
        let chosen = choose(result.diagnostics.iter().filter(|d| policy.allows(d)));
        if chosen.is_empty() {
            return Fixed {
                text: current,
                applied,
                failure: None,
            };
        }
        let mut edits: Vec<Edit> = chosen
            .iter()
            .flat_map(|d| d.fix.iter().flat_map(|f| f.edits.iter().cloned()))
            .collect();
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        let next = apply_edits(&current, &edits);
        let rules = || {
            let mut codes: Vec<&str> = chosen.iter().map(|d| d.rule.code).collect();
            codes.dedup();
            codes.join(", ")
        };
        if let Err(error) = json::parse(&next, dialect) {
            return failed(
                text,
                format!(
                    "fixes of {} would produce invalid JSON ({}); the file was left unchanged",
                    rules(),
                    error.message
                ),
            );
        }
        if !outside_unchanged(&current, &next, &edits) {
            return failed(
                text,
                format!(
                    "fixes of {} changed bytes outside their edits; the file was left unchanged",
                    rules()
                ),
            );
        }
        for diagnostic in &chosen {
            let Some(fix) = &diagnostic.fix else { continue };
            applied.push(Applied {
                code: diagnostic.rule.code,
                name: diagnostic.rule.name,
                message: fix.message.clone(),
                applicability: fix.applicability,
                changes: fix
                    .edits
                    .iter()
                    .map(|e| (current[e.span.range()].to_owned(), e.content.clone()))
                    .collect(),
            });
        }
        if !seen.insert(hash(&next)) {
            return failed(
                text,
                format!(
                    "fixes of {} undo each other (a fix cycle); the file was left unchanged",
                    rules()
                ),
            );
        }
        current = next;
    }
    let still = linter::lint_bytes(name, current.as_bytes(), dialect, settings);
    if still.diagnostics.iter().any(|d| policy.allows(d)) {
        return failed(
            text,
            format!("fixes did not converge within {MAX_PASSES} passes; the file was left unchanged"),
        );
    }
    Fixed {
        text: current,
        applied,
        failure: None,
    }
}

fn failed(original: &str, why: String) -> Fixed {
    Fixed {
        text: original.to_owned(),
        applied: Vec::new(),
        failure: Some(why),
    }
}

fn hash(text: &str) -> u64 {
    let mut hasher = DefaultHasher::new();
    text.hash(&mut hasher);
    hasher.finish()
}

/// The fixes to apply in one pass: in order of position, skipping any whose edits overlap (or
/// touch) an edit already chosen; the rest wait for the next pass.
fn choose<'d>(candidates: impl Iterator<Item = &'d Diagnostic>) -> Vec<&'d Diagnostic> {
    let mut sorted: Vec<&Diagnostic> = candidates.collect();
    sorted.sort_by_key(|d| d.fix.as_ref().map(|f| (f.span().start, f.span().end)));
    let mut taken: Vec<Span> = Vec::new();
    let mut chosen = Vec::new();
    for diagnostic in sorted {
        let Some(fix) = &diagnostic.fix else { continue };
        if fix
            .edits
            .iter()
            .any(|edit| taken.iter().any(|span| span.overlaps(edit.span)))
        {
            continue;
        }
        taken.extend(fix.edits.iter().map(|edit| edit.span));
        chosen.push(diagnostic);
    }
    chosen
}

/// Whether `after` equals `before` everywhere outside `edits` (sorted, non-overlapping).
pub fn outside_unchanged(before: &str, after: &str, edits: &[Edit]) -> bool {
    let (mut old_at, mut new_at) = (0usize, 0usize);
    for edit in edits {
        let (start, end) = (edit.span.start as usize, edit.span.end as usize);
        let kept = start - old_at;
        if before.get(old_at..start) != after.get(new_at..new_at + kept) {
            return false;
        }
        new_at += kept;
        if after.get(new_at..new_at + edit.content.len()) != Some(edit.content.as_str()) {
            return false;
        }
        new_at += edit.content.len();
        old_at = end;
    }
    before.get(old_at..) == after.get(new_at..)
}
