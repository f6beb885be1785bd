use crate::diagnostic::Severity;
use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.cte.is_used` is written by the client; the server maintains it.
    ///
    /// ## Why is this bad?
    /// `is_used` tells whether a CTE policy uses the key, and deletion checks rely on it. A
    /// create body that sets it claims something that is not yet true; `true` is worse, since
    /// it can make a fresh key look in use (reported as a warning rather than info).
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1", "is_used": true}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1"}}}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: removing the member changes the stored metadata.
    pub(crate) struct ClientSetIsUsed {
        code: "CTE209",
        name: "client-set-is-used",
        severity: Info,
        fix: Sometimes,
    }
}

impl Check for ClientSetIsUsed {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(cte) = request.member(&["meta", "cte"]) else {
            return;
        };
        let Some(index) = cte.value.as_object().and_then(|o| o.position("is_used")) else {
            return;
        };
        let Some(member) = cte.value.as_object().map(|o| &o.members[index]) else {
            return;
        };
        let set_true = member.value.as_bool() == Some(true);
        let fix = edits::remove_member(&cte.value, index).map(|edit| Fix::unsafe_("remove `is_used`", vec![edit]));
        let diagnostic = cx.report(
            request.at(&["meta", "cte", "is_used"]),
            member.name_span,
            if set_true {
                "`is_used` is set to true by the client: the server maintains it, and a fresh key is not used by any policy yet"
            } else {
                "`is_used` is set by the client: the server maintains it"
            },
        );
        diagnostic.label("server-managed").help("remove `is_used` from the create body").fix_opt(fix);
        if set_true {
            diagnostic.severity(Severity::Warning);
        }
    }
}
