//! `--output-format json`: an array of findings with the members of SPEC §8 (plus `help` and
//! `related`). This is an API: members are only ever added.

use super::{FileReport, Frame, Totals};
use crate::diagnostic::Diagnostic;
use crate::escape::push_json_string;
use crate::json::Span;
use crate::rule::DOCS_URL;
use crate::source::{LineCol, SourceFile};

/// The text between two values of a finding, in both of serde_json's layouts: pretty-printed
/// as written in [`frag!`], and on one line.
#[derive(Clone, Copy)]
struct Frag {
    pretty: &'static [u8],
    compact: &'static [u8],
}

/// `text` without its spaces and line breaks, and the length left: the one-line layout of a
/// pretty fragment (member names have no spaces).
const fn strip_layout<const N: usize>(text: &[u8]) -> ([u8; N], usize) {
    let mut out = [0; N];
    let (mut from, mut to) = (0, 0);
    while from < text.len() {
        if text[from] != b' ' && text[from] != b'\n' {
            out[to] = text[from];
            to += 1;
        }
        from += 1;
    }
    (out, to)
}

/// A [`Frag`] from its pretty-printed text; the one-line text is worked out at compile time.
macro_rules! frag {
    ($pretty:expr) => {{
        const PRETTY: &str = $pretty;
        const STRIPPED: ([u8; PRETTY.len()], usize) = strip_layout(PRETTY.as_bytes());
        const COMPACT: &[u8] = {
            let (bytes, len) = &STRIPPED;
            bytes.split_at(*len).0
        };
        Frag {
            pretty: PRETTY.as_bytes(),
            compact: COMPACT,
        }
    }};
}

/// The fragments around a `location`, `end_location` and `span`, for members indented by
/// `$outer` (and theirs by `$inner`).
macro_rules! place_layout {
    ($outer:literal, $inner:literal) => {
        PlaceLayout {
            row: frag!(concat!(",\n", $outer, "\"location\": {\n", $inner, "\"row\": ")),
            column: frag!(concat!(",\n", $inner, "\"column\": ")),
            end_row: frag!(concat!(
                "\n",
                $outer,
                "},\n",
                $outer,
                "\"end_location\": {\n",
                $inner,
                "\"row\": "
            )),
            offset: frag!(concat!(
                "\n",
                $outer,
                "},\n",
                $outer,
                "\"span\": {\n",
                $inner,
                "\"offset\": "
            )),
            length: frag!(concat!(",\n", $inner, "\"length\": ")),
            end: frag!(concat!("\n", $outer, "}")),
        }
    };
}

/// The fragments of a `location`, `end_location` and `span` (see [`place_layout!`]): before
/// the start row, between a row and its column, before the end row, before the offset, before
/// the length, after it.
struct PlaceLayout {
    row: Frag,
    column: Frag,
    end_row: Frag,
    offset: Frag,
    length: Frag,
    end: Frag,
}

/// The fragments of a member holding an array of objects: the whole member when the array is
/// empty; up to the first object's first value; between objects up to the next one's; after
/// each object's last value; after the last object.
struct ArrayLayout {
    empty: Frag,
    first: Frag,
    next: Frag,
    item_end: Frag,
    end: Frag,
}

/// The fragments of the member `$name`, an array of objects whose first member is `$first`,
/// for a member indented by `$outer`, its objects by `$item` and their members by `$inner`.
macro_rules! array_layout {
    ($name:literal, $first:literal, $outer:literal, $item:literal, $inner:literal) => {
        ArrayLayout {
            empty: frag!(concat!(",\n", $outer, "\"", $name, "\": []")),
            first: frag!(concat!(
                ",\n", $outer, "\"", $name, "\": [\n", $item, "{\n", $inner, "\"", $first, "\": "
            )),
            next: frag!(concat!(",\n", $item, "{\n", $inner, "\"", $first, "\": ")),
            item_end: frag!(concat!("\n", $item, "}")),
            end: frag!(concat!("\n", $outer, "]")),
        }
    };
}

/// A finding's `related` labels.
const RELATED: ArrayLayout = array_layout!("related", "message", "    ", "      ", "        ");

/// The `edits` of a finding's fix.
const EDITS: ArrayLayout = array_layout!("edits", "content", "      ", "        ", "          ");

/// Where a `location`, `end_location` and `span` are written: its fragments are constants, so
/// each copy of one is a few moves.
trait Place {
    const LAYOUT: PlaceLayout;
}

/// In a finding.
struct OfFinding;

impl Place for OfFinding {
    const LAYOUT: PlaceLayout = place_layout!("    ", "      ");
}

/// In an element of a finding's `related`.
struct OfLabel;

impl Place for OfLabel {
    const LAYOUT: PlaceLayout = place_layout!("        ", "          ");
}

/// In an edit of a finding's fix.
struct OfEdit;

impl Place for OfEdit {
    const LAYOUT: PlaceLayout = place_layout!("          ", "            ");
}

/// serde_json's two layouts (`PRETTY` or one line), written directly: a report has tens of
/// thousands of findings, and a finding's shape is fixed, so everything between its values is
/// a constant copied in one piece.
struct Writer<'a, const PRETTY: bool> {
    out: &'a mut Vec<u8>,
}

