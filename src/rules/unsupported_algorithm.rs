use super::shared::concrete_str;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `algorithm` is not AES, or `xts: true` is combined with an algorithm other than AES.
    ///
    /// ## Why is this bad?
    /// CTE encrypts GuardPoints with AES keys only; CipherTrust Manager happily creates an RSA,
    /// HMAC or ARIA key from the same body, and the failure shows up later when a policy tries
    /// to use it. `xts: true` (an XTS/CBC-CS1 double-length key) is defined for AES only.
    /// The comparison ignores case: `aes` and `AES` are both fine.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "rsa", "size": 2048}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "size": 256}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: changing the algorithm creates a different kind of key.
    pub(crate) struct UnsupportedAlgorithm {
        code: "CTE201",
        name: "unsupported-algorithm",
        severity: Error,
        fix: None,
    }
}

impl Check for UnsupportedAlgorithm {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(algorithm) = request.get("algorithm") else {
            return;
        };
        let Some(name) = concrete_str(&algorithm.value) else {
            return;
        };
        if name.eq_ignore_ascii_case("aes") {
            return;
        }
        let xts = request.get("xts").filter(|xts| xts.value.as_bool() == Some(true));
        let diagnostic = cx.report(
            request.at(&["algorithm"]),
            algorithm.value.span,
            format!("`algorithm` is `{name}`: CTE keys must be AES"),
        );
        diagnostic.label("not AES").help("use `\"algorithm\": \"aes\"` for a CTE key");
        if let Some(xts) = xts {
            diagnostic.related(xts.value.span, "`xts: true` is valid only with AES");
        }
    }
}
