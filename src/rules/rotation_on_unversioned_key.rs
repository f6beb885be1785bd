use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `rotationFrequencyDays` is above 0 on a key the profile requires to be non-versioned.
    ///
    /// ## Why is this bad?
    /// Automatic rotation creates new key versions. Standard, IDT, ESG and COS policies take
    /// only non-versioned keys; rotation belongs to LDT transformation keys.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "rotationFrequencyDays": "90"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "rotationFrequencyDays": "0"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: set it to `"0"` or remove it, or lint the key with `--profile ldt`.
    pub(crate) struct RotationOnUnversionedKey {
        code: "CTE306",
        name: "rotation-on-unversioned-key",
        severity: Warning,
        fix: None,
    }
}

impl Check for RotationOnUnversionedKey {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let profile = cx.profile();
        if profile.versioned() {
            return;
        }
        let Some(member) = request.get("rotationFrequencyDays") else {
            return;
        };
        let days = match (member.value.as_str(), member.value.as_number()) {
            (Some(text), _) => text.trim().parse::<f64>().ok(),
            (None, Some(number)) => Some(number.float),
            _ => None,
        };
        if !days.is_some_and(|days| days > 0.0) {
            return;
        }
        cx.report(
            request.at(&["rotationFrequencyDays"]),
            member.value.span,
            format!("automatic rotation creates key versions, but {} allows only non-versioned keys", profile.describe()),
        )
        .label("rotation enabled")
        .help(format!("set `\"rotationFrequencyDays\": \"0\"` or remove it; {}", crate::profile::Profile::switch_hint(crate::profile::Profile::Ldt)));
    }
}
