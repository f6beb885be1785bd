use super::shared::{PERMISSIONS, near_miss};
use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.permissions` names a permission CipherTrust Manager does not know; the nearest
    /// known name is suggested (`read_key` → `ReadKey`).
    ///
    /// ## Why is this bad?
    /// Unknown permission names are stored and ignored, so the grant the author meant is never
    /// made. The Terraform provider's snake-case names (`read_key`, `export_key`) are the usual
    /// cause when a body is written by hand from its documentation.
    ///
    /// Known names: `ReadKey`, `ExportKey`, `UseKey`, `EncryptWithKey`, `DecryptWithKey`,
    /// `SignWithKey`, `SignVerifyWithKey`, `MACWithKey`, `MACVerifyWithKey`, `UploadKey`.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"read_key": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: renaming makes the grant take effect. Offered when a nearest name exists and
    /// is not already present; apply it with `--allow-sensitive-fix CTE405`.
    pub(crate) struct UnknownPermission {
        code: "CTE405",
        name: "unknown-permission",
        severity: Warning,
        fix: Sometimes,
    }
}

impl Check for UnknownPermission {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(permissions) = request.permissions() else {
            return;
        };
        for member in &permissions.members {
            let name = member.name();
            if PERMISSIONS.contains(&name) {
                continue;
            }
            let suggestion = near_miss(name, &PERMISSIONS);
            let diagnostic = cx.report(
                request.at(&["meta", "permissions", name]),
                member.name_span,
                format!("`{name}` is not a CipherTrust Manager permission: the grant has no effect"),
            );
            diagnostic.label("unknown permission");
            let Some(suggestion) = suggestion else {
                diagnostic.help(format!("use one of {}", PERMISSIONS.join(", ")));
                continue;
            };
            diagnostic.help(format!("did you mean `{suggestion}`?"));
            if permissions.get(suggestion).is_none() {
                diagnostic.fix(Fix::sensitive(format!("rename `{name}` to `{suggestion}`"), vec![edits::rename_member(member, suggestion)]));
            }
        }
    }
}
