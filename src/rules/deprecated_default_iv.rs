use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `defaultIV` is present: it is deprecated, and must be 32 hexadecimal characters if kept.
    ///
    /// ## Why is this bad?
    /// A fixed IV stored with the key weakens every mode that relies on fresh IVs, and CTE does
    /// not use it. CipherTrust Manager still accepts it for old clients, as a 16-byte value in
    /// hex.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "defaultIV": "00112233445566778899aabbccddeeff"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: remove it unless an old client needs it.
    pub(crate) struct DeprecatedDefaultIv {
        code: "CTE111",
        name: "deprecated-default-iv",
        severity: Warning,
        fix: None,
    }
}

impl Check for DeprecatedDefaultIv {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.get("defaultIV") else {
            return;
        };
        let well_formed = member.value.as_str().is_some_and(|iv| iv.len() == 32 && iv.bytes().all(|b| b.is_ascii_hexdigit()));
        let message = if well_formed {
            "`defaultIV` is deprecated, and CTE does not use it".to_owned()
        } else {
            "`defaultIV` is deprecated, and this one is not 32 hexadecimal characters (16 bytes)".to_owned()
        };
        cx.report(request.at(&["defaultIV"]), member.name_span, message)
            .label("deprecated")
            .help("remove `defaultIV` unless an old client needs a fixed IV");
    }
}
