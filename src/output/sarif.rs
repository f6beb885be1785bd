//! SARIF 2.1.0 as GitHub code scanning wants it: every rule in `tool.driver.rules` with its
//! descriptions and help, 1-based regions with an exclusive end column counted in Unicode code
//! points (declared in `columnKind`), relative URIs, `partialFingerprints`, and no timestamps,
//! so the same input gives the same bytes.

use serde_json::{Value, json};

use super::{FileReport, Frame, Totals};
use crate::diagnostic::{Diagnostic, Severity};
use crate::rules;
use crate::source::SourceFile;

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn region(source: &SourceFile, start: u32, end: u32) -> Value {
    let from = source.line_col(start as usize);
    let to = source.line_col(end as usize);
    json!({
        "startLine": from.line,
        "startColumn": from.column,
        "endLine": to.line,
        "endColumn": to.column,
        "byteOffset": start,
        "byteLength": end - start,
    })
}

fn uri(name: &str) -> String {
    // Display names are relative to the working directory; percent-encode what a URI forbids.
    name.chars()
        .map(|c| match c {
            ' ' => "%20".to_owned(),
            '#' => "%23".to_owned(),
            '%' => "%25".to_owned(),
            '?' => "%3F".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

fn result(file: &FileReport, diagnostic: &Diagnostic, rule_index: usize) -> Value {
    let source = &file.source;
    let location = json!({
        "physicalLocation": {
            "artifactLocation": {"uri": uri(source.name())},
            "region": region(source, diagnostic.span.start, diagnostic.span.end),
        },
        "logicalLocations": [{"fullyQualifiedName": diagnostic.pointer.as_str(), "kind": "member"}],
    });
    let related: Vec<Value> = diagnostic
        .related
        .iter()
        .enumerate()
        .map(|(id, label)| {
            let (name, region) = match &label.file {
                Some(elsewhere) => (
                    elsewhere.name.clone(),
                    json!({
                        "startLine": elsewhere.start.line,
                        "startColumn": elsewhere.start.column,
                        "endLine": elsewhere.end.line,
                        "endColumn": elsewhere.end.column,
                    }),
                ),
                None => (
                    source.name().to_owned(),
                    region(source, label.span.start, label.span.end),
                ),
            };
            json!({
                "id": id + 1,
                "message": {"text": label.message},
                "physicalLocation": {"artifactLocation": {"uri": uri(&name)}, "region": region},
            })
        })
        .collect();
    let mut value = json!({
        "ruleId": diagnostic.rule.code,
        "ruleIndex": rule_index,
        "level": level(diagnostic.severity),
        "message": {"text": diagnostic.message},
        "locations": [location],
        "partialFingerprints": {"ctelintFingerprint/v1": diagnostic.fingerprint(source.name())},
    });
    if !related.is_empty() {
        value["relatedLocations"] = Value::Array(related);
    }
    if let Some(fix) = &diagnostic.fix {
        let replacements: Vec<Value> = fix
            .edits
            .iter()
            .map(|edit| json!({"deletedRegion": region(source, edit.span.start, edit.span.end), "insertedContent": {"text": edit.content}}))
            .collect();
        value["fixes"] = json!([{
            "description": {"text": format!("{} ({} fix)", fix.message, fix.applicability.as_str())},
            "artifactChanges": [{"artifactLocation": {"uri": uri(source.name())}, "replacements": replacements}],
        }]);
    }
    value
}

/// The SARIF log of `files`.
/// The index of `code` in `tool.driver.rules`.
fn rule_index(code: &str) -> usize {
    rules::all().position(|rule| rule.meta().code == code).unwrap_or(0)
}

pub(super) fn render(file: &FileReport) -> Vec<u8> {
    let mut part = Vec::new();
    for diagnostic in &file.diagnostics {
        super::push_element(
            &mut part,
            &result(file, diagnostic, rule_index(diagnostic.rule.code)),
            RESULTS_DEPTH,
        );
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
