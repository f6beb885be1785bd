use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// Members that must not be combined: `assignSelfAsOwner: true` with `meta.ownerId`, or
    /// `state` with `activationDate` or `processStartDate`.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager refuses both combinations: the owner is either the caller or the
    /// given user, and a key's state is either set directly or derived from its dates.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "assignSelfAsOwner": true, "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which of the two to keep.
    pub(crate) struct ConflictingMembers {
        code: "CTE105",
        name: "conflicting-members",
        severity: Error,
        fix: None,
    }
}

impl Check for ConflictingMembers {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        if let Some(self_owner) = request.get("assignSelfAsOwner").filter(|m| m.value.as_bool() == Some(true))
            && let Some(owner) = request.member(&["meta", "ownerId"])
        {
            cx.report(request.at(&["assignSelfAsOwner"]), self_owner.name_span, "`assignSelfAsOwner: true` and `meta.ownerId` cannot be combined: the request is refused")
                .label("owner: the caller")
                .related(owner.name_span, "owner: this user")
                .help("keep `meta.ownerId` to name the owner, or `assignSelfAsOwner` to own the key yourself");
        }
        let Some(state) = request.get("state") else {
            return;
        };
        for date in ["activationDate", "processStartDate"] {
            if let Some(member) = request.get(date) {
                cx.report(request.at(&["state"]), state.name_span, format!("`state` and `{date}` cannot be combined: the request is refused"))
                    .label("state set directly")
                    .related(member.name_span, "state derived from this date")
                    .help(format!("remove `state` or `{date}`"));
            }
        }
    }
}
