use super::shared::remove_fix;
use crate::fix::Applicability;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `allVersions` or `offset` is in a create body: they belong to `PATCH` and to creating a
    /// version.
    ///
    /// ## Why is this bad?
    /// Create ignores them, so the author's intent (apply permissions to every version, or set
    /// a version's offset) silently does not happen. Tools that forward every option into the
    /// body, such as the Ansible module, produce this.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "allVersions": true}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: removing the member changes the body that is sent.
    pub(crate) struct PatchOnlyMember {
        code: "CTE112",
        name: "patch-only-member",
        severity: Warning,
        fix: Always,
    }
}

impl Check for PatchOnlyMember {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for (index, member) in request.object.members.iter().enumerate() {
            let name = member.name();
            let belongs = match name {
                "allVersions" => "`PATCH /v1/vault/keys2/{id}`",
                "offset" => "`POST /v1/vault/keys2/{id}/versions`",
                _ => continue,
            };
            let fix = remove_fix(request.value, index, Applicability::Unsafe);
            cx.report(request.at(&[name]), member.name_span, format!("`{name}` belongs to {belongs}: a create request ignores it"))
                .label("not a create member")
                .help(format!("remove `{name}` and send it with {belongs} if it is needed"))
                .fix_opt(fix);
        }
    }
}
