//! The line index and our `miette::SourceCode`: the same code frames as miette's own string
//! source, and the right lines and columns.

use std::fmt::Write as _;

use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode};

use ctelint::source::{LineCol, LineIndex, SourceFile};

#[derive(Debug)]
struct Probe<S: SourceCode> {
    source: S,
    labels: Vec<(usize, usize)>,
}

impl<S: SourceCode> std::fmt::Display for Probe<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("probe")
    }
}

impl<S: SourceCode + std::fmt::Debug> std::error::Error for Probe<S> {}

impl<S: SourceCode + std::fmt::Debug> Diagnostic for Probe<S> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().enumerate().map(|(i, &(start, len))| {
            LabeledSpan::new(Some(format!("label {i}")), start, len)
        })))
    }
}

fn render(diagnostic: &dyn Diagnostic) -> String {
    let mut out = String::new();
    GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
        .with_links(false)
        .with_width(80)
        .render_report(&mut out, diagnostic)
        .unwrap();
    out
}

#[test]
fn code_frames_match_mietttes_string_source() {
    let long = (0..200).fold(String::new(), |mut out, i| {
        let _ = writeln!(out, "  \"member{i}\": {i},");
        out
    });
    let cases: Vec<(String, Vec<(usize, usize)>)> = vec![
        ("{\n  \"a\": 1,\n  \"b\": true\n}\n".to_owned(), vec![(9, 1), (21, 4)]),
        (
            "{\r\n  \"a\": 1,\r\n  \"b\": true\r\n}\r\n".to_owned(),
            vec![(10, 1), (23, 4)],
        ),
        ("{\n\t\"a\": \"tab\"\n}".to_owned(), vec![(8, 5)]),
        ("{\n  \"a\": [\n    1,\n    2\n  ]\n}\n".to_owned(), vec![(9, 21)]),
        ("{\"a\": 1}".to_owned(), vec![(8, 0)]),
        (format!("{{\n{long}  \"z\": 0\n}}\n"), vec![(4, 7), (long.len() + 4, 3)]),
        ("{\"é😀\": \"x\", \"b\": 1}".to_owned(), vec![(16, 3)]),
    ];
    for (text, labels) in cases {
        let ours = Probe {
            source: SourceFile::new("f.json", text.clone()),
            labels: labels.clone(),
        };
        let stock = Probe {
            source: NamedSource::new("f.json", text.clone()),
            labels,
        };
        assert_eq!(render(&ours), render(&stock), "for {text:?}");
    }
}

#[test]
fn lines_and_columns_count_scalar_values_and_all_line_breaks() {
    let text = "ab\r\ncd\né😀x\rlast";
    let index = LineIndex::new(text);
    let at = |offset| index.line_col(text, offset);
    assert_eq!(at(0), LineCol { line: 1, column: 1 });
    assert_eq!(at(2), LineCol { line: 1, column: 3 });
    assert_eq!(at(4), LineCol { line: 2, column: 1 });
    let x = text.find('x').unwrap();
    assert_eq!(at(x), LineCol { line: 3, column: 3 });
    assert_eq!(index.line_col_utf16(text, x), (2, 3));
    assert_eq!(at(text.len()), LineCol { line: 4, column: 5 });
    assert_eq!(index.line_count(), 4);
}

#[test]
fn a_single_lookup_agrees_with_the_index() {
    let text = "ab\r\ncd\né😀x\rlast\n\n";
    let index = LineIndex::new(text);
    for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
        assert_eq!(
            ctelint::source::line_col_at(text, offset),
            index.line_col(text, offset),
            "offset {offset}"
        );
    }
}

#[test]
fn line_breaks_are_found_at_every_position_of_a_text() {
    // Lines of every length from 0 to 40, so that a break falls on each byte of a 16-byte chunk,
    // on the boundaries between chunks, and in the bytes after the last whole chunk.
    let text: String = (0..=40).map(|length| "x".repeat(length) + "\n").collect::<String>() + "tail";
    let index = LineIndex::new(&text);
    assert_eq!(index.line_count(), 42);
    for offset in 0..=text.len() {
        assert_eq!(
            ctelint::source::line_col_at(&text, offset),
            index.line_col(&text, offset),
            "offset {offset}"
        );
    }
    for length in [15, 16, 17, 31, 32, 33] {
        let text = "y".repeat(length) + "\n";
        assert_eq!(LineIndex::new(&text).line_count(), 2, "break after {length} bytes");
    }
}
