//! The default output: miette's graphical report, one per finding, with our own indexed source
//! so that code frames cost the same at the end of a large file as at its start.

use std::fmt::{self, Write as _};
use std::io::{self, Write};

use miette::{GraphicalReportHandler, GraphicalTheme, LabeledSpan, SourceCode};

use super::{FileReport, Style};
use crate::diagnostic::{Diagnostic, Severity};
use crate::source::SourceFile;

/// A finding as miette sees it.
pub struct MietteDiagnostic<'a> {
    diagnostic: &'a Diagnostic,
    source: &'a SourceFile,
}

impl<'a> MietteDiagnostic<'a> {
    /// Pairs a finding with the file it is in.
    pub fn new(diagnostic: &'a Diagnostic, source: &'a SourceFile) -> Self {
        Self { diagnostic, source }
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
        let diagnostic = self.diagnostic;
        let mut help = diagnostic.help.clone().unwrap_or_default();
        if let Some(fix) = &diagnostic.fix {
            if !help.is_empty() {
                help.push('\n');
            }
            let _ = write!(help, "{} fix: {}", fix.applicability.as_str(), fix.message);
        }
        (!help.is_empty()).then(|| Box::new(help) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        (!self.source.text().is_empty()).then_some(self.source as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.source.text().is_empty() {
            return None;
        }
        let diagnostic = self.diagnostic;
        let primary = LabeledSpan::new_primary_with_span(diagnostic.label.clone(), diagnostic.span.range());
        let related = diagnostic
            .related
            .iter()
            .map(|label| LabeledSpan::new_with_span(Some(label.message.clone()), label.span.range()));
        Some(Box::new(std::iter::once(primary).chain(related)))
    }
}

/// The handler every graphical report goes through: no hyperlink escapes, no URLs (they are in
/// the JSON output), colour only when asked for.
fn handler(style: Style) -> GraphicalReportHandler {
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
pub fn render_diagnostic(diagnostic: &Diagnostic, source: &SourceFile, style: Style) -> String {
    render_with(&handler(style), diagnostic, source)
}

fn render_with(handler: &GraphicalReportHandler, diagnostic: &Diagnostic, source: &SourceFile) -> String {
    let mut out = String::new();
    if handler
        .render_report(&mut out, &MietteDiagnostic::new(diagnostic, source))
        .is_err()
    {
        out = format!("{}: {} {}\n", source.name(), diagnostic.rule.code, diagnostic.message);
    }
    if source.text().is_empty() {
        // No code frame names the file: say which one it was.
        out.insert_str(0, &format!("{}:\n", source.name()));
    }
    out
}

pub(super) fn write(out: &mut dyn Write, files: &[&FileReport], style: Style) -> io::Result<()> {
    let handler = handler(style);
    for file in files {
        for diagnostic in &file.diagnostics {
            out.write_all(render_with(&handler, diagnostic, &file.source).as_bytes())?;
            writeln!(out)?;
        }
    }
    Ok(())
}
