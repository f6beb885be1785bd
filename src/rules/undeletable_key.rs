use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `undeletable` is true: a later `DELETE` of the key will be refused until it is cleared.
    ///
    /// ## Why is this bad?
    /// It is not wrong (the vendor's own sample sets it), but it is easy to forget: deleting the
    /// key fails with "key is not deletable" until a `PATCH` clears the flag, and Terraform
    /// needs `remove_from_state_on_destroy` for such keys.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "undeletable": true}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "undeletable": false}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the key may be deleted is the owner's decision.
    pub(crate) struct UndeletableKey {
        code: "CTE602",
        name: "undeletable-key",
        severity: Info,
        fix: None,
    }
}

impl Check for UndeletableKey {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.get("undeletable").filter(|m| m.value.as_bool() == Some(true)) else {
            return;
        };
        cx.report(request.at(&["undeletable"]), member.value.span, "`undeletable` is true: deleting this key will be refused until a PATCH clears it")
            .label("cannot be deleted")
            .help("keep it if the key must survive deletion attempts; `ctelint delete-check` reports it before a DELETE");
    }
}
