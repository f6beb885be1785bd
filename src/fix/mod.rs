//! Fixes as data: an [`Edit`] replaces a byte range, a [`Fix`] is a message, edits and an
//! [`Applicability`]. Rules build edits only through the JSON-aware builders in [`edits`].

pub mod edits;
pub mod fixer;
pub mod write;

use serde::Serialize;

use crate::json::Span;

/// Who may apply a fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Applicability {
    /// Shown, never applied.
    DisplayOnly,
    /// Changes access, exportability, ownership or secrets: applied only when the rule is allowed
    /// by name (`--allow-sensitive-fix`), never on editor save.
    Sensitive,
    /// Changes what key gets created, not who may use it: `--unsafe-fixes`.
    Unsafe,
    /// Changes representation only: `--fix` and editor save.
    Safe,
}

impl Applicability {
    /// The name used in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::DisplayOnly => "display-only",
            Self::Sensitive => "sensitive",
            Self::Unsafe => "unsafe",
            Self::Safe => "safe",
        }
    }
}

/// What rules declare about their fixes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FixAvailability {
    /// The rule never offers a fix.
    None,
    /// Some findings come with a fix.
    Sometimes,
    /// Every finding comes with a fix.
    Always,
}

/// Replace `span` with `content` (empty content deletes, an empty span inserts).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Edit {
    /// The replaced bytes.
    pub span: Span,
    /// The new text.
    pub content: String,
}

/// A set of edits that belong together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What applying it does, lowercase (`set \`unexportable\` to false`).
    pub message: String,
    /// Who may apply it.
    pub applicability: Applicability,
    /// Sorted, non-overlapping edits.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix from edits, sorted by position.
    pub fn new(applicability: Applicability, message: impl Into<String>, mut edits: Vec<Edit>) -> Self {
        edits.sort_by_key(|edit| (edit.span.start, edit.span.end));
        debug_assert!(
            edits.windows(2).all(|pair| pair[0].span.end <= pair[1].span.start),
            "edits of one fix overlap"
        );
        Self {
            // Shown with the finding's help: escaped like it (see `crate::diagnostic`).
            message: crate::escape::escape(message.into()),
            applicability,
            edits,
        }
    }

    /// A safe fix.
    pub fn safe(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Safe, message, edits)
    }

    /// An unsafe fix.
    pub fn unsafe_(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Unsafe, message, edits)
    }

    /// A sensitive fix.
    pub fn sensitive(message: impl Into<String>, edits: Vec<Edit>) -> Self {
        Self::new(Applicability::Sensitive, message, edits)
    }

    /// The span from the first edit's start to the last edit's end.
    pub fn span(&self) -> Span {
        let start = self.edits.first().map_or(0, |e| e.span.start);
        let end = self.edits.last().map_or(0, |e| e.span.end);
        Span { start, end }
    }
}

/// Applies edits to `text`; edits must be sorted and must not overlap.
pub fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    let mut at = 0;
    for edit in edits {
        out.push_str(&text[at..edit.span.start as usize]);
        out.push_str(&edit.content);
        at = edit.span.end as usize;
    }
    out.push_str(&text[at..]);
    out
}
