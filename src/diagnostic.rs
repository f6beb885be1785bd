//! What a rule reports: a finding with its rule, severity, message, JSON Pointer, spans, help and
//! optional fix. Findings are data; rendering them is `output`'s job.
//!
//! Messages, labels and help quote member names and values as decoded, and a decoded name can
//! hold anything a JSON escape can write; the constructor and the setters escape control and
//! bidirectional characters ([`crate::escape`]), so that no rule can forget to.

use serde::Serialize;

use crate::escape::escape;
use crate::fix::Fix;
use crate::json::{Pointer, Span};
use crate::rule::RuleMeta;
use crate::source::LineCol;

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Advisory; never fails a run by default.
    Info,
    /// Likely a mistake; shown, does not fail by default.
    Warning,
    /// The key will be refused or unusable by CTE; fails the run.
    Error,
}

impl Severity {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }

    /// Parses `error`, `warning` or `info`.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "error" => Some(Self::Error),
            "warning" | "warn" => Some(Self::Warning),
            "info" => Some(Self::Info),
            _ => None,
        }
    }
}

/// A secondary location: "first defined here".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What it shows.
    pub message: String,
    /// Set when the location is in another file than the finding's.
    pub file: Option<Elsewhere>,
}

/// A location in another file, resolved while that file was at hand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Elsewhere {
    /// The other file's display name.
    pub name: String,
    /// Where the span starts.
    pub start: LineCol,
    /// Where it ends (exclusive).
    pub end: LineCol,
}

/// One finding.
#[derive(Clone, Debug)]
pub struct Diagnostic {
    /// The rule that reported it.
    pub rule: &'static RuleMeta,
    /// Its severity (the rule's default unless the rule or the settings chose another).
    pub severity: Severity,
    /// What is wrong.
    pub message: String,
    /// The JSON Pointer of the node.
    pub pointer: Pointer,
    /// The primary span.
    pub span: Span,
    /// Text of the primary label, if any.
    pub label: Option<String>,
    /// Secondary labels.
    pub related: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// The fix, if the rule has one for this finding.
    pub fix: Option<Fix>,
}

impl Diagnostic {
    /// A finding of `rule` at `span`, with the rule's default severity.
    pub fn new(rule: &'static RuleMeta, pointer: Pointer, span: Span, message: impl Into<String>) -> Self {
        Self {
            rule,
            severity: rule.severity,
            message: escape(message.into()),
            pointer,
            span,
            label: None,
            related: Vec::new(),
            help: None,
            fix: None,
        }
    }

    /// Sets the primary label.
    pub fn label(&mut self, text: impl Into<String>) -> &mut Self {
        self.label = Some(escape(text.into()));
        self
    }

    /// Adds a secondary label.
    pub fn related(&mut self, span: Span, message: impl Into<String>) -> &mut Self {
        self.related.push(Label {
            span,
            message: escape(message.into()),
            file: None,
        });
        self
    }

    /// Adds a secondary label in another file.
    pub fn related_elsewhere(&mut self, span: Span, message: impl Into<String>, file: Elsewhere) -> &mut Self {
        self.related.push(Label {
            span,
            message: escape(message.into()),
            file: Some(file),
        });
        self
    }

    /// Sets the help line.
    pub fn help(&mut self, text: impl Into<String>) -> &mut Self {
        self.help = Some(escape(text.into()));
        self
    }

    /// Attaches a fix.
    pub fn fix(&mut self, fix: Fix) -> &mut Self {
        self.fix = Some(fix);
        self
    }

    /// Attaches a fix when there is one.
    pub fn fix_opt(&mut self, fix: Option<Fix>) -> &mut Self {
        self.fix = fix;
        self
    }

    /// The stable identity of the finding in `file`: rule, file and JSON Pointer, not the line,
    /// so it survives reformatting (baselines, SARIF `partialFingerprints`, GitLab). FNV-1a 64
    /// as 16 hexadecimal digits.
    pub fn fingerprint(&self, file: &str) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let bytes = self
            .rule
            .code
            .bytes()
            .chain([0])
            .chain(file.bytes())
            .chain([0])
            .chain(self.pointer.as_str().bytes());
        for byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    /// Overrides the rule's default severity for this finding.
    pub fn severity(&mut self, severity: Severity) -> &mut Self {
        self.severity = severity;
        self
    }
}
