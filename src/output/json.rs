//! `--output-format json`: an array of findings with the members of SPEC §8 (plus `help` and
//! `related`). This is an API: members are only ever added.

use super::{FileReport, Frame, Totals};
use crate::diagnostic::Diagnostic;
use crate::escape::push_json_string;
use crate::json::Span;
use crate::source::{LineCol, SourceFile};

/// serde_json's two layouts, written directly: a report has tens of thousands of findings
/// and serialising each through serde was most of the time of a large report.
struct Writer<'a> {
    out: &'a mut Vec<u8>,
    /// Pretty-printed, this many levels in; `None` for one line.
    depth: Option<usize>,
    /// Whether the open object or array has nothing in it yet.
    empty: bool,
}

impl Writer<'_> {
    fn newline(&mut self) {
        // A line break and the indentation in one copy, for the depths findings reach.
        const LINE: &[u8; 17] = b"\n                ";
        if let Some(depth) = self.depth {
            if let Some(line) = LINE.get(..=2 * depth) {
                self.out.extend_from_slice(line);
            } else {
                self.out.push(b'\n');
                self.out.resize(self.out.len() + 2 * depth, b' ');
            }
        }
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth = self.depth.map(|d| d + 1);
        self.empty = true;
    }

    fn close(&mut self, bracket: u8) {
        self.depth = self.depth.map(|d| d - 1);
        if !self.empty {
            self.newline();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// Starts the next element of an array.
    fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.newline();
        self.empty = false;
    }

    /// Starts the member `name` of an object (one of ours: nothing in it to escape).
    fn key(&mut self, name: &str) {
        self.item();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out
            .extend_from_slice(if self.depth.is_some() { b"\": " } else { b"\":" });
    }

    fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        push_json_string(self.out, value);
    }

    fn number(&mut self, name: &str, value: usize) {
        self.key(name);
        let mut digits = [0; 20];
        let mut at = digits.len();
        let mut rest = value;
        loop {
            at -= 1;
            digits[at] = b'0' + (rest % 10) as u8;
            rest /= 10;
            if rest == 0 {
                break;
            }
        }
        // A few bytes: pushed one by one rather than copied by a call.
        for &digit in &digits[at..] {
            self.out.push(digit);
        }
    }

    fn null(&mut self, name: &str) {
        self.key(name);
        self.out.extend_from_slice(b"null");
    }

    fn location(&mut self, name: &str, at: LineCol) {
        self.key(name);
        self.open(b'{');
        self.number("row", at.line);
        self.number("column", at.column);
        self.close(b'}');
    }

    /// `location`, `end_location` and `span` of `span` (found at `start`..`end`).
    fn place(&mut self, span: Span, start: LineCol, end: LineCol) {
        self.location("location", start);
        self.location("end_location", end);
        self.key("span");
        self.open(b'{');
        self.number("offset", span.start as usize);
        self.number("length", span.len());
        self.close(b'}');
    }

    /// One finding, with the members of SPEC §8 in their documented order.
    fn diagnostic(&mut self, source: &SourceFile, diagnostic: &Diagnostic) {
        // Fixes usually edit the finding's own span: its line and column are looked up once.
        let (start, end) = (
            source.line_col(diagnostic.span.start as usize),
            source.line_col(diagnostic.span.end as usize),
        );
        let at = |offset: u32| match offset {
            o if o == diagnostic.span.start => start,
            o if o == diagnostic.span.end => end,
            o => source.line_col(o as usize),
        };
        self.out.reserve(1536);
        self.open(b'{');
        self.string("code", diagnostic.rule.code);
        self.string("name", diagnostic.rule.name);
        self.string("severity", diagnostic.severity.as_str());
        self.string("message", &diagnostic.message);
        self.string("filename", source.name());
        self.string("pointer", diagnostic.pointer.as_str());
        self.place(diagnostic.span, start, end);
        match &diagnostic.help {
            Some(help) => self.string("help", help),
            None => self.null("help"),
        }
        self.key("related");
        self.open(b'[');
        for label in &diagnostic.related {
            self.item();
            self.open(b'{');
            self.string("message", &label.message);
            if let Some(elsewhere) = &label.file {
                self.string("filename", &elsewhere.name);
                self.place(label.span, elsewhere.start, elsewhere.end);
            } else {
                self.string("filename", source.name());
                self.place(label.span, at(label.span.start), at(label.span.end));
            }
            self.close(b'}');
        }
        self.close(b']');
        match &diagnostic.fix {
            Some(fix) => {
                self.key("fix");
                self.open(b'{');
                self.string("applicability", fix.applicability.as_str());
                self.string("message", &fix.message);
                self.key("edits");
                self.open(b'[');
                for edit in &fix.edits {
                    self.item();
                    self.open(b'{');
                    self.string("content", &edit.content);
                    self.place(edit.span, at(edit.span.start), at(edit.span.end));
                    self.close(b'}');
                }
                self.close(b']');
                self.close(b'}');
            }
            None => self.null("fix"),
        }
        self.string("url", &diagnostic.rule.url());
        self.close(b'}');
    }
}

pub(super) fn render(file: &FileReport) -> Vec<u8> {
    // A finding takes about 1.1 KB, rarely more than 1.5 KB (what each one reserves): the part
    // is rarely grown, so rarely copied.
    let mut part = Vec::with_capacity(file.diagnostics.len() * 1536);
    for diagnostic in &file.diagnostics {
        // Elements of the top-level array, separated as in the whole array.
        if !part.is_empty() {
            part.extend_from_slice(b",\n");
        }
        part.extend_from_slice(b"  ");
        let mut writer = Writer {
            out: &mut part,
            depth: Some(1),
            empty: true,
        };
        writer.diagnostic(&file.source, diagnostic);
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
        let mut writer = Writer {
            out: &mut part,
            depth: None,
            empty: true,
        };
        writer.diagnostic(&file.source, diagnostic);
        part.push(b'\n');
    }
    part
}
