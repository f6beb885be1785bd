//! Source files and the line index: byte offsets to 1-based lines and columns, computed once per
//! file and answered by binary search, for every output and for miette's code frames.

use std::sync::OnceLock;

use miette::{MietteError, MietteSpanContents, SourceCode, SourceSpan, SpanContents};

/// Bytes between two checkpoints of a long line: a column lookup counts at most this many bytes
/// (and the rest of a character), however long the line (a minified file is one line, and it
/// may hold a finding every few bytes).
const CHECKPOINT_EVERY: usize = 512;

/// Line starts of a text; `\n`, `\r\n` and a lone `\r` end a line (as in miette and SARIF).
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<u32>,
    /// Positions inside lines longer than [`CHECKPOINT_EVERY`] bytes, about every
    /// [`CHECKPOINT_EVERY`] bytes of such a line, sorted; none for an ASCII text.
    checkpoints: Vec<Checkpoint>,
    /// Whether the text is ASCII, where columns are byte counts (most files).
    ascii: bool,
}

/// A character boundary inside a long line and the columns counted from the line start to it.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    /// Byte offset in the text.
    offset: u32,
    /// Unicode scalar values from the line start.
    chars: u32,
    /// UTF-16 code units from the line start.
    utf16: u32,
}

/// A 1-based line and column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

impl LineIndex {
    /// Indexes `text`.
    pub fn new(text: &str) -> Self {
        let bytes = text.as_bytes();
        // Most texts have no `\r`: one search for it, then a search for `\n` alone, is cheaper
        // than searching for both (2.0 M fewer instructions on a 2.8 MB pretty-printed file).
        // The `\n`s are counted first (a vector count, which does not stop at each one), so the
        // table is allocated once instead of growing; only a lone `\r`, which also ends a line,
        // can make it grow.
        let mut starts = Vec::with_capacity(1 + memchr::memchr_iter(b'\n', bytes).count());
        starts.push(0);
        if memchr::memchr(b'\r', bytes).is_none() {
            starts.extend(memchr::memchr_iter(b'\n', bytes).map(|i| i as u32 + 1));
        } else {
            for i in memchr::memchr2_iter(b'\n', b'\r', bytes) {
                if bytes[i] == b'\n' || bytes.get(i + 1) != Some(&b'\n') {
                    starts.push(i as u32 + 1);
                }
            }
        }
        let mut checkpoints = Vec::new();
        let ascii = text.is_ascii();
        if !ascii {
            let ends = starts.iter().skip(1).map(|&s| s as usize).chain([text.len()]);
            for (&start, end) in starts.iter().zip(ends) {
                let start = start as usize;
                if end - start > CHECKPOINT_EVERY {
                    add_checkpoints(text, start, end, &mut checkpoints);
                }
            }
        }
        Self {
            starts,
            checkpoints,
            ascii,
        }
    }

    /// Number of lines (a final line break starts an empty last line).
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }

    /// The 0-based line holding `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|&start| start as usize <= offset) - 1
    }

    /// Byte offset where the 0-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts.get(line).map_or(usize::MAX, |&s| s as usize)
    }

    /// The last checkpoint at or before `offset` on the line starting at `start`, or the line
    /// start itself (with nothing counted).
    fn nearest(&self, start: usize, offset: usize) -> Checkpoint {
        let after = self.checkpoints.partition_point(|c| c.offset as usize <= offset);
        after
            .checked_sub(1)
            .and_then(|i| self.checkpoints.get(i))
            .filter(|c| c.offset as usize >= start)
            .copied()
            .unwrap_or(Checkpoint {
                offset: start as u32,
                chars: 0,
                utf16: 0,
            })
    }

    /// The 1-based line and column (in Unicode scalar values) of `offset` in `text`; an offset
    /// inside a character counts the bytes from the line start instead.
    pub fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let counted = if self.ascii || !text.is_char_boundary(offset) {
            offset - start
        } else {
            let from = self.nearest(start, offset);
            from.chars as usize + text[from.offset as usize..offset].chars().count()
        };
        LineCol {
            line: line + 1,
            column: counted + 1,
        }
    }

    /// The 0-based line and UTF-16 column of `offset`, as LSP counts by default (0 for an
    /// offset inside a character).
    pub fn line_col_utf16(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let column = if self.ascii {
            offset - start
        } else if text.is_char_boundary(offset) {
            let from = self.nearest(start, offset);
            from.utf16 as usize
                + text[from.offset as usize..offset]
                    .chars()
                    .map(char::len_utf16)
                    .sum::<usize>()
        } else {
            0
        };
        (line, column)
    }

    /// The byte offset of a 0-based line and a column counted by `unit` (bytes per character).
    pub fn offset_of(&self, text: &str, line: usize, column: usize, unit: fn(char) -> usize) -> usize {
        let Some(&start) = self.starts.get(line) else {
            return text.len();
        };
        let start = start as usize;
        let end = self.starts.get(line + 1).map_or(text.len(), |&s| s as usize);
        let mut counted = 0;
        for (i, c) in text[start..end].char_indices() {
            if counted >= column || c == '\n' || c == '\r' {
                return start + i;
            }
            counted += unit(c);
        }
        end
    }
}

