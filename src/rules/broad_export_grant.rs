use super::shared::{KNOWN_GROUPS, granted_groups, near_miss};
use crate::profile::{CTE_CLIENTS, KEY_USERS};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `ExportKey` is granted to a group other than `CTE Clients` and `Key Users`.
    ///
    /// ## Why is this bad?
    /// Export Key hands out the key material itself. Everyone in the group can copy the key
    /// that protects the GuardPoint's data, outside any CTE policy.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ExportKey": ["CTE Clients", "Developers"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the key's owner can say whether the group should export it.
    pub(crate) struct BroadExportGrant {
        code: "CTE410",
        name: "broad-export-grant",
        severity: Warning,
        fix: None,
    }
}

impl Check for BroadExportGrant {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for granted in granted_groups(request) {
            let group = granted.group;
            if granted.grant.name() != "ExportKey" || group == CTE_CLIENTS || group == KEY_USERS {
                continue;
            }
            // A misspelt CTE group is CTE407's finding.
            if matches!(near_miss(group, &KNOWN_GROUPS), Some(CTE_CLIENTS | KEY_USERS)) {
                continue;
            }
            cx.report(
                request.at_item(&["meta", "permissions", "ExportKey"], granted.index),
                granted.value.span,
                format!("`{group}` can export the key material: `ExportKey` should go to `CTE Clients` (and `Key Users` for ESG) only"),
            )
            .label("can export the key")
            .help(format!("remove `{group}` from `ExportKey` unless it must hold copies of the key"));
        }
    }
}
