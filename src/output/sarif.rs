//! SARIF 2.1.0 as GitHub code scanning wants it: every rule in `tool.driver.rules` with its
//! descriptions and help, 1-based regions with an exclusive end column counted in Unicode code
//! points (declared in `columnKind`), relative URIs, `partialFingerprints`, and no timestamps,
//! so the same input gives the same bytes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde_json::{Value, json};

use super::{FileReport, Frame, Pretty, Totals};
use crate::diagnostic::{Diagnostic, Severity};
use crate::json::Span;
use crate::rule::RuleMeta;
use crate::rules;
use crate::source::{LineCol, SourceFile};

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

/// The pieces of a SARIF result.
impl Pretty<'_> {
    /// The member `name` holding `{"text": text}`.
    fn text(&mut self, name: &str, text: &str) {
        self.object(name, |w| w.string("text", text));
    }

    /// A `region` from `from` to `to`, with the bytes `bytes` when the file is at hand.
    fn region(&mut self, name: &str, bytes: Option<Span>, from: LineCol, to: LineCol) {
        self.object(name, |w| {
            if let Some(span) = bytes {
                w.number("byteLength", span.len());
                w.number("byteOffset", span.start as usize);
            }
            w.number("endColumn", to.column);
            w.number("endLine", to.line);
            w.number("startColumn", from.column);
            w.number("startLine", from.line);
        });
    }

    /// The `region` of `span` in `source`.
    fn region_of(&mut self, name: &str, source: &SourceFile, span: Span) {
        let (from, to) = (source.line_col(span.start as usize), source.line_col(span.end as usize));
        self.region(name, Some(span), from, to);
    }

    /// `{"uri": uri}` as the member `artifactLocation`.
    fn artifact(&mut self, uri: &str) {
        self.object("artifactLocation", |w| w.string("uri", uri));
    }

    /// The result for `diagnostic`, a finding of `source` (whose URI is `file_uri`).
    fn result(&mut self, source: &SourceFile, file_uri: &str, diagnostic: &Diagnostic) {
        if let Some(fix) = &diagnostic.fix {
            self.objects("fixes", [fix], |w, fix| {
                w.objects("artifactChanges", [fix], |w, fix| {
                    w.artifact(file_uri);
                    w.objects("replacements", &fix.edits, |w, edit| {
                        w.region_of("deletedRegion", source, edit.span);
                        w.text("insertedContent", &edit.content);
                    });
                });
                let description = [&fix.message, " (", fix.applicability.as_str(), " fix)"].concat();
                w.text("description", &description);
            });
        }
        self.string("level", level(diagnostic.severity));
        self.objects("locations", [diagnostic], |w, diagnostic| {
            w.objects("logicalLocations", [diagnostic], |w, diagnostic| {
                w.string("fullyQualifiedName", diagnostic.pointer.as_str());
                w.string("kind", "member");
            });
            w.object("physicalLocation", |w| {
                w.artifact(file_uri);
                w.region_of("region", source, diagnostic.span);
            });
        });
        self.text("message", &diagnostic.message);
        self.object("partialFingerprints", |w| {
            w.string("ctelintFingerprint/v1", &diagnostic.fingerprint(source.name()));
        });
        if !diagnostic.related.is_empty() {
            self.objects(
                "relatedLocations",
                diagnostic.related.iter().enumerate(),
                |w, (i, label)| {
                    w.number("id", i + 1);
                    w.text("message", &label.message);
                    w.object("physicalLocation", |w| {
                        if let Some(elsewhere) = &label.file {
                            // Its place in the other file was resolved while that file was at
                            // hand.
                            w.artifact(&uri(&elsewhere.name));
                            w.region("region", None, elsewhere.start, elsewhere.end);
                        } else {
                            w.artifact(file_uri);
                            w.region_of("region", source, label.span);
                        }
                    });
                },
            );
        }
        self.string("ruleId", diagnostic.rule.code);
        self.number("ruleIndex", rule_index(diagnostic.rule));
    }
}

