//! SARIF 2.1.0 as GitHub code scanning wants it: every rule in `tool.driver.rules` with its
//! descriptions and help, 1-based regions with an exclusive end column counted in Unicode code
//! points (declared in `columnKind`), relative URIs, `partialFingerprints`, and no timestamps,
//! so the same input gives the same bytes.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;
use serde_json::{Value, json};

use super::{FileReport, Frame, Totals};
use crate::diagnostic::{Diagnostic, Severity};
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

/// A SARIF `region`: lines and columns, and the bytes when the file is at hand. Members are
/// declared in name order, the order serde_json's maps print them in (the frame is printed from
/// a map, and both must read alike).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region {
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_length: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    byte_offset: Option<u32>,
    end_column: usize,
    end_line: usize,
    start_column: usize,
    start_line: usize,
}

impl Region {
    /// The region of the bytes `start..end` of `source`.
    fn of(source: &SourceFile, start: u32, end: u32) -> Self {
        let (from, to) = (source.line_col(start as usize), source.line_col(end as usize));
        Self {
            byte_length: Some(end - start),
            byte_offset: Some(start),
            ..Self::lines(from, to)
        }
    }

    /// The region from `from` to `to`, in a file that is not at hand.
    fn lines(from: LineCol, to: LineCol) -> Self {
        Self {
            byte_length: None,
            byte_offset: None,
            end_column: to.column,
            end_line: to.line,
            start_column: from.column,
            start_line: from.line,
        }
    }
}

#[derive(Serialize)]
struct Text<'a> {
    text: &'a str,
}

#[derive(Serialize)]
struct ArtifactLocation<'a> {
    uri: &'a str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation<'a>,
    region: Region,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LogicalLocation<'a> {
    fully_qualified_name: &'a str,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    logical_locations: [LogicalLocation<'a>; 1],
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct RelatedLocation<'a> {
    id: usize,
    message: Text<'a>,
    physical_location: PhysicalLocation<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactChange<'a> {
    artifact_location: ArtifactLocation<'a>,
    replacements: Vec<Replacement<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifFix<'a> {
    artifact_changes: [ArtifactChange<'a>; 1],
    description: Text<'a>,
}

#[derive(Serialize)]
struct Fingerprints {
    #[serde(rename = "ctelintFingerprint/v1")]
    v1: String,
}

/// One element of `runs[0].results`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    fixes: Option<[SarifFix<'a>; 1]>,
    level: &'static str,
    locations: [Location<'a>; 1],
    message: Text<'a>,
    partial_fingerprints: Fingerprints,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<RelatedLocation<'a>>,
    rule_id: &'static str,
    rule_index: usize,
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

/// The result for `diagnostic`, a finding of `source` (whose URI is `file_uri`); `fix_text`
/// receives its fix's description, which the result borrows.
fn result<'a>(
    source: &'a SourceFile,
    file_uri: &'a str,
    diagnostic: &'a Diagnostic,
    related_uris: &'a [Cow<'a, str>],
    fix_text: &'a str,
) -> SarifResult<'a> {
    let here = |start: u32, end: u32| PhysicalLocation {
        artifact_location: ArtifactLocation { uri: file_uri },
        region: Region::of(source, start, end),
    };
    let related_locations = diagnostic
        .related
        .iter()
        .zip(related_uris)
        .enumerate()
        .map(|(i, (label, elsewhere_uri))| RelatedLocation {
            id: i + 1,
            message: Text { text: &label.message },
            physical_location: match &label.file {
                Some(elsewhere) => PhysicalLocation {
                    artifact_location: ArtifactLocation { uri: elsewhere_uri },
                    region: Region::lines(elsewhere.start, elsewhere.end),
                },
                None => here(label.span.start, label.span.end),
            },
        })
        .collect();
    SarifResult {
        fixes: diagnostic.fix.as_ref().map(|fix| {
            [SarifFix {
                artifact_changes: [ArtifactChange {
                    artifact_location: ArtifactLocation { uri: file_uri },
                    replacements: fix
                        .edits
                        .iter()
                        .map(|edit| Replacement {
                            deleted_region: Region::of(source, edit.span.start, edit.span.end),
                            inserted_content: Text { text: &edit.content },
                        })
                        .collect(),
                }],
                description: Text { text: fix_text },
            }]
        }),
        level: level(diagnostic.severity),
        locations: [Location {
            logical_locations: [LogicalLocation {
                fully_qualified_name: diagnostic.pointer.as_str(),
                kind: "member",
            }],
            physical_location: here(diagnostic.span.start, diagnostic.span.end),
        }],
        message: Text {
            text: &diagnostic.message,
        },
        partial_fingerprints: Fingerprints {
            v1: diagnostic.fingerprint(source.name()),
        },
        related_locations,
        rule_id: diagnostic.rule.code,
        rule_index: rule_index(diagnostic.rule),
    }
}

pub(super) fn render(file: &FileReport) -> Vec<u8> {
    let source = &file.source;
    let file_uri = uri(source.name());
    // A result takes about 1.9 KB, rarely more than 2.5 KB (what each one reserves): the part
    // is rarely grown, so rarely copied.
    let mut part = Vec::with_capacity(file.diagnostics.len() * 2560);
    for diagnostic in &file.diagnostics {
        // A label in another file is given by that file's URI; one here by this file's.
        let related_uris: Vec<Cow<'_, str>> = diagnostic
            .related
            .iter()
            .map(|label| {
                label
                    .file
                    .as_ref()
                    .map_or(Cow::Borrowed(""), |elsewhere| uri(&elsewhere.name))
            })
            .collect();
        let fix_text = diagnostic
            .fix
            .as_ref()
            .map(|fix| format!("{} ({} fix)", fix.message, fix.applicability.as_str()))
            .unwrap_or_default();
        super::push_element(
            &mut part,
            &result(source, &file_uri, diagnostic, &related_uris, &fix_text),
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
