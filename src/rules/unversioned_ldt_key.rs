use super::shared::set_bool;
use crate::fix::Fix;
use crate::profile::Profile;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// Under profile `ldt`, `meta.cte.cte_versioned` is false: an LDT transformation key must
    /// be versioned.
    ///
    /// ## Why is this bad?
    /// Live Data Transformation rekeys data by adding versions to its transformation key. A
    /// non-versioned key cannot be used as the transformation key of an LDT policy.
    ///
    /// ## Examples
    /// ```json,invalid,profile_ldt
    /// {"name": "ldt-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC", "cte_versioned": false}}}
    /// ```
    /// ```json,valid,profile_ldt
    /// {"name": "ldt-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC", "cte_versioned": true}}}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: it changes the key that gets created. If the key is the current key of an LDT
    /// policy rather than its transformation key, lint it with `--profile standard`.
    pub(crate) struct UnversionedLdtKey {
        code: "CTE303",
        name: "unversioned-ldt-key",
        severity: Error,
        fix: Always,
    }
}

impl Check for UnversionedLdtKey {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let profile = cx.profile();
        if !profile.versioned() {
            return;
        }
        let Some(member) = request.member(&["meta", "cte", "cte_versioned"]).filter(|m| m.value.as_bool() == Some(false)) else {
            return;
        };
        cx.report(
            request.at(&["meta", "cte", "cte_versioned"]),
            member.value.span,
            format!("`cte_versioned` is false, but {} needs a versioned key", profile.describe()),
        )
        .label("must be true")
        .help(format!("set `\"cte_versioned\": true`; {}", Profile::switch_hint(Profile::Standard)))
        .fix(Fix::unsafe_("set `cte_versioned` to true", vec![set_bool(&member.value, true)]));
    }
}
