//! SARIF 2.1.0 as GitHub code scanning wants it: every rule in `tool.driver.rules` with its
//! descriptions and help, 1-based regions with an exclusive end column counted in Unicode code
//! points (declared in `columnKind`), relative URIs, `partialFingerprints`, and no timestamps,
//! so the same input gives the same bytes.

use std::io::{self, Write};

use serde_json::{Value, json};

use super::FileReport;
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
pub fn log(files: &[&FileReport]) -> Value {
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
    let results: Vec<Value> = files
        .iter()
        .flat_map(|file| {
            file.diagnostics.iter().map(|d| {
                let index = all.iter().position(|m| m.code == d.rule.code).unwrap_or(0);
                result(file, d, index)
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

pub(super) fn write(out: &mut dyn Write, files: &[&FileReport]) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, &log(files)).map_err(io::Error::other)?;
    writeln!(out)
}
