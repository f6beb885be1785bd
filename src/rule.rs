//! What a rule is: metadata declared with [`declare_rule!`] (the doc comment is the rule's
//! documentation) and behaviour written against [`Check`]. Rules see a parsed document and one
//! key request at a time, report through a [`Context`], and never print, panic or do I/O.

use crate::delete::Deletion;
use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::FixAvailability;
use crate::json::{Document, Pointer, Span};
use crate::profile::Profile;
use crate::redact;
use crate::request::Request;
use crate::schema::SchemaError;
use crate::source::LineCol;

/// Everything known about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code, `CTE203`.
    pub code: &'static str,
    /// Stable kebab-case name, `unexportable-key`.
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Whether findings come with fixes.
    pub fix: FixAvailability,
    /// Whether the rule runs when nothing selects it explicitly.
    pub default_enabled: bool,
    /// Which command runs it.
    pub scope: Scope,
    /// The rule's documentation: its doc comment, Markdown, one leading space per line.
    pub docs: &'static str,
    /// `file:line` of the declaration.
    pub location: &'static str,
}

/// Where the rule documentation lives; each rule's page is `<base><name>.md`.
pub const DOCS_URL: &str = "https://github.com/ctelint/ctelint/blob/main/docs/rules/";

impl RuleMeta {
    /// The rule's documentation page.
    pub fn url(&self) -> String {
        format!("{DOCS_URL}{}.md", self.name)
    }

    /// The first paragraph of the documentation, on one line.
    pub fn summary(&self) -> String {
        let lines: Vec<&str> = self
            .docs
            .lines()
            .map(str::trim)
            .take_while(|line| !line.is_empty())
            .collect();
        lines.join(" ")
    }

    /// The documentation with the one leading space of each line removed.
    pub fn documentation(&self) -> String {
        let mut out = String::with_capacity(self.docs.len());
        for line in self.docs.lines() {
            out.push_str(line.strip_prefix(' ').unwrap_or(line));
            out.push('\n');
        }
        out
    }
}

/// Which command a rule belongs to.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// `ctelint check`: key create requests.
    #[default]
    Create,
    /// `ctelint delete-check`: saved key records about to be deleted.
    Delete,
    /// Both commands (reading and parsing the input).
    Any,
}

/// The metadata half of a rule, written by [`declare_rule!`].
pub trait RuleMetadata {
    /// The rule's metadata.
    const META: &'static RuleMeta;
}

/// The behaviour half of a rule. Both hooks default to doing nothing.
pub trait Check {
    /// Called once per key request of a document.
    fn check_request(&self, _request: &Request<'_>, _cx: &mut Context<'_>) {}

    /// Called once per document that holds at least one key request.
    fn check_document(&self, _document: &Document, _cx: &mut Context<'_>) {}

    /// Called once per key record given to `delete-check`.
    fn check_record(&self, _record: &Request<'_>, _cx: &mut Context<'_>) {}

    /// Called with key names in file and offset order: as files are reported, each file's names
    /// after the earlier files' first occurrences of the same names (a whole document's names in
    /// the language server). Findings go to `found` with the index of the name they are about.
    fn check_set(&self, _names: &[KeyName], _found: &mut Vec<(usize, Diagnostic)>) {}
}

/// A key name that one request creates, gathered from every linted file for the rules that
/// look across the whole set.
#[derive(Clone, Debug)]
pub struct KeyName {
    /// Which file (an index the caller assigns).
    pub file: usize,
    /// The file's display name.
    pub file_name: String,
    /// The name.
    pub name: String,
    /// The pointer of the `name` value.
    pub pointer: Pointer,
    /// Its span.
    pub span: Span,
    /// Where it starts.
    pub start: LineCol,
    /// Where it ends.
    pub end: LineCol,
}

/// A rule as the registry holds it.
pub trait Rule: Send + Sync {
    /// The rule's metadata.
    fn meta(&self) -> &'static RuleMeta;
    /// See [`Check::check_request`].
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>);
    /// See [`Check::check_document`].
    fn check_document(&self, document: &Document, cx: &mut Context<'_>);
    /// See [`Check::check_set`].
    fn check_set(&self, names: &[KeyName], found: &mut Vec<(usize, Diagnostic)>);
    /// See [`Check::check_record`].
    fn check_record(&self, record: &Request<'_>, cx: &mut Context<'_>);
}

impl<T: RuleMetadata + Check + Send + Sync> Rule for T {
    fn meta(&self) -> &'static RuleMeta {
        T::META
    }

    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        Check::check_request(self, request, cx);
    }

    fn check_document(&self, document: &Document, cx: &mut Context<'_>) {
        Check::check_document(self, document, cx);
    }

    fn check_set(&self, names: &[KeyName], found: &mut Vec<(usize, Diagnostic)>) {
        Check::check_set(self, names, found);
    }

    fn check_record(&self, record: &Request<'_>, cx: &mut Context<'_>) {
        Check::check_record(self, record, cx);
    }
}

