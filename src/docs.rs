//! Rule documentation rendered from the rules' doc comments: one page per rule (`ctelint rule`)
//! and the index table (`ctelint rules`, the README).

use std::fmt::Write as _;

use crate::fix::FixAvailability;
use crate::rule::RuleMeta;
use crate::rules;

/// How a rule's fixes are described in tables.
pub fn fix_label(meta: &RuleMeta) -> &'static str {
    match meta.fix {
        FixAvailability::None => "—",
        FixAvailability::Sometimes => "sometimes",
        FixAvailability::Always => "always",
    }
}

/// The severity column: the default, and "off" for rules that must be selected.
pub fn severity_label(meta: &RuleMeta) -> String {
    if meta.default_enabled {
        meta.severity.as_str().to_owned()
    } else {
        format!("{} (off by default)", meta.severity.as_str())
    }
}

/// A rule's page: title, metadata line, then the documentation.
pub fn rule_markdown(meta: &RuleMeta) -> String {
    format!(
        "# {} ({})\n\nDefault severity: {}. Fix: {}.\n\n{}",
        meta.name,
        meta.code,
        severity_label(meta),
        fix_label(meta),
        meta.documentation()
    )
}

/// The Markdown table of every rule, as the README carries it.
pub fn rules_table_markdown() -> String {
    let mut out = String::from("| code | name | severity | fix | summary |\n| --- | --- | --- | --- | --- |\n");
    for rule in rules::all() {
        let meta = rule.meta();
        let _ = writeln!(
            out,
            "| {} | `{}` | {} | {} | {} |",
            meta.code,
            meta.name,
            severity_label(meta),
            fix_label(meta),
            meta.summary().replace('|', "\\|")
        );
    }
    out
}
