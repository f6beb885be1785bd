use super::shared::granted_groups;
use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// The same group appears twice in one permission's list.
    ///
    /// ## Why is this bad?
    /// It grants nothing more, and it is often the trace of an edit that meant to add a
    /// different group.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients", "CTE Clients"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Safe: removing an exact repeat leaves the set of groups unchanged.
    pub(crate) struct DuplicateGroup {
        code: "CTE408",
        name: "duplicate-group",
        severity: Info,
        fix: Always,
    }
}

impl Check for DuplicateGroup {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let granted: Vec<_> = granted_groups(request).collect();
        for (i, repeat) in granted.iter().enumerate() {
            let first = granted[..i]
                .iter()
                .find(|earlier| std::ptr::eq(earlier.grant, repeat.grant) && earlier.group == repeat.group);
            let Some(first) = first else {
                continue;
            };
            let permission = repeat.grant.name();
            let fix = edits::remove_element(&repeat.grant.value, repeat.index)
                .map(|edit| Fix::safe(format!("remove the repeated `{}`", repeat.group), vec![edit]));
            cx.report(
                request.at_item(&["meta", "permissions", permission], repeat.index),
                repeat.value.span,
                format!("`{}` is listed twice in `{permission}`", repeat.group),
            )
            .label("repeated")
            .related(first.value.span, "first listed here")
            .help("remove the repeat")
            .fix_opt(fix);
        }
    }
}
