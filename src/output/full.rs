//! The default output: miette's graphical report, one per finding, with our own indexed source
//! so that code frames cost the same at the end of a large file as at its start.

use std::fmt::{self, Write as _};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::{FileReport, Style, fix_hint};
use crate::diagnostic::{Diagnostic, Severity};
use crate::escape;
use crate::fix::Applicability;
use crate::fix::fixer::FixPolicy;
use crate::source::SourceFile;

/// A finding as miette sees it.
pub struct MietteDiagnostic<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a SourceFile,
    policy: &'a FixPolicy,
}

impl<'a> MietteDiagnostic<'a> {
    /// Pairs a finding with the file it is in; `policy` decides how its fix is described.
    pub fn new(diagnostic: &'a Diagnostic, source: &'a SourceFile, policy: &'a FixPolicy) -> Self {
        Self {
            diagnostic,
            source,
            policy,
        }
    }

    /// The fix line of the help: its tier, the flags that would apply it when `--fix` alone
    /// does not, its message, and for sensitive fixes the text before and after.
    fn fix_line(&self) -> Option<String> {
        let fix = self.diagnostic.fix.as_ref()?;
        let mut line = format!("{} fix", fix.applicability.as_str());
        if let Some(flags) = fix_hint(self.diagnostic, self.policy) {
            let _ = write!(line, " ({flags})");
        }
        let _ = write!(line, ": {}", fix.message);
        if fix.applicability == Applicability::Sensitive && !fix.message.contains('→') {
            let text = self.source.text();
            let changes: Vec<String> = fix
                .edits
                .iter()
                .map(|edit| format!("{} → {}", shown(&text[edit.span.range()]), shown(&edit.content)))
                .collect();
            let _ = write!(line, " ({})", changes.join(", "));
        }
        Some(line)
    }
}

fn shown(text: &str) -> String {
    if text.is_empty() {
        "nothing".to_owned()
    } else {
        format!("`{}`", text.trim())
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
        f.write_str(&self.diagnostic.message)
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
        let lines: Vec<String> = self.diagnostic.help.iter().cloned().chain(self.fix_line()).collect();
        (!lines.is_empty()).then(|| Box::new(lines.join("\n")) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        framed(self.diagnostic, self.source).then_some(self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if !framed(self.diagnostic, self.source) {
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
}

/// Renders one finding as text.
pub fn render_diagnostic(diagnostic: &Diagnostic, source: &SourceFile, style: &Style) -> String {
    let shown = visible(source);
    render_with(
        &handler(style),
        diagnostic,
        shown.as_ref().unwrap_or(source),
        &style.policy,
    )
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
    let text_len = source.text().len();
    let spans =
        std::iter::once(diagnostic.span).chain(diagnostic.related.iter().filter(|l| l.file.is_none()).map(|l| l.span));
    spans.into_iter().all(|span| {
        let first = index.line_of(span.start as usize);
        let last = index.line_of(span.end as usize);
        (first..=last).all(|line| {
            let end = if line + 1 < index.line_count() {
                index.line_start(line + 1)
            } else {
                text_len
            };
            end - index.line_start(line) <= WIDEST_FRAMED_LINE
        })
    })
}

fn render_with(
    handler: &GraphicalReportHandler,
    diagnostic: &Diagnostic,
    source: &SourceFile,
    policy: &FixPolicy,
) -> String {
    let report = MietteDiagnostic::new(diagnostic, source, policy);
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
    if !framed(diagnostic, source) {
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
        part.push_str(&render_with(&handler, diagnostic, source, &style.policy));
        part.push('\n');
    }
    part.into_bytes()
}