/// `name` as a relative URI: display names are relative to the working directory, and the
/// characters a URI reserves are percent-encoded.
fn uri(name: &str) -> Cow<'_, str> {
    let reserved = |c: char| matches!(c, ' ' | '#' | '%' | '?');
    if !name.contains(reserved) {
        return Cow::Borrowed(name);
    }
    let mut encoded = String::with_capacity(name.len() + 8);
    for c in name.chars() {
        match c {
            ' ' => encoded.push_str("%20"),
            '#' => encoded.push_str("%23"),
            '%' => encoded.push_str("%25"),
            '?' => encoded.push_str("%3F"),
            c => encoded.push(c),
        }
    }
    Cow::Owned(encoded)
}

/// The index of `rule` in `tool.driver.rules`, the order of [`rules::all`].
fn rule_index(rule: &RuleMeta) -> usize {
    static INDEX: OnceLock<HashMap<&'static str, usize>> = OnceLock::new();
    let index = INDEX.get_or_init(|| {
        rules::all()
            .enumerate()
            .map(|(i, rule)| (rule.meta().code, i))
            .collect()
    });
    index.get(rule.code).copied().unwrap_or(0)
}

pub(super) fn render(file: &FileReport) -> Vec<u8> {
    let source = &file.source;
    let file_uri = uri(source.name());
    // A result takes about 1.9 KB, rarely more than 2.5 KB (what each one reserves): the part
    // is rarely grown, so rarely copied.
    let mut part = Vec::with_capacity(file.diagnostics.len() * 2560);
    for diagnostic in &file.diagnostics {
        Pretty::element(&mut part, RESULTS_DEPTH).top(|w| w.result(source, &file_uri, diagnostic));
    }
    part
}

/// How deep `runs[0].results` elements are in the pretty-printed log (two spaces a level).
const RESULTS_DEPTH: usize = 4;

/// Stands for the results while the rest of the log is printed.
const PLACEHOLDER: &str = "ctelint: the results go here";

/// Everything of the log but its results: the log printed with a placeholder result, cut around
/// it.
pub(super) fn frame(totals: &Totals) -> Frame {
    if totals.empty {
        let mut head = serde_json::to_vec_pretty(&log(&[])).unwrap_or_default();
        head.push(b'\n');
        return Frame {
            head,
            ..Frame::default()
        };
    }
    let text = serde_json::to_string_pretty(&log(&[Value::from(PLACEHOLDER)])).unwrap_or_default();
    let quoted = format!("\"{PLACEHOLDER}\"");
    let at = text.find(&quoted).unwrap_or(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = (at + quoted.len()).min(text.len());
    debug_assert_eq!(
        at - line_start,
        2 * RESULTS_DEPTH,
        "results are as deep as RESULTS_DEPTH says"
    );
    Frame {
        head: text.as_bytes()[..line_start].to_vec(),
        separator: b",\n",
        tail: format!("{}\n", &text[line_end..]).into_bytes(),
    }
}

fn log(results: &[Value]) -> Value {
    let all: Vec<_> = rules::all().map(crate::rule::Rule::meta).collect();
    let descriptors: Vec<Value> = all
        .iter()
        .map(|meta| {
            let docs = meta.documentation();
            json!({
                "id": meta.code,
                "name": meta.name,
                "shortDescription": {"text": meta.summary()},
                "fullDescription": {"text": meta.summary()},
                "help": {"text": docs, "markdown": docs},
                "helpUri": meta.url(),
                "defaultConfiguration": {"level": level(meta.severity), "enabled": meta.default_enabled},
                "properties": {"tags": ["cte", "ciphertrust"], "precision": "high"},
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "ctelint",
                "version": env!("CARGO_PKG_VERSION"),
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "informationUri": crate::rule::DOCS_URL,
                "rules": descriptors,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    })
}
