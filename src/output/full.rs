//! The default output: miette's graphical report, one per finding, with our own indexed source
//! so that code frames cost the same at the end of a large file as at its start.

use std::fmt;

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents, SourceCode, SourceSpan,
    SpanContents,
};

use super::{FileReport, Style, fix_hint};
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape;
use crate::fix::Applicability;
use crate::fix::fixer::FixPolicy;
use crate::json::Span;
use crate::source::SourceFile;

/// A finding as miette sees it.
pub struct MietteDiagnostic<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a SourceFile,
    policy: &'a FixPolicy,
    /// Whether the finding gets a code frame (see [`framed`]), worked out once.
    framed: bool,
    /// What the code frame shows of a wide line.
    window: Option<Window<'a>>,
    /// The report's width, when the message and help are wrapped to it here (see [`wrap`]).
    width: Option<usize>,
}

impl<'a> MietteDiagnostic<'a> {
    /// Pairs a finding with the file it is in; `policy` decides how its fix is described.
    pub fn new(diagnostic: &'a Diagnostic, source: &'a SourceFile, policy: &'a FixPolicy) -> Self {
        Self {
            diagnostic,
            source,
            policy,
            framed: framed(diagnostic, source),
            window: None,
            width: None,
        }
    }

    /// The same for a report `width` columns wide: the message and help wrapped to it, and a
    /// code frame that shows a window of a wide line (see [`Window`]).
    fn within(self, width: usize) -> Self {
        let window = self
            .framed
            .then(|| Window::new(self.source, self.diagnostic, text_width(width)))
            .flatten();
        Self {
            window,
            width: Some(width),
            ..self
        }
    }

    /// Appends the fix line of the help: its tier, the flags that would apply it when `--fix`
    /// alone does not, its message, and for sensitive fixes the text before and after. (Pieces
    /// pushed in turn: with every rule, most findings have one.)
    fn push_fix_line(&self, line: &mut String) {
        let Some(fix) = self.diagnostic.fix.as_ref() else {
            return;
        };
        line.push_str(fix.applicability.as_str());
        line.push_str(" fix");
        if let Some(flags) = fix_hint(self.diagnostic, self.policy) {
            line.push_str(" (");
            line.push_str(&flags);
            line.push(')');
        }
        line.push_str(": ");
        line.push_str(&fix.message);
        if fix.applicability == Applicability::Sensitive && !fix.message.contains('→') {
            let text = self.source.text();
            line.push_str(" (");
            for (i, edit) in fix.edits.iter().enumerate() {
                if i > 0 {
                    line.push_str(", ");
                }
                push_shown(line, &text[edit.span.range()]);
                line.push_str(" → ");
                push_shown(line, &edit.content);
            }
            line.push(')');
        }
    }
}

/// Appends `text` as a fix line quotes it: trimmed, in backquotes, or `nothing`.
fn push_shown(line: &mut String, text: &str) {
    if text.is_empty() {
        line.push_str("nothing");
    } else {
        line.push('`');
        line.push_str(text.trim());
        line.push('`');
    }
}

impl fmt::Debug for MietteDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MietteDiagnostic")
            .field(&self.diagnostic.rule.code)
            .finish()
    }
}

impl fmt::Display for MietteDiagnostic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.width {
            Some(width) => f.write_str(&wrap(&self.diagnostic.message, width, MESSAGE_INDENT)),
            None => f.write_str(&self.diagnostic.message),
        }
    }
}

impl std::error::Error for MietteDiagnostic<'_> {}

