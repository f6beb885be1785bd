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
        for repeat in granted_groups(request) {
            // The same group earlier in the same list.
            let earlier = &repeat.grant.value.as_array().unwrap_or_default()[..repeat.index];
            let Some(first) = earlier.iter().find(|value| value.as_str() == Some(repeat.group)) else {
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
            .related(first.span, "first listed here")
            .help("remove the repeat")
            .fix_opt(fix);
        }
    }
}
