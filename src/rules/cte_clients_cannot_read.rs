use super::shared::require_grant;
use crate::profile::CTE_CLIENTS;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.permissions.ReadKey` is missing or does not include `CTE Clients`.
    ///
    /// ## Why is this bad?
    /// CTE agents authenticate as members of the `CTE Clients` group and must be able to read
    /// the key. Without the grant the key is created, and every GuardPoint using it fails to
    /// fetch it.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["Key Admins"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: it grants access. The fix adds `CTE Clients` to `ReadKey` (or adds the grant)
    /// and shows the list before and after; apply it with `--allow-sensitive-fix CTE402`.
    pub(crate) struct CteClientsCannotRead {
        code: "CTE402",
        name: "cte-clients-cannot-read",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for CteClientsCannotRead {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        require_grant(request, cx, ("ReadKey", CTE_CLIENTS), true, "CTE requires `CTE Clients` to hold Read Key");
    }
}
