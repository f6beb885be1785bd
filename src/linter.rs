//! Linting one text: parse in the file's dialect, find the key requests, run the selected rules,
//! and sort what they report. This is the only caller of rules.

use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::delete::Deletion;
use crate::diagnostic::Diagnostic;
use crate::json::{self, Document, ParseOptions, Pointer, Span};
use crate::redact;
use crate::rule::{Context, KeyName};
use crate::rules;
use crate::settings::Settings;
use crate::source::SourceFile;

/// The result of linting one text.
#[derive(Debug)]
pub struct FileResult {
    /// The text (lossily decoded when it was not UTF-8) and its display name.
    pub source: SourceFile,
    /// What the rules found, sorted by offset then code.
    pub diagnostics: Vec<Diagnostic>,
    /// How many key requests the document held (0: skipped, not a keys2 body).
    pub requests: usize,
    /// Whether the text parsed in its dialect.
    pub parsed: bool,
    /// Rules that panicked on this text (each also reported as a finding).
    pub internal_errors: Vec<&'static str>,
    /// Secret string contents to mask before anything is shown (see [`redact`]).
    pub secrets: Vec<Span>,
    /// The key names its requests create (file index 0; the caller renumbers).
    pub names: Vec<KeyName>,
}

impl FileResult {
    /// The text and findings as outputs may show them: secret values masked everywhere.
    pub fn shown(&self) -> (SourceFile, Vec<Diagnostic>) {
        let mut diagnostics = self.diagnostics.clone();
        let source =
            redact::redact(&self.source, &mut diagnostics, &self.secrets).unwrap_or_else(|| self.source.clone());
        (source, diagnostics)
    }

    /// [`FileResult::shown`], taking the result apart instead of copying it.
    pub fn into_shown(mut self) -> (SourceFile, Vec<Diagnostic>) {
        match redact::redact(&self.source, &mut self.diagnostics, &self.secrets) {
            Some(masked) => (masked, self.diagnostics),
            None => (self.source, self.diagnostics),
        }
    }
}

/// The dialect a file is read in, from its name: `.jsonc` and the well-known JSON-with-comments
/// files are JSONC, everything else strict JSON.
pub fn dialect_for(path: &str) -> ParseOptions {
    const JSONC_NAMES: [&str; 4] = [".babelrc", ".eslintrc.json", ".jshintrc", ".swcrc"];
    // Every file is named once or twice per run: no allocation.
    let mut parts = path.rsplit(['/', '\\']);
    let file = parts.next().unwrap_or(path);
    let parent = parts.next().unwrap_or("");
    // As `Path::extension` has it: none for `.json` itself.
    let extension = file
        .rsplit_once('.')
        .filter(|(stem, _)| !stem.is_empty())
        .map(|(_, e)| e);
    let is = |wanted: &str| extension.is_some_and(|e| e.eq_ignore_ascii_case(wanted));
    let jsonc = is("jsonc")
        || is("json") && (file.starts_with("tsconfig") || file.starts_with("jsconfig") || parent == ".vscode")
        || parent == ".devcontainer" && file == "devcontainer.json"
        || JSONC_NAMES.contains(&file);
    if jsonc {
        ParseOptions::JSONC
    } else {
        ParseOptions::STRICT
    }
}

/// Lints `bytes` named `name`, read in `dialect`, under `settings`.
pub fn lint_bytes(name: &str, bytes: &[u8], dialect: ParseOptions, settings: &Settings) -> FileResult {
    // UTF-8 is checked once; text that is not UTF-8 goes to `parse_bytes` for its error.
    let parsed = match std::str::from_utf8(bytes) {
        Ok(text) => json::parse(text, dialect).map(|document| (document, text)),
        Err(_) => json::parse_bytes(bytes, dialect).map(|document| (document, "")),
    };
    match parsed {
        Ok((document, text)) => {
            let source = SourceFile::new(name, text.to_owned());
            let linted = lint_document(&source, &document, settings);
            // Secrets matter only where something will be shown.
            let secrets = if linted.diagnostics.is_empty() {
                Vec::new()
            } else {
                redact::secret_spans(text, &document.root, linted.root_may_hold_secret)
            };
            FileResult {
                source,
                diagnostics: linted.diagnostics,
                requests: linted.requests,
                parsed: true,
                internal_errors: linted.internal_errors,
                secrets,
                names: linted.names,
            }
        }
        Err(error) => {
            let source = SourceFile::new(name, String::from_utf8_lossy(bytes).into_owned());
            let mut diagnostics = Vec::new();
            if settings.is_enabled(rules::INVALID_JSON) {
                diagnostics.push(invalid_json(&source, &error, dialect, settings));
            }
            let secrets = redact::secret_spans_lexical(source.text());
            FileResult {
                source,
                diagnostics,
                requests: 0,
                parsed: false,
                internal_errors: Vec::new(),
                secrets,
                names: Vec::new(),
            }
        }
    }
}

