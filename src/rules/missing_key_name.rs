use super::shared::opening;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// The request has no `name`.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager then generates an id-like name. CTE policies, LDT key rules and the
    /// people rotating keys find keys by name, so an unnamed key is hard to use and easy to
    /// create twice.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"algorithm": "aes", "size": 256}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "size": 256}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: choose a name.
    pub(crate) struct MissingKeyName {
        code: "CTE108",
        name: "missing-key-name",
        severity: Warning,
        fix: None,
    }
}

impl Check for MissingKeyName {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        if request.get("name").is_some() {
            return;
        }
        cx.report(request.pointer(), opening(request.value), "the request has no `name`: CTE policies and people find keys by name")
            .label("no `name`")
            .help("add `\"name\": \"<a name policies can refer to>\"`");
    }
}
