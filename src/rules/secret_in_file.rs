use super::shared::visit;
use crate::redact::is_secret_name;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// A password or similar secret (`password`, `wrapPBE.password`, any `*password` or
    /// `passphrase` member) is in the file. Its value is redacted in every output.
    ///
    /// ## Why is this bad?
    /// Passwords protect imported or wrapped key material; committed to a repository they
    /// protect nothing. Pass them at run time from a secret store.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "wrapPBE": {"password": "correct horse battery", "iteration": 10000}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "wrapPBE": {"passwordIdentifier": "pbe-secret", "passwordIdentifierType": "name"}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the value must move to a secret store, which ctelint cannot do.
    pub(crate) struct SecretInFile {
        code: "CTE702",
        name: "secret-in-file",
        severity: Warning,
        fix: None,
    }
}

impl Check for SecretInFile {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        if !cx.may_hold_secret(request) {
            return;
        }
        visit(request.value, request.pointer(), &mut |path, value, member| {
            let Some(member) = member.filter(|m| is_secret_name(m.name()) && m.name() != "material") else {
                return;
            };
            if value.as_str().is_none_or(str::is_empty) {
                return;
            }
            cx.report(path.pointer(), member.name_span, format!("a secret is committed in this file: `{}` (its value is redacted here)", member.name()))
                .label("secret")
                .help("remove it and pass the secret at run time; treat the committed one as exposed");
        });
    }
}
