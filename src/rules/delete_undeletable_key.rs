use crate::delete::record_label;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `delete-check`: the key record is `undeletable`, so the DELETE will be refused.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager answers "key is not deletable" until a `PATCH` clears the flag, so
    /// a cleanup script or a `terraform destroy` fails halfway.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"id": "4b5c", "name": "disk-key", "undeletable": true, "meta": {"cte": {"cte_versioned": false}}}
    /// ```
    /// ```json,valid
    /// {"id": "4b5c", "name": "disk-key", "undeletable": false}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: clearing `undeletable` is a decision for the key's owner (`PATCH` with
    /// `"undeletable": false`).
    pub(crate) struct DeleteUndeletableKey {
        code: "CTE611",
        name: "delete-undeletable-key",
        severity: Error,
        fix: None,
        scope: Delete,
    }
}

impl Check for DeleteUndeletableKey {
    fn check_record(&self, record: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = record.get("undeletable").filter(|m| m.value.as_bool() == Some(true)) else {
            return;
        };
        cx.report(record.at(&["undeletable"]), member.value.span, format!("deleting {} will be refused: the key is undeletable", record_label(record)))
            .label("undeletable")
            .help("clear it first with `PATCH /v1/vault/keys2/{id}` and `\"undeletable\": false`, if the owner agrees");
    }
}
