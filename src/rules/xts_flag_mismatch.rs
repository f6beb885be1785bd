use super::shared::set_bool;
use crate::diagnostic::Severity;
use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `encryption_mode` is `XTS` without `xts: true`, or `xts: true` is paired with mode `CBC`
    /// (a warning).
    ///
    /// ## Why is this bad?
    /// An XTS key is a double-length XTS/CBC-CS1 key, which CipherTrust Manager creates only
    /// when the top-level `xts` is true. With `xts` false or missing the key is single-length and
    /// XTS GuardPoints cannot use it. The reverse, `xts: true` with plain `CBC`, creates a
    /// double-length key that CBC never uses.
    ///
    /// ## Examples
    /// ```json,invalid,profile_idt
    /// {"name": "idt-key", "algorithm": "aes", "size": 256, "meta": {"cte": {"encryption_mode": "XTS"}}}
    /// ```
    /// ```json,valid,profile_idt
    /// {"name": "idt-key", "algorithm": "aes", "size": 256, "xts": true, "meta": {"cte": {"encryption_mode": "XTS"}}}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe, for mode `XTS`: setting `xts` to true changes the key that gets created. The
    /// `CBC` case has no fix; choose the mode or the flag yourself.
    pub(crate) struct XtsFlagMismatch {
        code: "CTE304",
        name: "xts-flag-mismatch",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for XtsFlagMismatch {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(mode_member) = request.member(&["meta", "cte", "encryption_mode"]) else {
            return;
        };
        let xts = request.get("xts");
        // A non-boolean `xts` is `wrong-type`'s finding.
        if xts.is_some_and(|m| m.value.as_bool().is_none()) {
            return;
        }
        let xts_true = xts.is_some_and(|m| m.value.as_bool() == Some(true));
        match mode_member.value.as_str() {
            Some("XTS") if !xts_true => {
                let (pointer, span, fix) = match xts {
                    Some(member) => (request.at(&["xts"]), member.value.span, set_bool(&member.value, true)),
                    None => (
                        request.at(&["meta", "cte", "encryption_mode"]),
                        mode_member.value.span,
                        edits::insert_member(cx.source(), request.value, "xts", "true"),
                    ),
                };
                // `xts` misplaced inside `meta` is CTE205's to move; adding a second one would
                // leave a duplicate after the move.
                let misplaced =
                    request.member(&["meta", "xts"]).is_some() || request.member(&["meta", "cte", "xts"]).is_some();
                cx.report(
                    pointer,
                    span,
                    "mode `XTS` needs an XTS key: the top-level `xts` must be true",
                )
                .label(if xts.is_some() {
                    "must be true"
                } else {
                    "XTS without `xts: true`"
                })
                .help("set `\"xts\": true` at the top level of the request")
                .fix_opt((!misplaced).then(|| Fix::unsafe_("set `xts` to true", vec![fix])));
            }
            Some("CBC") if xts_true => {
                let Some(member) = xts else {
                    return;
                };
                cx.report(
                    request.at(&["xts"]),
                    member.value.span,
                    "`xts` is true with mode `CBC`: the double-length XTS key is never used by CBC",
                )
                .label("XTS key with CBC")
                .related(mode_member.value.span, "mode `CBC`")
                .help("set `\"xts\": false`, or use mode `XTS` if the key is for an XTS GuardPoint")
                .severity(Severity::Warning);
            }
            _ => {}
        }
    }
}
