use crate::fix::{Fix, edits};
use crate::profile::{MODES, Profile};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.cte.encryption_mode` is a CTE mode the profile does not allow: `standard` and
    /// `cos` take `CBC_CS1`, `ldt` takes `CBC` or `CBC_CS1`, `esg` and `idt` take `XTS`.
    ///
    /// ## Why is this bad?
    /// The policy type decides the mode: a CBC key in a Standard policy on the vendor page, or a
    /// CBC_CS1 key on an ESG GuardPoint, is refused when the policy is applied. Unknown modes
    /// are reported by `invalid-encryption-mode` instead.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "XTS"}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1"}}}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe, and offered only when the profile allows a single mode: it changes the key that
    /// gets created. If the key is meant for another policy type, pick that profile instead.
    pub(crate) struct EncryptionModeNotAllowed {
        code: "CTE302",
        name: "encryption-mode-not-allowed",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for EncryptionModeNotAllowed {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let profile = cx.profile();
        let Some(member) = request.member(&["meta", "cte", "encryption_mode"]) else {
            return;
        };
        let Some(mode) = member.value.as_str().filter(|mode| MODES.contains(mode)) else {
            return;
        };
        let allowed = profile.modes();
        if allowed.contains(&mode) {
            return;
        }
        let allowed_text: Vec<String> = allowed.iter().map(|m| format!("`{m}`")).collect();
        let fix = match allowed {
            [only] => Some(Fix::unsafe_(
                format!("set `encryption_mode` to `{only}`"),
                vec![edits::replace_value(&member.value, edits::json_string(only))],
            )),
            _ => None,
        };
        let hint = match profile.suggest(Some(mode), request.versioned()) {
            Some(other) => format!("; {}", Profile::switch_hint(other)),
            None => String::new(),
        };
        cx.report(
            request.at(&["meta", "cte", "encryption_mode"]),
            member.value.span,
            format!("`encryption_mode` is `{mode}`, but {} allows only {}", profile.describe(), allowed_text.join(" or ")),
        )
        .label("not allowed by the profile")
        .help(format!("use {}{hint}", allowed_text.join(" or ")))
        .fix_opt(fix);
    }
}
