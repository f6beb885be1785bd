//! `path:line:col: CODE [*] message`, one finding per line, for grep and problem matchers.
//! `[*]` marks a finding `--fix` would fix; a fix that needs more flags says which.

use std::fmt::Write as _;

use super::{FileReport, Style, fix_hint};

pub(super) fn render(file: &FileReport, style: &Style) -> Vec<u8> {
    let mut part = String::new();
    for diagnostic in &file.diagnostics {
        let at = file.source.line_col(diagnostic.span.start as usize);
        let marker = if style.policy.allows(diagnostic) { "[*] " } else { "" };
        let hint = fix_hint(diagnostic, &style.policy)
            .map(|flags| format!(" [fix: {flags}]"))
            .unwrap_or_default();
        let _ = writeln!(
            part,
            "{}:{}:{}: {} {marker}{}{hint}",
            file.source.name(),
            at.line,
            at.column,
            diagnostic.rule.code,
            one_line(&diagnostic.message),
        );
    }
    part.into_bytes()
}

fn one_line(text: &str) -> String {
    text.replace('\r', "\\r").replace('\n', "\\n")
}