impl<const PRETTY: bool> Writer<'_, PRETTY> {
    #[inline]
    fn put(&mut self, frag: Frag) {
        self.out
            .extend_from_slice(if PRETTY { frag.pretty } else { frag.compact });
    }

    /// One of our own names, which holds nothing to escape.
    fn name(&mut self, name: &str) {
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.push(b'"');
    }

    fn number(&mut self, value: usize) {
        super::push_number(self.out, value);
    }

    /// `location`, `end_location` and `span` of `span` (found at `start`..`end`).
    #[inline]
    fn place<P: Place>(&mut self, span: Span, start: LineCol, end: LineCol) {
        self.put(P::LAYOUT.row);
        self.number(start.line);
        self.put(P::LAYOUT.column);
        self.number(start.column);
        self.put(P::LAYOUT.end_row);
        self.number(end.line);
        self.put(P::LAYOUT.column);
        self.number(end.column);
        self.put(P::LAYOUT.offset);
        self.number(span.start as usize);
        self.put(P::LAYOUT.length);
        self.number(span.len());
        self.put(P::LAYOUT.end);
    }

    /// A member whose value is an array of objects, written by `item` after each object's
    /// opening (and first member's name).
    fn array<T>(&mut self, items: &[T], layout: &ArrayLayout, mut item: impl FnMut(&mut Self, &T)) {
        if items.is_empty() {
            self.put(layout.empty);
            return;
        }
        for (i, each) in items.iter().enumerate() {
            self.put(if i == 0 { layout.first } else { layout.next });
            item(self, each);
            self.put(layout.item_end);
        }
        self.put(layout.end);
    }

    /// One finding of the file `source` (whose name is `filename`, written as a JSON string),
    /// with the members of SPEC §8 in their documented order, as an element of the top-level
    /// array.
    fn diagnostic(&mut self, source: &SourceFile, filename: &[u8], diagnostic: &Diagnostic) {
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
        self.put(frag!("{\n    \"code\": "));
        self.name(diagnostic.rule.code);
        self.put(frag!(",\n    \"name\": "));
        self.name(diagnostic.rule.name);
        self.put(frag!(",\n    \"severity\": "));
        self.name(diagnostic.severity.as_str());
        self.put(frag!(",\n    \"message\": "));
        push_json_string(self.out, &diagnostic.message);
        self.put(frag!(",\n    \"filename\": "));
        self.out.extend_from_slice(filename);
        self.put(frag!(",\n    \"pointer\": "));
        push_json_string(self.out, diagnostic.pointer.as_str());
        self.place::<OfFinding>(diagnostic.span, start, end);
        self.put(frag!(",\n    \"help\": "));
        match &diagnostic.help {
            Some(help) => push_json_string(self.out, help),
            None => self.out.extend_from_slice(b"null"),
        }
        self.array(&diagnostic.related, &RELATED, |w, label| {
            push_json_string(w.out, &label.message);
            w.put(frag!(",\n        \"filename\": "));
            if let Some(elsewhere) = &label.file {
                push_json_string(w.out, &elsewhere.name);
                w.place::<OfLabel>(label.span, elsewhere.start, elsewhere.end);
            } else {
                w.out.extend_from_slice(filename);
                w.place::<OfLabel>(label.span, at(label.span.start), at(label.span.end));
            }
        });
        match &diagnostic.fix {
            Some(fix) => {
                self.put(frag!(",\n    \"fix\": {\n      \"applicability\": "));
                self.name(fix.applicability.as_str());
                self.put(frag!(",\n      \"message\": "));
                push_json_string(self.out, &fix.message);
                self.array(&fix.edits, &EDITS, |w, edit| {
                    push_json_string(w.out, &edit.content);
                    w.place::<OfEdit>(edit.span, at(edit.span.start), at(edit.span.end));
                });
                self.put(frag!("\n    }"));
            }
            None => self.put(frag!(",\n    \"fix\": null")),
        }
        self.put(frag!(",\n    \"url\": "));
        self.out.push(b'"');
        self.out.extend_from_slice(DOCS_URL.as_bytes());
        self.out.extend_from_slice(diagnostic.rule.name.as_bytes());
        self.out.extend_from_slice(b".md\"");
        self.put(frag!("\n  }"));
    }
}

/// The findings of `file` in one layout: `first` before the first one, `between` between two,
/// `after` after each.
fn render_in<const PRETTY: bool>(file: &FileReport, first: &[u8], between: &[u8], after: &[u8]) -> Vec<u8> {
    // A finding takes about 1.1 KB, rarely more than 1.5 KB (what each one reserves): the part
    // is rarely grown, so rarely copied.
    let mut part = Vec::with_capacity(file.diagnostics.len() * 1536);
    let mut filename = Vec::new();
    push_json_string(&mut filename, file.source.name());
    for (i, diagnostic) in file.diagnostics.iter().enumerate() {
        part.extend_from_slice(if i == 0 { first } else { between });
        Writer::<PRETTY> { out: &mut part }.diagnostic(&file.source, &filename, diagnostic);
        part.extend_from_slice(after);
    }
    part
}

pub(super) fn render(file: &FileReport) -> Vec<u8> {
    // Elements of the top-level array, indented and separated as in the whole array.
    render_in::<true>(file, b"  ", b",\n  ", b"")
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
    render_in::<false>(file, b"", b"", b"\n")
}