impl miette::Diagnostic for MietteDiagnostic<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        let meta = self.diagnostic.rule;
        Some(Box::new(format!("{} {}", meta.code, meta.name)))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diagnostic.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        if self.diagnostic.help.is_none() && self.diagnostic.fix.is_none() {
            return None;
        }
        let mut help = self.diagnostic.help.clone().unwrap_or_default();
        if self.diagnostic.fix.is_some() {
            if self.diagnostic.help.is_some() {
                help.push('\n');
            }
            self.push_fix_line(&mut help);
        }
        Some(Box::new(match self.width {
            Some(width) => wrap(&help, width, HELP_INDENT),
            None => help,
        }))
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        if let Some(window) = &self.window {
            return Some(window);
        }
        self.framed.then_some(self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !self.framed {
            return None;
        }
        let diagnostic = self.diagnostic;
        let primary = LabeledSpan::new_primary_with_span(diagnostic.label.clone(), diagnostic.span.range());
        // Labels in other files have no place in this code frame; the message names them.
        let related = diagnostic
            .related
            .iter()
            .filter(|label| label.file.is_none())
            .map(|label| LabeledSpan::new_with_span(Some(label.message.clone()), label.span.range()));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The handler every graphical report goes through: no hyperlink escapes, no URLs (they are in
/// the JSON output), colour only when asked for.
fn handler(style: &Style) -> GraphicalReportHandler {
    let theme = if style.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    GraphicalReportHandler::new_themed(theme)
        .with_links(false)
        .with_urls(false)
        .with_width(style.width)
        .with_wrap_lines(false)
}

/// The columns before a message (`  × `).
const MESSAGE_INDENT: usize = 4;
/// The columns before help (`  help: `).
const HELP_INDENT: usize = 8;

/// `text` wrapped as miette would wrap it in a report `width` columns wide, after an indent of
/// `indent` columns, with textwrap: first fit, lines broken at ASCII spaces only (an owner id,
/// a pattern or `ctelint delete-check` stays whole), a word wider than a line broken. miette
/// indents the lines itself. It hands textwrap every line, and an indented line always takes
/// textwrap's slow path; here a line that fits, as most do, is kept as it is, and most others
/// are cut by [`wrap_line`].
fn wrap(text: &str, width: usize, indent: usize) -> String {
    // miette leaves two columns free.
    let width = width.saturating_sub(2);
    let room = width.saturating_sub(indent);
    let pad = " ".repeat(indent);
    let options = wrap_options(width, &pad);
    let mut out = String::with_capacity(text.len() + 16);
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        // No character is wider than its UTF-8 bytes are long: a line of at most `room` bytes
        // fits without being measured. (Of a longer line that fits, the cut keeps it whole.)
        if line.len() <= room {
            out.push_str(line.trim_end_matches(' '));
        } else if !wrap_line(line, room, &mut out) {
            for (j, piece) in textwrap::wrap(line, &options).iter().enumerate() {
                if j > 0 {
                    out.push('\n');
                }
                out.push_str(piece.strip_prefix(pad.as_str()).unwrap_or(piece));
            }
        }
    }
    out
}

/// The textwrap options miette wraps with (breaking at ASCII spaces only), for lines `width`
/// columns wide indented by `pad`.
fn wrap_options(width: usize, pad: &str) -> textwrap::Options<'_> {
    textwrap::Options::new(width)
        .initial_indent(pad)
        .subsequent_indent(pad)
        .word_separator(textwrap::WordSeparator::AsciiSpace)
        .word_splitter(textwrap::WordSplitter::NoHyphenation)
        .break_words(true)
}

/// `line` wrapped into lines of `room` columns, as textwrap wraps it with [`wrap_options`],
/// appended to `out`; false (with nothing appended) where textwrap is left to do it: for a
/// line with an escape character (a terminal sequence is measured as none), in less than one
/// column, or with a word wider than a line that is not printable ASCII (it is cut by the
/// columns of its characters).
///
/// As textwrap does: a word is the text up to the next run of spaces, which it carries, and is
/// as wide as textwrap measures it; a word wider than a line is cut into pieces a line wide,
/// the last one carrying its spaces; a line takes words while they fit, their spaces included,
/// and ends at its last word, without the spaces after it. textwrap measures each character of
/// the line several times over; here a word of printable ASCII is as wide as it is long.
fn wrap_line(line: &str, room: usize, out: &mut String) -> bool {
    if room == 0 || line.contains('\u{1b}') {
        return false;
    }
    let before = out.len();
    let bytes = line.as_bytes();
    // The current line's start, its width so far, and where its last piece of a word ends.
    let (mut start, mut used, mut end) = (0, 0, 0);
    let mut first = true;
    let mut at = 0;
    while at < bytes.len() {
        // The word and whether it is printable ASCII, in one pass (words are short).
        let (mut word_end, mut printable) = (at, true);
        while let Some(&b) = bytes.get(word_end).filter(|&&b| b != b' ') {
            printable &= matches!(b, b'!'..=b'~');
            word_end += 1;
        }
        let next = bytes[word_end..]
            .iter()
            .position(|&b| b != b' ')
            .map_or(bytes.len(), |i| word_end + i);
        let width = if printable {
            word_end - at
        } else {
            textwrap::core::display_width(&line[at..word_end])
        };
        if width > room && !printable {
            out.truncate(before);
            return false;
        }
        // The word's pieces, a line wide but for the last, which carries the spaces.
        let mut piece = at;
        loop {
            let piece_end = if width > room {
                word_end.min(piece + room)
            } else {
                word_end
            };
            let piece_width = if width > room { piece_end - piece } else { width };
            // No piece is wider than a line: the first one of a line always fits.
            if used + piece_width > room {
                if !first {
                    out.push('\n');
                }
                out.push_str(&line[start..end]);
                first = false;
                (start, used) = (piece, 0);
            }
            used += piece_width;
            end = piece_end;
            if piece_end == word_end {
                break;
            }
            piece = piece_end;
        }
        used += next - word_end;
        at = next;
    }
    if !first {
        out.push('\n');
    }
    out.push_str(&line[start..end]);
    true
}

