use super::shared::set_bool;
use crate::fix::Fix;
use crate::profile::Profile;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.cte.cte_versioned` is true under a profile whose policies take only non-versioned
    /// keys (`standard`, `esg`, `idt`, `cos`).
    ///
    /// ## Why is this bad?
    /// Only Live Data Transformation policies use versioned keys (as their transformation key).
    /// Standard, IDT, ESG and COS policies refuse a versioned key when the policy is applied,
    /// long after the key was created.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1", "cte_versioned": true}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1", "cte_versioned": false}}}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: it changes the key that gets created. If the key is an LDT transformation key,
    /// lint it with `--profile ldt` instead of fixing.
    pub(crate) struct VersionedKeyNotAllowed {
        code: "CTE301",
        name: "versioned-key-not-allowed",
        severity: Error,
        fix: Always,
    }
}

impl Check for VersionedKeyNotAllowed {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let profile = cx.profile();
        if profile.versioned() {
            return;
        }
        let Some(member) = request.member(&["meta", "cte", "cte_versioned"]).filter(|m| m.value.as_bool() == Some(true)) else {
            return;
        };
        cx.report(
            request.at(&["meta", "cte", "cte_versioned"]),
            member.value.span,
            format!("`cte_versioned` is true, but {} allows only non-versioned keys", profile.describe()),
        )
        .label("must be false")
        .help(format!("set `\"cte_versioned\": false`; {}", Profile::switch_hint(Profile::Ldt)))
        .fix(Fix::unsafe_("set `cte_versioned` to false", vec![set_bool(&member.value, false)]));
    }
}
