//! GitHub Actions workflow commands (`::error file=…,line=…::message`), errors first, with the
//! escaping GitHub's toolkit applies: `%`, CR and LF in messages; also `:` and `,` in
//! properties.

use std::io::{self, Write};

use super::FileReport;
use crate::diagnostic::{Diagnostic, Severity};

/// Escapes a message.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a property value.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

pub(super) fn write(out: &mut dyn Write, files: &[&FileReport]) -> io::Result<()> {
    let mut all: Vec<(&FileReport, &Diagnostic)> = files
        .iter()
        .flat_map(|f| f.diagnostics.iter().map(move |d| (*f, d)))
        .collect();
    // Errors first: GitHub shows only the first 10 annotations of each kind per step.
    all.sort_by_key(|(_, d)| std::cmp::Reverse(d.severity));
    for (file, diagnostic) in all {
        let command = match diagnostic.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        let start = file.source.line_col(diagnostic.span.start as usize);
        let end = file.source.line_col(diagnostic.span.end as usize);
        writeln!(
            out,
            "::{command} file={},line={},col={},endLine={},endColumn={},title={}::{}",
            escape_property(file.source.name()),
            start.line,
            start.column,
            end.line,
            end.column,
            escape_property(&format!("{} {}", diagnostic.rule.code, diagnostic.rule.name)),
            escape_data(&diagnostic.message),
        )?;
    }
    Ok(())
}