/// Renders one finding as text.
pub fn render_diagnostic(diagnostic: &Diagnostic, source: &SourceFile, style: &Style) -> String {
    let shown = visible(source);
    render_with(&handler(style), diagnostic, shown.as_ref().unwrap_or(source), style)
}

/// The file as its code frames show it, when it holds characters a terminal must not get raw
/// ([`escape::visible`]).
fn visible(source: &SourceFile) -> Option<SourceFile> {
    escape::visible(source.text()).map(|text| SourceFile::new(source.name(), text))
}

/// Lines longer than this are not drawn: a frame would be unreadable, and miette cannot draw
/// labels past column 65,535.
const WIDEST_FRAMED_LINE: usize = 2_000;

/// Whether the finding gets a code frame: the file has text and every line a label touches is
/// of a drawable width.
fn framed(diagnostic: &Diagnostic, source: &SourceFile) -> bool {
    if source.text().is_empty() {
        return false;
    }
    let index = source.index();
    frame_spans(diagnostic).all(|span| {
        let first = index.line_of(span.start as usize);
        let last = index.line_of(span.end as usize);
        (first..=last).all(|line| source.line_range(line).len() <= WIDEST_FRAMED_LINE)
    })
}

/// The spans a finding's code frame labels: its own, and those of its related labels in the
/// same file.
fn frame_spans(diagnostic: &Diagnostic) -> impl Iterator<Item = Span> + '_ {
    std::iter::once(diagnostic.span).chain(diagnostic.related.iter().filter(|l| l.file.is_none()).map(|l| l.span))
}

/// The part of one wide line that a code frame shows, cut at `…` (as rustc does): a minified
/// request is one line, and a frame that drew all of it for each of its findings would print
/// the request again each time, and take as long to draw. It stands in for the file only when
/// miette asks for the lines around the labels; the place in the frame's header is read from
/// the file itself.
struct Window<'a> {
    source: &'a SourceFile,
    /// The part of the line shown, between `…` where it is cut.
    text: String,
    /// The offset in the file of `text`'s first byte: a leading `…` stands for the 3 bytes
    /// before the part shown.
    offset: usize,
    /// The line, from 0.
    line: usize,
}

/// What the window shows of the line, with the labels: `ELLIPSIS` is 3 bytes, 1 column.
const ELLIPSIS: &str = "…";

