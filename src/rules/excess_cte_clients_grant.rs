use super::shared::granted_groups;
use crate::fix::{Fix, edits};
use crate::profile::CTE_CLIENTS;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `CTE Clients` is granted more than Read Key and Export Key (off unless selected).
    ///
    /// ## Why is this bad?
    /// CTE needs only `ReadKey` and `ExportKey` for its agents. Every other grant widens what a
    /// compromised host could do with the key. The vendor's own sample grants all nine
    /// permissions, which is why this rule is off by default: select it with
    /// `--extend-select CTE409` to enforce least privilege.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"], "UseKey": ["CTE Clients"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: it removes a grant; apply it with `--allow-sensitive-fix CTE409`.
    pub(crate) struct ExcessCteClientsGrant {
        code: "CTE409",
        name: "excess-cte-clients-grant",
        severity: Info,
        fix: Always,
        default_enabled: false,
    }
}

impl Check for ExcessCteClientsGrant {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for granted in granted_groups(request) {
            let permission = granted.grant.name();
            if granted.group != CTE_CLIENTS || matches!(permission, "ReadKey" | "ExportKey") {
                continue;
            }
            // The vendor's sample makes seven of these per request: its texts are put together
            // with `concat`, which copies each piece once, rather than `format!`.
            let fix = edits::remove_element(&granted.grant.value, granted.index)
                .map(|edit| Fix::sensitive(["remove `CTE Clients` from `", permission, "`"].concat(), vec![edit]));
            cx.report(
                request.at_item(&["meta", "permissions", permission], granted.index),
                granted.value.span,
                ["`CTE Clients` is granted `", permission, "`: CTE needs only `ReadKey` and `ExportKey`"].concat(),
            )
            .label("more than CTE needs")
            .help(["remove `CTE Clients` from `", permission, "` unless another CTE feature needs it"].concat())
            .fix_opt(fix);
        }
    }
}
