use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `name` is `clear_key`, the word CTE policies reserve for "no encryption".
    ///
    /// ## Why is this bad?
    /// In a CTE key rule, `clear_key` means plain text. A real key with that name makes every
    /// rule that mentions it ambiguous to readers and to tools that resolve key names.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "clear_key", "algorithm": "aes"}
    /// ```
    /// ```json,valid
    /// {"name": "finance-clear-data-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: choose another name.
    pub(crate) struct ReservedKeyName {
        code: "CTE802",
        name: "reserved-key-name",
        severity: Warning,
        fix: None,
    }
}

impl Check for ReservedKeyName {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.get("name").filter(|m| m.value.as_str().is_some_and(|n| n.eq_ignore_ascii_case("clear_key"))) else {
            return;
        };
        cx.report(request.at(&["name"]), member.value.span, "`clear_key` is reserved: CTE key rules use it to mean \"no encryption\"")
            .label("reserved name")
            .help("choose another name for the key");
    }
}