impl<'a> Window<'a> {
    /// The window of `width` characters around the labels of `diagnostic`'s frame when they
    /// all lie on one line of more than twice that; `None` otherwise, and the frame shows whole
    /// lines with the lines around them (which a window leaves out). A line of a pretty-printed
    /// file that is a little too wide is best shown whole; a minified request is many times
    /// wider.
    fn new(source: &'a SourceFile, diagnostic: &Diagnostic, width: usize) -> Option<Self> {
        let text = source.text();
        let index = source.index();
        let start = frame_spans(diagnostic).map(|span| span.start as usize).min()?;
        let end = frame_spans(diagnostic).map(|span| span.end as usize).max()?;
        let line = index.line_of(start);
        let whole = source.line_range(line);
        let line_start = whole.start;
        let line_end = line_start + text[whole].trim_end_matches(['\n', '\r']).len();
        // Characters counted only up to the first one past twice the width.
        if end > line_end || text[line_start..line_end].chars().nth(2 * width).is_none() {
            return None;
        }
        // The labels in the middle, the rest of the width shared on both sides; what one side
        // cannot use (at the start or end of the line) goes to the other.
        let spare = width.saturating_sub(text[start..end].chars().count());
        let after = forward(text, end, line_end, spare - spare / 2);
        let before = back(text, start, line_start, spare - chars(text, end, after));
        let after = forward(text, end, line_end, spare - chars(text, before, start));
        // A cut of less than an ellipsis's bytes at the start is not made.
        let before = if before - line_start < ELLIPSIS.len() {
            line_start
        } else {
            before
        };
        let mut shown = String::with_capacity(after - before + 2 * ELLIPSIS.len());
        if before > line_start {
            shown.push_str(ELLIPSIS);
        }
        shown.push_str(&text[before..after]);
        if after < line_end {
            shown.push_str(ELLIPSIS);
        }
        Some(Self {
            source,
            text: shown,
            offset: if before > line_start {
                before - ELLIPSIS.len()
            } else {
                before
            },
            line,
        })
    }
}

/// The characters of `text[from..to]`.
fn chars(text: &str, from: usize, to: usize) -> usize {
    text[from..to].chars().count()
}

/// The offset `count` characters after `from`, or `limit` if that comes first.
fn forward(text: &str, from: usize, limit: usize, count: usize) -> usize {
    text[from..limit]
        .char_indices()
        .nth(count)
        .map_or(limit, |(at, _)| from + at)
}

/// The offset `count` characters before `from`, or `limit` if that comes first.
fn back(text: &str, from: usize, limit: usize, count: usize) -> usize {
    if count == 0 {
        return from;
    }
    text[limit..from]
        .char_indices()
        .rev()
        .nth(count - 1)
        .map_or(limit, |(at, _)| limit + at)
}

impl SourceCode for Window<'_> {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        context_lines_before: usize,
        context_lines_after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        if context_lines_before == 0 && context_lines_after == 0 {
            return self.source.read_span(span, 0, 0);
        }
        Ok(Box::new(MietteSpanContents::new_named(
            self.source.name().to_owned(),
            self.text.as_bytes(),
            (self.offset, self.text.len()).into(),
            self.line,
            0,
            self.line,
        )))
    }
}

/// The columns a code frame gives a line's text at a report width of `width`: the rest is
/// the gutter (`  12 │ `) and a margin.
fn text_width(width: usize) -> usize {
    width.saturating_sub(12).max(40)
}

fn render_with(
    handler: &GraphicalReportHandler,
    diagnostic: &Diagnostic,
    source: &SourceFile,
    style: &Style,
) -> String {
    let report = MietteDiagnostic::new(diagnostic, source, &style.policy).within(style.width);
    let mut out = String::new();
    // A rendering bug must cost one code frame, not the run.
    let rendered = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        handler.render_report(&mut out, &report)
    }));
    if !matches!(rendered, Ok(Ok(()))) {
        out = format!(
            "  {} {}: {}\n",
            diagnostic.rule.code, diagnostic.rule.name, diagnostic.message
        );
    }
    if !report.framed {
        // No code frame names the place: say where it is.
        let place = if source.text().is_empty() {
            source.name().to_owned()
        } else {
            let at = source.line_col(diagnostic.span.start as usize);
            format!("{}:{}:{}", source.name(), at.line, at.column)
        };
        out.insert_str(0, &format!("{place}:\n"));
    }
    out
}

