use super::shared::visit;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// An object defines the same member name twice.
    ///
    /// ## Why is this bad?
    /// RFC 8259 leaves the result undefined: some parsers keep the first value, others the last,
    /// others reject the body. What CipherTrust Manager stores may not be what a reviewer read,
    /// which matters most for members such as `unexportable` or `meta.permissions`.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "unexportable": false, "unexportable": true}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "unexportable": false}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows which value was intended.
    pub(crate) struct DuplicateMember {
        code: "CTE002",
        name: "duplicate-member",
        severity: Error,
        fix: None,
    }
}

impl Check for DuplicateMember {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        if !request.value.holds_repeated_names() {
            return;
        }
        visit(request.value, request.pointer(), &mut |path, value, _| {
            let Some(object) = value.as_object() else {
                return;
            };
            for (index, first) in object.repeats() {
                let member = &object.members[index];
                cx.report(
                    path.pointer().child(member.name()),
                    member.name_span,
                    format!("member `{}` is defined more than once in this object", member.name()),
                )
                .label("defined again here")
                .related(object.members[first].name_span, "first defined here")
                .help("remove one of the definitions: parsers disagree on which value wins");
            }
        });
    }
}
