//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};

use ctelint::diagnostic::Diagnostic;
use ctelint::fix::fixer::{self, FixPolicy};
use ctelint::json::ParseOptions;
use ctelint::linter::{self, FileResult};
use ctelint::output::{Style, render_diagnostic};
use ctelint::settings::Settings;

/// The repository root.
pub(crate) fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// What the graphical report shows, without colour, at width 80.
pub(crate) fn render(result: &FileResult) -> String {
    // What a user sees by default: `--fix` applies safe fixes, the others name their flags.
    let style = Style {
        color: false,
        width: 80,
        policy: FixPolicy::safe(),
    };
    let (source, diagnostics) = result.shown();
    diagnostics
        .iter()
        .map(|d| render_diagnostic(d, &source, &style))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Checks what every finding must satisfy: spans in order, inside the text and on character
/// boundaries, a non-empty primary span in a non-empty file, a help text, a fix message, and the
/// message style (no final period; lowercase start unless it opens with a code, an acronym or a
/// quote).
pub(crate) fn check_invariants(result: &FileResult) {
    ctelint::selfcheck::spans(result);
    let text = result.source.text();
    for d in &result.diagnostics {
        if !text.is_empty() {
            assert!(
                !d.span.is_empty() || d.span.start as usize == text.len(),
                "{}: empty primary span",
                d.rule.code
            );
        }
        assert!(
            d.help.as_deref().is_some_and(|h| !h.is_empty()),
            "{}: no help text",
            d.rule.code
        );
        if let Some(fix) = &d.fix {
            assert!(
                !fix.message.is_empty() && !fix.edits.is_empty(),
                "{}: fix without message or edits",
                d.rule.code
            );
        }
        check_message_style(d);
    }
}

fn check_message_style(d: &Diagnostic) {
    let message = &d.message;
    assert!(
        !message.ends_with('.') && !message.ends_with('!'),
        "{}: message ends with punctuation: {message}",
        d.rule.code
    );
    let first_word = message.split_whitespace().next().unwrap_or("");
    let starts_lower = first_word.chars().next().is_some_and(|c| !c.is_uppercase());
    let acronym = first_word
        .chars()
        .filter(char::is_ascii_alphabetic)
        .all(|c| c.is_ascii_uppercase());
    assert!(
        starts_lower || acronym,
        "{}: message starts with a capital: {message}",
        d.rule.code
    );
}

/// Lints a file from disk with `settings`, as the CLI would (size limit, dialect from the name).
pub(crate) fn lint_file(path: &Path, display: &str, settings: &Settings, max_file_size: u64) -> Option<FileResult> {
    let bytes = ctelint::walk::read_limited(path, max_file_size).ok()?;
    Some(linter::lint_alone(
        display,
        &bytes,
        linter::dialect_for(display),
        settings,
    ))
}

/// Applies every fix (safe, unsafe and sensitive) until nothing more applies; panics when the
/// fixer fails. Returns the fixed text.
pub(crate) fn fix_everything(name: &str, text: &str, dialect: ParseOptions, settings: &Settings) -> String {
    let fixed = fixer::fix(name, text, dialect, settings, &FixPolicy::everything());
    assert!(fixed.failure.is_none(), "{name}: {}", fixed.failure.unwrap_or_default());
    fixed.text
}

/// A tiny deterministic generator (xorshift), so that property tests need no dependency and a
/// failure names the seed or case that reproduces it.
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// A number below `n`.
    pub(crate) fn below(&mut self, n: usize) -> usize {
        usize::try_from(self.next() % n as u64).unwrap()
    }

    /// One of `items`.
    pub(crate) fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

/// JSON values that generated payloads put in place of others: right and wrong types, spellings
/// and groups, templates (all of them values serde_json reads, which `1e999999` is not).
pub(crate) const VALUES: [&str; 18] = [
    "true",
    "false",
    "null",
    "0",
    "256",
    "\"256\"",
    "\"true\"",
    "\"cbc_cs1\"",
    "\"CBC-CS1\"",
    "\"XTS\"",
    "\"CTE Client\"",
    "[\"CTE Clients\", \"CTE Clients\"]",
    "\"CTE Clients\"",
    "[]",
    "{}",
    "[1, \"x\"]",
    "\"{{ owner }}\"",
    "\"local|admin\"",
];