pub(super) fn render(file: &FileReport, style: &Style) -> Vec<u8> {
    let handler = handler(style);
    let shown = visible(&file.source);
    let source = shown.as_ref().unwrap_or(&file.source);
    let mut part = String::new();
    for diagnostic in &file.diagnostics {
        part.push_str(&render_with(&handler, diagnostic, source, style));
        part.push('\n');
    }
    part.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::Pointer;
    use crate::testing::Rng;

    /// Words of every kind a message holds: short and long, ids with hyphens and bars, wide
    /// and accented characters, and one wider than any line.
    const WORDS: [&str; 12] = [
        "a",
        "key",
        "`CTE Clients`",
        "is granted",
        "`ctelint delete-check`",
        "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c",
        "re-read",
        "/meta/permissions/ReadKey",
        "\u{e9}t\u{e9}",
        "\u{4e2d}\u{6587}",
        "(`true` \u{2192} `false`)",
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    ];

    fn words(rng: &mut Rng) -> String {
        let count = 1 + rng.below(30);
        let mut text = String::new();
        for i in 0..count {
            if i > 0 {
                text.push_str([" ", " ", " ", "  "][rng.below(4)]);
            }
            text.push_str(WORDS[rng.below(WORDS.len())]);
        }
        text
    }

    /// Lines are cut where textwrap cuts them: spaces leading, trailing and repeated, words
    /// wider than the line, accented, wide and control characters, lines from one column wide.
    #[test]
    fn lines_wrap_as_textwrap_wraps_them() {
        let mut rng = Rng(0x5EED_0A5C);
        let (mut broken, mut handled) = (0, 0);
        for _ in 0..20_000 {
            let mut line = String::new();
            for _ in 0..rng.below(12) {
                line.push_str(&" ".repeat(rng.below(4)));
                let word: String = (0..rng.below(25))
                    .map(|_| match rng.below(40) {
                        0 => 'é',
                        1 => '→',
                        2 => '漢',
                        3 => '\u{7}',
                        _ => char::from(b'!' + rng.below(94) as u8),
                    })
                    .collect();
                line.push_str(&word);
            }
            let room = 1 + rng.below(40);
            let pad = " ".repeat(rng.below(9));
            let theirs: Vec<String> = textwrap::wrap(&line, super::wrap_options(room + pad.len(), &pad))
                .iter()
                .map(|piece| piece.strip_prefix(pad.as_str()).unwrap_or(piece).to_owned())
                .collect();
            let mut ours = String::from("before");
            if super::wrap_line(&line, room, &mut ours) {
                assert_eq!(
                    ours,
                    format!("before{}", theirs.join("\n")),
                    "{line:?} in {room} columns"
                );
                handled += 1;
            } else {
                assert_eq!(ours, "before");
            }
            broken += usize::from(line.split(' ').any(|word| word.len() > room));
        }
        assert!(broken > 5_000, "{broken} lines with a word wider than the line");
        assert!(handled > 8_000, "{handled} lines wrapped here");
    }

    /// The report with the message and help wrapped here is the one miette gives when it wraps
    /// them itself (breaking at ASCII spaces only), at every width.
    #[test]
    fn messages_and_help_wrap_as_miette_wraps_them() {
        let source = SourceFile::new("key.json", "{\"name\": \"k\"}\n");
        let mut rng = Rng(0x00C0_FFEE);
        let mut wrapped = 0;
        for _ in 0..2000 {
            let mut diagnostic = Diagnostic::new(
                crate::rules::INVALID_JSON,
                Pointer::root(),
                Span::new(1, 7),
                words(&mut rng),
            );
            let mut help = words(&mut rng);
            if rng.below(2) == 0 {
                help = format!("{help}\n{}", words(&mut rng));
            }
            diagnostic.help = Some(help);
            let style = Style {
                color: rng.below(2) == 0,
                width: 30 + rng.below(100),
                policy: FixPolicy::safe(),
            };
            let ours = render_with(&handler(&style), &diagnostic, &source, &style);
            let mut theirs = String::new();
            handler(&style)
                .with_wrap_lines(true)
                .with_word_separator(textwrap::WordSeparator::AsciiSpace)
                .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
                .render_report(&mut theirs, &MietteDiagnostic::new(&diagnostic, &source, &style.policy))
                .unwrap();
            assert_eq!(ours, theirs, "at width {}", style.width);
            // A message that goes on to a second line (uncoloured: colour styles the bar).
            wrapped += usize::from(ours.lines().any(|line| line.starts_with("  │ ")));
        }
        assert!(wrapped > 300, "{wrapped} messages wrapped");
    }
}
