use crate::rule::{Check, declare_rule};

declare_rule! {
    /// A `[[suppress]]` entry of `ctelint.toml`, or an entry of the `--baseline` file, matched
    /// no finding in a file that was linted.
    ///
    /// ## Why is this bad?
    /// A stale suppression hides nothing today and something tomorrow: when a finding comes
    /// back at that place it is silenced without anyone deciding so again. It also tells a
    /// reader that a problem exists where there is none. Entries for files that were not
    /// linted in this run (pre-commit passes only the staged files) are not reported.
    ///
    /// ## Examples
    /// A `ctelint.toml` whose entry no longer matches (the key was made exportable):
    ///
    /// ```toml
    /// [[suppress]]
    /// file = "keys/legacy.json"
    /// pointer = "/unexportable"
    /// rules = ["CTE203"]
    /// reason = "migrated in Q3; remove after the cut-over"
    /// ```
    ///
    /// A baseline entry is reported the same way:
    ///
    /// ```json,ignore
    /// {"version": 1, "entries": [{"fingerprint": "9f3a61c0d2b47e58", "code": "CTE203", "file": "keys/legacy.json", "pointer": "/unexportable"}]}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: remove the entry, or rewrite the baseline with `--update-baseline`.
    pub(crate) struct UnusedSuppression {
        code: "CTE901",
        name: "unused-suppression",
        severity: Warning,
        fix: None,
        scope: Any,
    }
}

impl Check for UnusedSuppression {}
