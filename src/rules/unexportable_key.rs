use super::shared::set_bool;
use crate::fix::Fix;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `unexportable` is `true`: CTE keys must be exportable.
    ///
    /// ## Why is this bad?
    /// The CTE agent fetches the key material from CipherTrust Manager to encrypt and decrypt on
    /// the host. An unexportable key is created without error, and every GuardPoint whose
    /// policy uses it then fails to get its key.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "unexportable": true}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "unexportable": false}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: making a key exportable changes who can obtain its material, so the fix is
    /// applied only with `--allow-sensitive-fix CTE203`.
    pub(crate) struct UnexportableKey {
        code: "CTE203",
        name: "unexportable-key",
        severity: Error,
        fix: Always,
    }
}

impl Check for UnexportableKey {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.get("unexportable").filter(|m| m.value.as_bool() == Some(true)) else {
            return;
        };
        cx.report(request.at(&["unexportable"]), member.value.span, "CTE keys must be exportable: `unexportable` is true")
            .label("must be false")
            .help("set `\"unexportable\": false`; the CTE agent has to fetch the key material")
            .fix(Fix::sensitive("set `unexportable` to false", vec![set_bool(&member.value, false)]));
    }
}
