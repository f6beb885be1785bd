//! GitLab code quality report: an array of issues with a stable `fingerprint` (the same one the
//! baseline and SARIF use, made unique when one place has the same finding twice).

use std::collections::HashMap;

use super::{FileReport, Pretty};
use crate::diagnostic::Severity;

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
        // Members in name order, as the report has always printed them.
        Pretty::element(&mut part, 1).top(|w| {
            w.string("check_name", diagnostic.rule.code);
            w.string(
                "description",
                &[diagnostic.rule.code, " ", &diagnostic.message].concat(),
            );
            w.string("fingerprint", &fingerprint);
            w.object("location", |w| {
                w.object("lines", |w| {
                    w.number("begin", begin.line);
                    w.number("end", end.line);
                });
                w.string("path", file.source.name());
            });
            w.string(
                "severity",
                match diagnostic.severity {
                    Severity::Error => "major",
                    Severity::Warning => "minor",
                    Severity::Info => "info",
                },
            );
        });
    }
    part
}
