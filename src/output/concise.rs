//! `path:line:col: CODE [*] message`, one finding per line, for grep and problem matchers.

use std::io::{self, Write};

use super::FileReport;
use crate::fix::Applicability;

pub(super) fn write(out: &mut dyn Write, files: &[&FileReport]) -> io::Result<()> {
    for file in files {
        for diagnostic in &file.diagnostics {
            let at = file.source.line_col(diagnostic.span.start as usize);
            let fixable = diagnostic
                .fix
                .as_ref()
                .is_some_and(|fix| fix.applicability == Applicability::Safe);
            writeln!(
                out,
                "{}:{}:{}: {} {}{}",
                file.source.name(),
                at.line,
                at.column,
                diagnostic.rule.code,
                if fixable { "[*] " } else { "" },
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
