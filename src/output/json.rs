//! `--output-format json`: an array of findings with the members of SPEC §8 (plus `help` and
//! `related`). This is an API: members are only ever added.

use serde::Serialize;

use super::{FileReport, Frame, Totals};
use crate::diagnostic::Diagnostic;
use crate::json::Span;
use crate::source::SourceFile;

#[derive(Serialize)]
struct Location {
    row: usize,
    column: usize,
}

#[derive(Serialize)]
struct SpanOut {
    offset: u32,
    length: u32,
}

#[derive(Serialize)]
struct EditOut<'a> {
    content: &'a str,
    location: Location,
    end_location: Location,
    span: SpanOut,
}

#[derive(Serialize)]
struct FixOut<'a> {
    applicability: &'static str,
    message: &'a str,
    edits: Vec<EditOut<'a>>,
}

#[derive(Serialize)]
struct RelatedOut<'a> {
    message: &'a str,
    filename: &'a str,
    location: Location,
    end_location: Location,
    span: SpanOut,
}

#[derive(Serialize)]
struct DiagnosticOut<'a> {
    code: &'static str,
    name: &'static str,
    severity: &'static str,
    message: &'a str,
    filename: &'a str,
    pointer: &'a str,
    location: Location,
    end_location: Location,
    span: SpanOut,
    help: Option<&'a str>,
    related: Vec<RelatedOut<'a>>,
    fix: Option<FixOut<'a>>,
    url: String,
}

fn location(source: &SourceFile, offset: u32) -> Location {
    let at = source.line_col(offset as usize);
    Location {
        row: at.line,
        column: at.column,
    }
}

fn span_out(span: Span) -> SpanOut {
    SpanOut {
        offset: span.start,
        length: span.end - span.start,
    }
}

fn diagnostic_out<'a>(source: &'a SourceFile, diagnostic: &'a Diagnostic) -> DiagnosticOut<'a> {
    let fix = diagnostic.fix.as_ref().map(|fix| FixOut {
        applicability: fix.applicability.as_str(),
        message: &fix.message,
        edits: fix
            .edits
            .iter()
            .map(|edit| EditOut {
                content: &edit.content,
                location: location(source, edit.span.start),
                end_location: location(source, edit.span.end),
                span: span_out(edit.span),
            })
            .collect(),
    });
    DiagnosticOut {
        code: diagnostic.rule.code,
        name: diagnostic.rule.name,
        severity: diagnostic.severity.as_str(),
        message: &diagnostic.message,
        filename: source.name(),
        pointer: diagnostic.pointer.as_str(),
        location: location(source, diagnostic.span.start),
        end_location: location(source, diagnostic.span.end),
        span: span_out(diagnostic.span),
        help: diagnostic.help.as_deref(),
        related: diagnostic
            .related
            .iter()
            .map(|label| match &label.file {
                Some(elsewhere) => RelatedOut {
                    message: &label.message,
                    filename: &elsewhere.name,
                    location: Location {
                        row: elsewhere.start.line,
                        column: elsewhere.start.column,
                    },
                    end_location: Location {
                        row: elsewhere.end.line,
                        column: elsewhere.end.column,
                    },
                    span: span_out(label.span),
                },
                None => RelatedOut {
                    message: &label.message,
                    filename: source.name(),
                    location: location(source, label.span.start),
                    end_location: location(source, label.span.end),
                    span: span_out(label.span),
                },
            })
            .collect(),
        fix,
        url: diagnostic.rule.url(),
    }
}

pub(super) fn render(file: &FileReport) -> Vec<u8> {
    // A finding takes about 1.1 KB: rarely grown, not through every size on the way.
    let mut part = Vec::with_capacity(file.diagnostics.len() * 1280);
    for diagnostic in &file.diagnostics {
        super::push_element(&mut part, &diagnostic_out(&file.source, diagnostic), 1);
    }
    part
}

/// The frame of a pretty-printed top-level array (this format's and GitLab's).
pub(super) fn frame(totals: &Totals) -> Frame {
    if totals.empty {
        return Frame {
            head: b"[]\n".to_vec(),
            ..Frame::default()
        };
    }
    Frame {
        head: b"[\n".to_vec(),
        separator: b",\n",
        tail: b"\n]\n".to_vec(),
    }
}

pub(super) fn render_lines(file: &FileReport) -> Vec<u8> {
    let mut part = Vec::new();
    for diagnostic in &file.diagnostics {
        // Serialising our own output structs cannot fail.
        if crate::escape::to_writer(&mut part, &diagnostic_out(&file.source, diagnostic)).is_ok() {
            part.push(b'\n');
        }
    }
    part
}