/// Adds the checkpoints of the line `start..end` of `text` (its line break included): each one
/// at the first character boundary [`CHECKPOINT_EVERY`] bytes or more after the previous one
/// (or the line start), none at the end, which is the next line's start.
fn add_checkpoints(text: &str, start: usize, end: usize, checkpoints: &mut Vec<Checkpoint>) {
    let (mut at, mut chars, mut utf16) = (start, 0, 0);
    loop {
        let mut next = at + CHECKPOINT_EVERY;
        while next < end && !text.is_char_boundary(next) {
            next += 1;
        }
        if next >= end {
            return;
        }
        let chunk = &text[at..next];
        let counted = chunk.chars().count();
        chars += counted;
        // A character outside the Basic Multilingual Plane (a four-byte one) is two UTF-16 units.
        utf16 += counted + chunk.bytes().filter(|&b| b >= 0xF0).count();
        checkpoints.push(Checkpoint {
            offset: next as u32,
            chars: chars as u32,
            utf16: utf16 as u32,
        });
        at = next;
    }
}

/// The 1-based line and column of one offset, found by scanning the text before it: cheaper
/// than a [`LineIndex`] when a single position of a file is needed (and it is near the top).
pub fn line_col_at(text: &str, offset: usize) -> LineCol {
    let offset = offset.min(text.len());
    let before = text.as_bytes().get(..offset).unwrap_or_default();
    let mut line = 1;
    let mut line_start = 0;
    for (i, &b) in before.iter().enumerate() {
        if b == b'\n' || b == b'\r' && text.as_bytes().get(i + 1) != Some(&b'\n') {
            line += 1;
            line_start = i + 1;
        }
    }
    let column = text
        .get(line_start..offset)
        .map_or(offset - line_start, |s| s.chars().count())
        + 1;
    LineCol { line, column }
}

/// A linted text with its display name and its line index, built the first time a line or
/// column is asked for (most linted files are clean and never need one).
#[derive(Clone, Debug)]
pub struct SourceFile {
    name: String,
    text: String,
    index: OnceLock<LineIndex>,
}

impl SourceFile {
    /// Wraps a text; `name` is how outputs show the file (relative, forward slashes).
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            text: text.into(),
            index: OnceLock::new(),
        }
    }

    /// The display name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The line index.
    pub fn index(&self) -> &LineIndex {
        self.index.get_or_init(|| LineIndex::new(&self.text))
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.index().line_col(&self.text, offset)
    }

    /// The bytes of the 0-based `line`, its line break included.
    pub fn line_range(&self, line: usize) -> std::ops::Range<usize> {
        let index = self.index();
        index.line_start(line)..index.line_start(line + 1).min(self.text.len())
    }
}

impl SourceCode for SourceFile {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let bytes = self.text.as_bytes();
        let span_start = span.offset();
        let span_end = span_start + span.len();
        if span_end > bytes.len() {
            return Err(MietteError::OutOfBounds);
        }
        let first_line = self.index().line_of(span_start);
        let last_line = self.index().line_of(span_end.saturating_sub(1).max(span_start));
        let (start, line, column) = if context_lines_before == 0 {
            (span_start, first_line, span_start - self.index().line_start(first_line))
        } else {
            let line = first_line.saturating_sub(context_lines_before);
            (self.index().line_start(line), line, 0)
        };
        let (end, line_count) = if context_lines_after == 0 {
            (span_end.max(start), last_line)
        } else {
            let after = last_line + context_lines_after;
            let end = self.line_range(after).end;
            (end, (after + 1).min(self.index().line_count() - 1))
        };
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            &bytes[start..end],
            (start, end - start).into(),
            line,
            column,
            line_count,
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Columns counted from the line start on every lookup, as the index did before it had
    /// checkpoints.
    fn naive(index: &LineIndex, text: &str, offset: usize) -> (LineCol, usize) {
        let offset = offset.min(text.len());
        let line = index.line_of(offset);
        let start = index.line_start(line);
        let column = text.get(start..offset).map_or(offset - start, |s| s.chars().count()) + 1;
        let utf16 = text
            .get(start..offset)
            .map_or(0, |s| s.chars().map(char::len_utf16).sum());
        (LineCol { line: line + 1, column }, utf16)
    }

    #[test]
    fn checkpoints_give_the_columns_of_counting_from_the_line_start() {
        let mixed = "aé€😀\t\"x\\".repeat(300);
        let texts = [
            String::new(),
            "ab\r\ncd\né😀x\rlast".to_owned(),
            // Lines just under, at and over the checkpoint distance, ending in each line break.
            format!(
                "{}\n{}\r\n{}\r{}",
                "x".repeat(511),
                "é".repeat(256),
                "😀".repeat(129),
                "x".repeat(513)
            ),
            // Long lines of mixed widths: checkpoints land next to every kind of character.
            format!("{mixed}\r\n{mixed}\r{mixed}\n\n{mixed}"),
            // A long line starting and ending with a line break, and one line break short of it.
            format!("\r\n{}€\r\n", "😀".repeat(1000)),
            "€".repeat(2000),
        ];
        for text in &texts {
            let index = LineIndex::new(text);
            for offset in 0..=text.len() + 2 {
                let (expected, utf16) = naive(&index, text, offset);
                assert_eq!(index.line_col(text, offset), expected, "offset {offset} of {text:?}");
                assert_eq!(
                    index.line_col_utf16(text, offset),
                    (expected.line - 1, utf16),
                    "offset {offset} of {text:?}"
                );
            }
        }
        let long = &texts[3];
        assert!(LineIndex::new(long).checkpoints.len() > 4 * mixed.len() / CHECKPOINT_EVERY - 8);
    }
}
