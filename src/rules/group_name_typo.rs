use super::shared::{KNOWN_GROUPS, granted_groups, near_miss};
use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// A group name in `meta.permissions` is a near miss of a known group (`CTE Client`,
    /// `cte clients`, `CTEClients`, `Key User`).
    ///
    /// ## Why is this bad?
    /// Group names are matched exactly. A grant to `CTE Client` grants nothing to the
    /// `CTE Clients` group, so the CTE agent cannot fetch the key even though the body looks
    /// right.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Client"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: renaming the group changes who can use the key; apply it with
    /// `--allow-sensitive-fix CTE407`.
    pub(crate) struct GroupNameTypo {
        code: "CTE407",
        name: "group-name-typo",
        severity: Warning,
        fix: Always,
    }
}

impl Check for GroupNameTypo {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for granted in granted_groups(request) {
            let Some(known) = near_miss(granted.group, &KNOWN_GROUPS) else {
                continue;
            };
            let permission = granted.grant.name();
            cx.report(
                request.at_item(&["meta", "permissions", permission], granted.index),
                granted.value.span,
                format!("`{}` is not a group: did you mean `{known}`? Group names must match exactly", granted.group),
            )
            .label(format!("did you mean `{known}`?"))
            .help(format!("write `\"{known}\"`"))
            .fix(Fix::sensitive(
                format!("rename the `{permission}` grant from `{}` to `{known}`", granted.group),
                vec![edits::replace_value(granted.value, edits::json_string(known))],
            ));
        }
    }
}
