//! GitHub Actions workflow commands (`::error file=…,line=…::message`), errors first, with the
//! escaping GitHub's toolkit applies: `%`, CR and LF in messages; also `:` and `,` in
//! properties.

use std::fmt::Write as _;

use super::FileReport;
use crate::diagnostic::Severity;

/// Escapes a message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Errors, warnings and notices: the three sections of the report.
pub(super) fn render(file: &FileReport) -> Vec<Vec<u8>> {
    let mut sections = vec![String::new(), String::new(), String::new()];
    for diagnostic in &file.diagnostics {
        let (command, section) = match diagnostic.severity {
            Severity::Error => ("error", 0),
            Severity::Warning => ("warning", 1),
            Severity::Info => ("notice", 2),
        };
        let start = file.source.line_col(diagnostic.span.start as usize);
        let end = file.source.line_col(diagnostic.span.end as usize);
        let _ = writeln!(
            sections[section],
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(file.source.name()),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("{} {}", diagnostic.rule.code, diagnostic.rule.name)),
            escape_data(&diagnostic.message),
        );
    }
    sections.into_iter().map(String::into_bytes).collect()
}
