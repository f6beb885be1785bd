use super::shared::require_grant;
use crate::profile::{KEY_USERS, Profile};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// Under profile `esg`, `ReadKey` or `ExportKey` lacks `Key Users`.
    ///
    /// ## Why is this bad?
    /// On Efficient Storage GuardPoints the storage array fetches the AES half of the XTS key
    /// over KMIP as a member of `Key Users`, besides the CTE agent in `CTE Clients`. Without
    /// both grants the array cannot get the key.
    ///
    /// ## Examples
    /// ```json,invalid,profile_esg
    /// {"name": "esg-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients", "Key Users"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    /// ```json,valid,profile_esg
    /// {"name": "esg-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients", "Key Users"], "ExportKey": ["CTE Clients", "Key Users"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: it grants access. The fix adds `Key Users` and shows the list before and
    /// after; apply it with `--allow-sensitive-fix CTE404`.
    pub(crate) struct KeyUsersMissing {
        code: "CTE404",
        name: "key-users-missing",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for KeyUsersMissing {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let profile = cx.profile();
        if profile != Profile::Esg {
            return;
        }
        // A missing grant is CTE402's or CTE403's finding; their fixes add it.
        let why = format!("{} requires `Key Users` to hold Read Key and Export Key", profile.describe());
        for permission in ["ReadKey", "ExportKey"] {
            require_grant(request, cx, (permission, KEY_USERS), false, &why);
        }
    }
}
