use std::collections::HashMap;

use crate::diagnostic::{Diagnostic, Elsewhere};
use crate::rule::{Check, KeyName, RuleMetadata, declare_rule};

declare_rule! {
    /// Two requests in the linted set create the same `name`, in one file or in two: the
    /// second POST fails with 409 Conflict.
    ///
    /// ## Why is this bad?
    /// Key names are unique in a CipherTrust Manager domain: the first request creates the key
    /// and every later one with its name is refused. Every occurrence after the first (in file
    /// order, then position) is reported, with a label on the first; if a pipeline runs the
    /// requests in another order, rename or remove whichever copy is not meant to exist.
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
        let mut first: HashMap<&str, usize> = HashMap::new();
        for (index, name) in names.iter().enumerate() {
            match first.get(name.name.as_str()) {
                Some(&earlier) => found.push((index, report(name, &names[earlier]))),
                None => {
                    first.insert(name.name.as_str(), index);
                }
            }
        }
    }
}

fn report(this: &KeyName, first: &KeyName) -> Diagnostic {
    let place = if this.file == first.file {
        format!("line {}", first.start.line)
    } else {
        format!("{}:{}:{}", first.file_name, first.start.line, first.start.column)
    };
    let message = format!(
        "key `{}` is already created at {place}: this POST fails with 409 Conflict",
        this.name
    );
    let mut diagnostic = Diagnostic::new(DuplicateKeyName::META, this.pointer.clone(), this.span, message);
    diagnostic
        .label("duplicate key name")
        .help("give each key its own name, or remove the duplicate request");
    let label = "first created here";
    if this.file == first.file {
        diagnostic.related(first.span, label);
    } else {
        diagnostic.related_elsewhere(
            first.span,
            label,
            Elsewhere {
                name: first.file_name.clone(),
                start: first.start,
                end: first.end,
            },
        );
    }
    diagnostic
}