/// The CTE001 finding for a parse error. The span is widened to cover a whole replacement
/// character when the text had to be decoded lossily.
fn invalid_json(
    source: &SourceFile,
    error: &json::ParseError,
    dialect: ParseOptions,
    settings: &Settings,
) -> Diagnostic {
    let mut span = error.span;
    let text = source.text();
    if let Some(c) = text.get(span.start as usize..).and_then(|rest| rest.chars().next())
        && (span.is_empty() || !text.is_char_boundary(span.end as usize))
    {
        span.end = span.start + c.len_utf8() as u32;
    }
    let mut diagnostic = Diagnostic::new(
        rules::INVALID_JSON,
        Pointer::root(),
        span,
        if error.message.contains(dialect.dialect()) {
            error.message.clone()
        } else {
            format!("{} (read as {})", error.message, dialect.dialect())
        },
    );
    diagnostic.label = Some("here".to_owned());
    if let Some(severity) = settings.severity_override(rules::INVALID_JSON) {
        diagnostic.severity = severity;
    }
    diagnostic.help = Some(if dialect.comments {
        "this file was read as JSONC (comments and trailing commas allowed); fix the syntax error".to_owned()
    } else {
        "this file was read as strict JSON; fix the syntax error, or name the file `.jsonc` (or list it under `jsonc` in ctelint.toml) if it is meant to hold comments or trailing commas".to_owned()
    });
    diagnostic
}

/// What [`lint_document`] found.
#[derive(Debug, Default)]
pub struct Linted {
    /// The findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
    /// How many key requests the document held.
    pub requests: usize,
    /// Codes of rules that panicked.
    pub internal_errors: Vec<&'static str>,
    /// The key names the requests create.
    pub names: Vec<KeyName>,
    /// Whether the document may hold a secret, if a rule asked (see
    /// [`Context::may_hold_secret`]).
    pub root_may_hold_secret: Option<bool>,
}

/// Runs the enabled rules over a parsed document.
pub fn lint_document(source: &SourceFile, document: &Document, settings: &Settings) -> Linted {
    let requests = crate::request::requests(document);
    if requests.is_empty() {
        return Linted::default();
    }
    let mut cx = Context::new(source.text(), settings.profile);
    let mut internal_errors = Vec::new();
    for &rule in settings.rules() {
        cx.set_rule(rule.meta());
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            rule.check_document(document, &mut cx);
            for request in &requests {
                rule.check_request(request, &mut cx);
            }
        }));
        if outcome.is_err() {
            internal_errors.push(rule.meta().code);
            let meta = rule.meta();
            cx.report(
                Pointer::root(),
                Span::default(),
                format!(
                    "internal error: rule {} ({}) panicked, so its findings for this file are incomplete",
                    meta.code, meta.name
                ),
            )
            .severity(crate::diagnostic::Severity::Error)
            .help("this is a bug in ctelint; please report it with the file that triggered it");
        }
    }
    let root_may_hold_secret = cx.root_may_hold_secret();
    let mut diagnostics = cx.into_diagnostics();
    for diagnostic in &mut diagnostics {
        if let Some(severity) = settings.severity_override(diagnostic.rule) {
            diagnostic.severity = severity;
        }
    }
    sort(&mut diagnostics);
    let names = requests
        .iter()
        .filter_map(|request| key_name(source, request, requests.len() > 1))
        .collect();
    Linted {
        diagnostics,
        requests: requests.len(),
        internal_errors,
        names,
        root_may_hold_secret,
    }
}

/// Lints the key records of a saved `GET` response for `delete-check`.
pub fn lint_records(name: &str, bytes: &[u8], settings: &Settings, deletion: &Deletion) -> FileResult {
    let Ok(document) = json::parse_bytes(bytes, ParseOptions::JSONC) else {
        // Not JSON: the ordinary path reports CTE001.
        return lint_bytes(name, bytes, ParseOptions::JSONC, settings);
    };
    let source = SourceFile::new(name, String::from_utf8_lossy(bytes).into_owned());
    let records = crate::request::records(&document);
    let mut cx = Context::for_deletion(source.text(), deletion);
    for &rule in settings.rules() {
        cx.set_rule(rule.meta());
        for record in &records {
            rule.check_record(record, &mut cx);
        }
    }
    let mut diagnostics = cx.into_diagnostics();
    sort(&mut diagnostics);
    let secrets = if diagnostics.is_empty() {
        Vec::new()
    } else {
        redact::secret_spans(source.text(), &document.root, None)
    };
    FileResult {
        source,
        diagnostics,
        requests: records.len(),
        parsed: true,
        internal_errors: Vec::new(),
        secrets,
        names: Vec::new(),
    }
}

/// The name a request creates, when it is a plain string. With one request per file its line is
/// found by a short scan; with many, through the file's line index (built once).
fn key_name(source: &SourceFile, request: &crate::request::Request<'_>, many: bool) -> Option<KeyName> {
    let member = request.get("name")?;
    let name = member
        .value
        .as_str()
        .filter(|n| !n.is_empty() && !crate::request::is_template(n))?;
    let span = member.value.span;
    Some(KeyName {
        file: 0,
        file_name: source.name().to_owned(),
        name: name.to_owned(),
        pointer: request.at(&["name"]),
        span,
        start: locate(source, span.start, many),
        end: locate(source, span.end, many),
    })
}

