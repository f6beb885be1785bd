//! JUnit XML for dashboards that only understand tests: one test case per file, failing with
//! one `<failure>` per finding at `error` severity (warnings and infos go to `<system-out>`).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::FileReport;
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

pub(super) fn write(out: &mut dyn Write, files: &[&FileReport]) -> io::Result<()> {
    let failures = files
        .iter()
        .filter(|f| f.diagnostics.iter().any(|d| d.severity == Severity::Error))
        .count();
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<testsuites name="ctelint" tests="{}" failures="{failures}">"#,
        files.len()
    )?;
    writeln!(
        out,
        r#"  <testsuite name="ctelint" tests="{}" failures="{failures}" errors="0" skipped="0">"#,
        files.len()
    )?;
    for file in files {
        let name = escape(file.source.name());
        write!(out, r#"    <testcase name="{name}" classname="ctelint""#)?;
        if file.diagnostics.is_empty() {
            writeln!(out, " />")?;
            continue;
        }
        writeln!(out, ">")?;
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
                writeln!(
                    out,
                    r#"      <failure type="{}" message="{}">{}</failure>"#,
                    diagnostic.rule.code,
                    escape(&diagnostic.message),
                    escape(&line)
                )?;
            } else {
                let _ = writeln!(notes, "{} {line}", diagnostic.severity.as_str());
            }
        }
        if !notes.is_empty() {
            writeln!(out, "      <system-out>{}</system-out>", escape(&notes))?;
        }
        writeln!(out, "    </testcase>")?;
    }
    writeln!(out, "  </testsuite>")?;
    writeln!(out, "</testsuites>")
}
