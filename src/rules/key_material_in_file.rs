use super::shared::remove_fix;
use crate::fix::Applicability;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `material` is present: key material is committed to the repository. Its value is
    /// redacted in every output.
    ///
    /// ## Why is this bad?
    /// Whoever can read the repository (and its history, and every clone and CI log) has the
    /// key. CipherTrust Manager generates material when none is given; importing material
    /// belongs in a secret store, not in a linted JSON file.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "material": "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: removing `material` makes the server generate a different key; apply it with
    /// `--allow-sensitive-fix CTE701`, and rotate the exposed key anyway.
    pub(crate) struct KeyMaterialInFile {
        code: "CTE701",
        name: "key-material-in-file",
        severity: Warning,
        fix: Always,
    }
}

impl Check for KeyMaterialInFile {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(index) = request.object.position("material") else {
            return;
        };
        let member = &request.object.members[index];
        cx.report(request.at(&["material"]), member.name_span, "key material is committed in this file (its value is redacted here)")
            .label("key material")
            .help("remove `material` and let CipherTrust Manager generate the key, or import it from a secret store; treat the committed key as exposed")
            .fix_opt(remove_fix(request.value, index, Applicability::Sensitive));
    }
}
