//! `path:line:col: CODE [*] message`, one finding per line, for grep and problem matchers.
//! `[*]` marks a finding `--fix` would fix; a fix that needs more flags says which.

use std::io::{self, Write};

use super::{FileReport, Style, fix_hint};

pub(super) fn write(out: &mut dyn Write, files: &[&FileReport], style: &Style) -> io::Result<()> {
    for file in files {
        for diagnostic in &file.diagnostics {
            let at = file.source.line_col(diagnostic.span.start as usize);
            let marker = if style.policy.allows(diagnostic) { "[*] " } else { "" };
            let hint = fix_hint(diagnostic, &style.policy)
                .map(|flags| format!(" [fix: {flags}]"))
                .unwrap_or_default();
            writeln!(
                out,
                "{}:{}:{}: {} {marker}{}{hint}",
                file.source.name(),
                at.line,
                at.column,
                diagnostic.rule.code,
                one_line(&diagnostic.message),
            )?;
        }
    }
    Ok(())
}

/// Messages quote user text, which may hold line breaks; one finding stays on one line.
fn one_line(text: &str) -> String {
    text.replace('\r', "\\r").replace('\n', "\\n")
}
