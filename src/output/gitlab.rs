//! GitLab code quality report: an array of issues with a stable `fingerprint` (the same one the
//! baseline and SARIF use, made unique when one place has the same finding twice).

use std::collections::HashMap;

use serde::Serialize;

use super::FileReport;
use crate::diagnostic::Severity;

#[derive(Serialize)]
struct Lines {
    begin: usize,
    end: usize,
}

#[derive(Serialize)]
struct Location<'a> {
    lines: Lines,
    path: &'a str,
}

/// One issue; members in name order, as the report has always printed them.
#[derive(Serialize)]
struct Issue<'a> {
    check_name: &'static str,
    description: String,
    fingerprint: String,
    location: Location<'a>,
    severity: &'static str,
}

pub(super) fn render(file: &FileReport) -> Vec<u8> {
    // Fingerprints name the file, so making them unique within the file makes them unique.
    let mut seen: HashMap<String, usize> = HashMap::new();
    // An issue takes about 360 bytes, rarely more than 512 (what each one reserves).
    let mut part = Vec::with_capacity(file.diagnostics.len() * 512);
    for diagnostic in &file.diagnostics {
        let base = diagnostic.fingerprint(file.source.name());
        let count = seen.entry(base.clone()).or_default();
        *count += 1;
        let fingerprint = if *count == 1 { base } else { format!("{base}-{count}") };
        let begin = file.source.line_col(diagnostic.span.start as usize);
        let end = file.source.line_col(diagnostic.span.end as usize);
        let issue = Issue {
            check_name: diagnostic.rule.code,
            description: format!("{} {}", diagnostic.rule.code, diagnostic.message),
            fingerprint,
            location: Location {
                lines: Lines {
                    begin: begin.line,
                    end: end.line,
                },
                path: file.source.name(),
            },
            severity: match diagnostic.severity {
                Severity::Error => "major",
                Severity::Warning => "minor",
                Severity::Info => "info",
            },
        };
        super::push_element(&mut part, &issue, 1);
    }
    part
}
