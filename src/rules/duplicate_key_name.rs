use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Elsewhere};
use crate::rule::{Check, KeyName, RuleMetadata, declare_rule};

declare_rule! {
    /// Two requests in the linted set create the same `name`, in one file or in two: the
    /// second POST fails with 409 Conflict.
    ///
    /// ## Why is this bad?
    /// Key names are unique in a CipherTrust Manager domain. Whichever request runs second is
    /// refused, and which one that is depends on the order a pipeline happens to run them in.
    /// Each occurrence is reported, with a label on the other one.
    ///
    /// ## Examples
    /// ```json,invalid
    /// [{"name": "disk-key", "algorithm": "aes"}, {"name": "disk-key", "algorithm": "aes", "size": 128}]
    /// ```
    /// ```json,valid
    /// [{"name": "disk-key", "algorithm": "aes"}, {"name": "log-key", "algorithm": "aes"}]
    /// ```
    ///
    /// ## Fix safety
    /// No fix: rename one of the keys, or remove the duplicate request.
    pub(crate) struct DuplicateKeyName {
        code: "CTE801",
        name: "duplicate-key-name",
        severity: Error,
        fix: None,
    }
}

impl Check for DuplicateKeyName {
    fn check_set(&self, names: &[KeyName], found: &mut Vec<(usize, Diagnostic)>) {
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (index, name) in names.iter().enumerate() {
            by_name.entry(name.name.as_str()).or_default().push(index);
        }
        let mut groups: Vec<&Vec<usize>> = by_name.values().filter(|group| group.len() > 1).collect();
        groups.sort_unstable();
        for group in groups {
            let first = group[0];
            for &index in group {
                // The first occurrence points at the second; every later one at the first.
                let other = if index == first { group[1] } else { first };
                found.push((index, report(&names[index], &names[other], index == first)));
            }
        }
    }
}

fn report(this: &KeyName, other: &KeyName, is_first: bool) -> Diagnostic {
    let place = if this.file == other.file {
        format!("line {}", other.start.line)
    } else {
        format!("{}:{}:{}", other.file_name, other.start.line, other.start.column)
    };
    let message = if is_first {
        format!("key `{}` is created again at {place}: the later POST fails with 409 Conflict", this.name)
    } else {
        format!("key `{}` is already created at {place}: this POST fails with 409 Conflict", this.name)
    };
    let mut diagnostic = Diagnostic::new(DuplicateKeyName::META, this.pointer.clone(), this.span, message);
    diagnostic.label("duplicate key name").help("give each key its own name, or remove the duplicate request");
    let label = if is_first { "created again here" } else { "first created here" };
    if this.file == other.file {
        diagnostic.related(other.span, label);
    } else {
        diagnostic.related_elsewhere(other.span, label, Elsewhere { name: other.file_name.clone(), start: other.start, end: other.end });
    }
    diagnostic
}
