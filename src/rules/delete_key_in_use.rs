use crate::delete::{record_anchor, record_label};
use crate::diagnostic::Elsewhere;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `delete-check`: the key is used in a CTE policy (`meta.cte.is_used`, or a key rule of a
    /// policy given with `--policies`), so the DELETE will be refused.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager refuses to delete a CTE key while a policy uses it. Taking the key
    /// out of every policy (and the policies off their GuardPoints) must come first.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"id": "4b5c", "name": "disk-key", "meta": {"cte": {"is_used": true}}}
    /// ```
    /// ```json,valid
    /// {"id": "4b5c", "name": "disk-key", "meta": {"cte": {"is_used": false}}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: remove the key from the policies that use it first.
    pub(crate) struct DeleteKeyInUse {
        code: "CTE612",
        name: "delete-key-in-use",
        severity: Error,
        fix: None,
        scope: Delete,
    }
}

impl Check for DeleteKeyInUse {
    fn check_record(&self, record: &Request<'_>, cx: &mut Context<'_>) {
        let label = record_label(record);
        if let Some(member) = record.member(&["meta", "cte", "is_used"]).filter(|m| m.value.as_bool() == Some(true)) {
            cx.report(record.at(&["meta", "cte", "is_used"]), member.value.span, format!("deleting {label} will be refused: the key is used in a CTE policy"))
                .label("in use")
                .help("remove the key from every policy that uses it, then delete it");
        }
        let Some(deletion) = cx.deletion() else { return };
        let name = record.get("name").and_then(|m| m.value.as_str());
        let id = record.get("id").and_then(|m| m.value.as_str());
        let (pointer, span) = record_anchor(record);
        for reference in deletion.references_to(name, id) {
            let elsewhere = Elsewhere { name: reference.file.clone(), start: reference.start, end: reference.end };
            cx.report(
                pointer.clone(),
                span,
                format!("deleting {label} will be refused: policy `{}` uses it ({}:{}:{})", reference.policy, reference.file, reference.start.line, reference.start.column),
            )
            .label("used by a policy")
            .related_elsewhere(reference.span, format!("policy `{}` uses the key here", reference.policy), elsewhere)
            .help(format!("remove the key from policy `{}` first", reference.policy));
        }
    }
}
