use super::shared::missing_at;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// The request has no `meta` object, or `meta` has no `cte` object.
    ///
    /// ## Why is this bad?
    /// `meta.cte` is what makes a key a CTE key: it carries `encryption_mode`, `cte_versioned`
    /// and `persistent_on_client`. Without it CipherTrust Manager creates a plain key that CTE
    /// policies cannot use the way the author intended.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1", "cte_versioned": false, "persistent_on_client": true}}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the CTE properties depend on the policy the key is for.
    pub(crate) struct MissingCteMetadata {
        code: "CTE204",
        name: "missing-cte-metadata",
        severity: Error,
        fix: None,
    }
}

impl Check for MissingCteMetadata {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        // A `cte` block at the top level is misplaced, not missing (CTE205 moves it).
        if request.get("cte").is_some() || request.member(&["meta", "cte"]).is_some() {
            return;
        }
        let message = if request.get("meta").is_some() {
            "`meta` has no `cte` object: CTE keys carry their properties in `meta.cte`"
        } else {
            "no `meta` object: CTE keys carry their properties in `meta.cte`"
        };
        let (pointer, span) = missing_at(request, &["meta", "cte"]);
        cx.report(pointer, span, message)
            .label("`meta.cte` missing")
            .help("add `\"cte\": {\"encryption_mode\": \"CBC_CS1\", \"cte_versioned\": false, \"persistent_on_client\": true}` to `meta` (values for the profile in force)");
    }
}
