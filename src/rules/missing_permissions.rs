use super::shared::missing_at;
use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// There is no `meta.permissions` object: the key would be usable by admins only.
    ///
    /// ## Why is this bad?
    /// A new key is accessible only to the admin group until groups are granted access. CTE
    /// agents read keys as members of `CTE Clients`, which needs `ReadKey` and `ExportKey`
    /// (and, for ESG GuardPoints, `Key Users` too).
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: it grants access to the key. The fix adds `ReadKey` and `ExportKey` for the
    /// groups the profile needs, and only when `meta` exists; apply it with
    /// `--allow-sensitive-fix CTE401`.
    pub(crate) struct MissingPermissions {
        code: "CTE401",
        name: "missing-permissions",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for MissingPermissions {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        // Present, or misplaced at the top level or in `meta.cte` (CTE503 moves it).
        if request.member(&["meta", "permissions"]).is_some()
            || request.get("permissions").is_some()
            || request.member(&["meta", "cte", "permissions"]).is_some()
        {
            return;
        }
        let groups: Vec<String> = cx.profile().groups().iter().map(|g| edits::json_string(g)).collect();
        let list = format!("[{}]", groups.join(", "));
        let grants = format!("{{\"ReadKey\": {list}, \"ExportKey\": {list}}}");
        let fix = request.get("meta").filter(|meta| meta.value.as_object().is_some()).map(|meta| {
            Fix::sensitive(
                format!("add `\"permissions\": {grants}` to `meta` (grants: none → ReadKey and ExportKey for {list})"),
                vec![edits::insert_member(cx.source(), &meta.value, "permissions", &grants)],
            )
        });
        let (pointer, span) = missing_at(request, &["meta", "permissions"]);
        cx.report(pointer, span, "no `meta.permissions`: only admins could use this key, and CTE agents need `ReadKey` and `ExportKey` through `CTE Clients`")
            .label("`meta.permissions` missing")
            .help(format!("add `\"permissions\": {grants}` to `meta`"))
            .fix_opt(fix);
    }
}