/// Declares a rule: a documented unit struct and its [`RuleMeta`].
///
/// The doc comment is required (one or more lines); its first line is the summary.
macro_rules! declare_rule {
    (
        $(#[doc = $doc:literal])+
        $vis:vis struct $name:ident {
            code: $code:literal,
            name: $kebab:literal,
            severity: $severity:ident,
                        fix: $fix:ident
            $(, default_enabled: $enabled:literal)?
            $(, scope: $scope:ident)?
            $(,)?
        }
    ) => {
        $(#[doc = $doc])+
        #[derive(Debug, Default, Clone, Copy)]
        $vis struct $name;

        impl $crate::rule::RuleMetadata for $name {
            const META: &'static $crate::rule::RuleMeta = &$crate::rule::RuleMeta {
                code: $code,
                name: $kebab,
                severity: $crate::diagnostic::Severity::$severity,
                fix: $crate::fix::FixAvailability::$fix,
                                default_enabled: $crate::rule::default_enabled(&[$($enabled)?]),
                scope: $crate::rule::scope(&[$($crate::rule::Scope::$scope)?]),
                docs: concat!($($doc, "\n"),+),
                location: concat!(file!(), ":", line!()),
            };
        }
    };
}
pub(crate) use declare_rule;

/// `default_enabled: false` in a declaration turns the rule off unless selected.
pub(crate) const fn default_enabled(given: &[bool]) -> bool {
    match given {
        [value] => *value,
        _ => true,
    }
}

/// `scope: Delete` in a declaration makes a `delete-check` rule.
pub(crate) const fn scope(given: &[Scope]) -> Scope {
    match given {
        [scope] => *scope,
        _ => Scope::Create,
    }
}

/// A schema violation and the rule that reports it.
type Owned = (Option<&'static str>, SchemaError);

/// Where [`Context::schema_errors`] keeps a request's violations: the rules run one after
/// another over every request, so each request's are asked for again by each rule.
fn schema_slot(request: &Request<'_>) -> usize {
    request.index.map_or(0, |index| index + 1)
}

/// What a rule sees besides the document: the profile, the source text for building fixes, and
/// the sink for its findings.
pub struct Context<'a> {
    source: &'a str,
    profile: Profile,
    rule: &'static RuleMeta,
    diagnostics: Vec<Diagnostic>,
    /// Schema violations per request, each with the rule that reports it, computed once: the
    /// root's first, then by index in a top-level array (see [`schema_slot`]).
    schema: Vec<Option<Vec<Owned>>>,
    /// For `delete-check`: the policies and the deleting user's groups.
    deletion: Option<&'a Deletion>,
    /// Whether the document, when it is one request, may hold a secret: worked out once for
    /// secret-in-file and the redaction of what is shown.
    root_may_hold_secret: Option<bool>,
}

impl<'a> Context<'a> {
    /// A context for `source` under `profile`.
    pub fn new(source: &'a str, profile: Profile) -> Self {
        Self {
            source,
            profile,
            rule: crate::rules::INVALID_JSON,
            diagnostics: Vec::new(),
            schema: Vec::new(),
            deletion: None,
            root_may_hold_secret: None,
        }
    }

    /// A context for `delete-check`.
    pub fn for_deletion(source: &'a str, deletion: &'a Deletion) -> Self {
        Self {
            deletion: Some(deletion),
            ..Self::new(source, Profile::Standard)
        }
    }

    /// What `delete-check` was told: policies and groups (`None` under `check`).
    pub fn deletion(&self) -> Option<&'a Deletion> {
        self.deletion
    }

    /// The source text (for edit builders that need layout).
    pub fn source(&self) -> &'a str {
        self.source
    }

    /// The profile in force.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Runs `rule` over `request`, attributing what it reports to it.
    pub(crate) fn set_rule(&mut self, rule: &'static RuleMeta) {
        self.rule = rule;
    }

    /// Reports a finding of the running rule; the returned diagnostic can be decorated.
    pub fn report(&mut self, pointer: Pointer, span: Span, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics
            .push(Diagnostic::new(self.rule, pointer, span, message));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// The schema's violations in `request` that the running rule reports (see
    /// [`crate::schema::owner`]); the schema runs once per request, whichever rule asks first.
    pub fn schema_errors(&mut self, request: &Request<'_>) -> Vec<SchemaError> {
        let code = self.rule.code;
        let slot = schema_slot(request);
        if self.schema.len() <= slot {
            self.schema.resize_with(slot + 1, || None);
        }
        let all = self.schema[slot].get_or_insert_with(|| {
            crate::schema::validate(request.value)
                .into_iter()
                .map(|error| (crate::schema::owner(&error), error))
                .collect()
        });
        all.iter()
            .filter(|(owner, _)| *owner == Some(code))
            .map(|(_, error)| error.clone())
            .collect()
    }

    /// Everything reported so far.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        self.diagnostics
    }

    /// Whether `request` may hold a member of a secret name (see [`redact::may_hold_secret`]);
    /// for a request that is the whole document, the answer is kept for the redaction.
    pub fn may_hold_secret(&mut self, request: &Request<'_>) -> bool {
        if request.index.is_some() {
            return redact::may_hold_secret(self.source, request.value);
        }
        *self
            .root_may_hold_secret
            .get_or_insert_with(|| redact::may_hold_secret(self.source, request.value))
    }

    /// What [`Self::may_hold_secret`] found for the document as a whole, if it was asked.
    pub fn root_may_hold_secret(&self) -> Option<bool> {
        self.root_may_hold_secret
    }
}
