use crate::diagnostic::Severity;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

/// The states a create (or import) body may ask for.
const STATES: [&str; 6] = ["Pre-Active", "Active", "Deactivated", "Destroyed", "Compromised", "Destroyed Compromised"];

declare_rule! {
    /// `state` asks for something other than `Active`: CTE cannot use the key (a warning for
    /// `Pre-Active`, which becomes usable once activated).
    ///
    /// ## Why is this bad?
    /// CTE agents fetch only active keys. A key created `Deactivated`, `Destroyed` or
    /// `Compromised` (allowed for imports) can never protect data; a `Pre-Active` one waits for
    /// an activation that may never be scheduled.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "state": "Deactivated"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "state": "Active"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: leave `state` out (the default is Active) or set it yourself.
    pub(crate) struct UnusableState {
        code: "CTE601",
        name: "unusable-state",
        severity: Error,
        fix: None,
    }
}

impl Check for UnusableState {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.get("state") else {
            return;
        };
        // Unknown states are `invalid-value`'s finding.
        let Some(state) = member.value.as_str().filter(|s| STATES.contains(s) && *s != "Active") else {
            return;
        };
        let pre_active = state == "Pre-Active";
        cx.report(
            request.at(&["state"]),
            member.value.span,
            if pre_active {
                "the key is created `Pre-Active`: CTE can use it only once it is activated".to_owned()
            } else {
                format!("the key is created `{state}`: CTE can only use active keys")
            },
        )
        .label("not Active")
        .help("leave `state` out (the default is Active) or set `\"state\": \"Active\"`")
        .severity(if pre_active { Severity::Warning } else { Severity::Error });
    }
}
