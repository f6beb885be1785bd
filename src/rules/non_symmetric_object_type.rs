use super::shared::concrete_str;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

/// The object types CipherTrust Manager creates.
const OBJECT_TYPES: [&str; 6] = ["Symmetric Key", "Public Key", "Private Key", "Secret Data", "Opaque Object", "Certificate"];

declare_rule! {
    /// `objectType` is present and is not `Symmetric Key`.
    ///
    /// ## Why is this bad?
    /// CTE encrypts with symmetric AES keys. A body asking for a public key, a secret-data
    /// object or an opaque object creates something no CTE policy can use. Case variants of
    /// `Symmetric Key` are left to the spelling check of `objectType`.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "objectType": "Secret Data"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "objectType": "Symmetric Key"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the object type decides what gets created.
    pub(crate) struct NonSymmetricObjectType {
        code: "CTE208",
        name: "non-symmetric-object-type",
        severity: Error,
        fix: None,
    }
}

impl Check for NonSymmetricObjectType {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.get("objectType") else {
            return;
        };
        let Some(kind) = concrete_str(&member.value) else {
            return;
        };
        // Unknown object types are `invalid-value`'s finding.
        let known = OBJECT_TYPES.iter().any(|t| t.eq_ignore_ascii_case(kind));
        if !known || kind.eq_ignore_ascii_case("symmetric key") {
            return;
        }
        cx.report(request.at(&["objectType"]), member.value.span, format!("`objectType` is `{kind}`: CTE keys must be symmetric keys"))
            .label("not a symmetric key")
            .help("use `\"objectType\": \"Symmetric Key\"` or leave it out");
    }
}
