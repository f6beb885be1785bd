use super::shared::require_grant;
use crate::profile::CTE_CLIENTS;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.permissions.ExportKey` is missing or does not include `CTE Clients`.
    ///
    /// ## Why is this bad?
    /// The CTE agent exports the key material to the host to encrypt and decrypt there, as a
    /// member of `CTE Clients`. Without the grant the key is created, and every GuardPoint using
    /// it fails to fetch it.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: it grants export of the key material. The fix adds `CTE Clients` to
    /// `ExportKey` (or adds the grant) and shows the list before and after; apply it with
    /// `--allow-sensitive-fix CTE403`.
    pub(crate) struct CteClientsCannotExport {
        code: "CTE403",
        name: "cte-clients-cannot-export",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for CteClientsCannotExport {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        require_grant(request, cx, ("ExportKey", CTE_CLIENTS), true, "CTE requires `CTE Clients` to hold Export Key");
    }
}