/// Lints one text on its own: [`lint_bytes`], then the rules across the set with this text as
/// the whole set (what an editor or a single-file test sees).
pub fn lint_alone(name: &str, bytes: &[u8], dialect: ParseOptions, settings: &Settings) -> FileResult {
    let mut result = lint_bytes(name, bytes, dialect, settings);
    let found = check_set(settings, &result.names);
    if !found.is_empty() {
        result
            .diagnostics
            .extend(found.into_iter().map(|(_, diagnostic)| diagnostic));
        sort(&mut result.diagnostics);
        if result.secrets.is_empty() {
            if let Ok(document) = json::parse_bytes(bytes, dialect) {
                result.secrets = redact::secret_spans(result.source.text(), &document.root, None);
            }
        }
    }
    result
}

fn locate(source: &SourceFile, offset: u32, many: bool) -> crate::source::LineCol {
    if many {
        source.line_col(offset as usize)
    } else {
        crate::source::line_col_at(source.text(), offset as usize)
    }
}

/// Runs the rules that look across the linted set over key names in file and offset order;
/// returns each finding with the index of the name (in `names`) it belongs to.
pub fn check_set(settings: &Settings, names: &[KeyName]) -> Vec<(usize, Diagnostic)> {
    let mut found = Vec::new();
    for rule in settings.rules() {
        rule.check_set(names, &mut found);
    }
    for (_, diagnostic) in &mut found {
        if let Some(severity) = settings.severity_override(diagnostic.rule) {
            diagnostic.severity = severity;
        }
    }
    found
}

/// Sorts findings by offset, then code, then message (output must not depend on rule order).
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (a.span.start, a.rule.code, a.span.end, &a.message).cmp(&(b.span.start, b.rule.code, b.span.end, &b.message))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Severity;
    use crate::fix::FixAvailability;
    use crate::request::Request;
    use crate::rule::{Check, RuleMeta, RuleMetadata, Scope};

    /// Which names are read as JSONC, in either separator and any case of the extension.
    #[test]
    fn the_dialect_follows_the_file_name() {
        let jsonc = [
            "a.jsonc",
            "keys/A.JSONC",
            "tsconfig.json",
            "web\\tsconfig.build.json",
            "jsconfig.json",
            ".vscode/settings.json",
            "repo\\.vscode\\launch.JSON",
            ".devcontainer/devcontainer.json",
            "x/.babelrc",
            ".eslintrc.json",
            ".jshintrc",
            ".swcrc",
        ];
        let strict = [
            "key.json",
            "keys/tsconfig.jsonc.bak",
            "tsconfig",
            ".jsonc",
            "vscode/settings.json",
            ".vscode.json",
            "devcontainer.json",
            ".devcontainer/other.json",
            "x/.babelrc.json",
            "",
            "..",
        ];
        for name in jsonc {
            assert_eq!(dialect_for(name), ParseOptions::JSONC, "{name}");
        }
        for name in strict {
            assert_eq!(dialect_for(name), ParseOptions::STRICT, "{name}");
        }
    }

    /// A rule with a bug: it panics on every request.
    struct Panics;

    impl RuleMetadata for Panics {
        const META: &'static RuleMeta = &RuleMeta {
            code: "CTE999",
            name: "panics",
            severity: Severity::Error,
            fix: FixAvailability::None,
            default_enabled: true,
            scope: Scope::Create,
            docs: "Panics.",
            location: "src/linter.rs",
        };
    }

    impl Check for Panics {
        fn check_request(&self, _request: &Request<'_>, _cx: &mut Context<'_>) {
            panic!("a bug in a rule");
        }
    }

    static PANICS: Panics = Panics;

    #[test]
    fn a_panicking_rule_becomes_an_internal_error_and_the_other_rules_still_run() {
        let unexportable = crate::rules::find("CTE203").unwrap();
        let others = crate::rules::all()
            .find(|r| r.meta().code == unexportable.code)
            .unwrap();
        let settings = Settings::from_rules(crate::profile::Profile::Standard, vec![&PANICS, others]);
        let text = br#"{"name": "k", "algorithm": "aes", "unexportable": true}"#;
        let result = lint_bytes("k.json", text, ParseOptions::STRICT, &settings);
        assert_eq!(result.internal_errors, ["CTE999"]);
        let codes: Vec<&str> = result.diagnostics.iter().map(|d| d.rule.code).collect();
        assert_eq!(
            codes,
            ["CTE999", "CTE203"],
            "the panic is a finding and the next rule still ran"
        );
        assert!(
            result.diagnostics[0]
                .message
                .contains("internal error: rule CTE999 (panics) panicked")
        );
    }
}
