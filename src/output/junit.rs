//! JUnit XML for dashboards that only understand tests: one test case per file, failing with
//! one `<failure>` per finding at `error` severity (warnings and infos go to `<system-out>`).

use std::fmt::Write as _;

use super::{FileReport, Frame, Totals};
use crate::diagnostic::Severity;

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 cannot carry at all.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {
                let _ = write!(out, "\\u{{{:04x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

pub(super) fn frame(totals: &Totals) -> Frame {
    let (tests, failures) = (totals.files, totals.failing);
    Frame {
        head: format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
             <testsuites name=\"ctelint\" tests=\"{tests}\" failures=\"{failures}\">\n  \
             <testsuite name=\"ctelint\" tests=\"{tests}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">\n"
        )
        .into_bytes(),
        separator: b"",
        tail: b"  </testsuite>\n</testsuites>\n".to_vec(),
    }
}

/// One test case.
pub(super) fn render(file: &FileReport) -> Vec<u8> {
    let mut out = String::new();
    let name = escape(file.source.name());
    let _ = write!(out, r#"    <testcase name="{name}" classname="ctelint""#);
    if file.diagnostics.is_empty() {
        out.push_str(" />\n");
        return out.into_bytes();
    }
    out.push_str(">\n");
    let mut notes = String::new();
    for diagnostic in &file.diagnostics {
        let at = file.source.line_col(diagnostic.span.start as usize);
        let line = format!(
            "{}:{}:{}: {} {}",
            file.source.name(),
            at.line,
            at.column,
            diagnostic.rule.code,
            diagnostic.message
        );
        if diagnostic.severity == Severity::Error {
            let _ = writeln!(
                out,
                r#"      <failure type="{}" message="{}">{}</failure>"#,
                diagnostic.rule.code,
                escape(&diagnostic.message),
                escape(&line)
            );
        } else {
            let _ = writeln!(notes, "{} {line}", diagnostic.severity.as_str());
        }
    }
    if !notes.is_empty() {
        let _ = writeln!(out, "      <system-out>{}</system-out>", escape(&notes));
    }
    out.push_str("    </testcase>\n");
    out.into_bytes()
}
