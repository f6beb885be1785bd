use super::shared::move_into;
use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `ownerId` or `permissions` sits at the top level or inside `meta.cte`, or the owner is
    /// spelt `meta.owner_id`.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager reads the owner and the grants from `meta.ownerId` and
    /// `meta.permissions` only. Elsewhere they are stored as opaque data: the key gets no owner
    /// and no CTE grants. `owner_id` is how the Terraform provider spells the member in its own
    /// schema, not what the REST API reads.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"owner_id": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    ///
    /// ## Fix safety
    /// Sensitive: moving or renaming makes the ownership or the grants take effect. Not offered
    /// when `meta` is missing or already holds the member; apply it with
    /// `--allow-sensitive-fix CTE503`.
    pub(crate) struct MisplacedOwnerOrPermissions {
        code: "CTE503",
        name: "misplaced-owner-or-permissions",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for MisplacedOwnerOrPermissions {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for name in ["ownerId", "permissions"] {
            for (from, place) in [(&[][..], "the top level"), (&["meta", "cte"][..], "`meta.cte`")] {
                let Some(member) = request.object_at(from).and_then(|object| object.get(name)) else {
                    continue;
                };
                let fix = move_into(cx.source(), request, from, name, &["meta"])
                    .map(|edits| Fix::sensitive(format!("move `{name}` into `meta`"), edits));
                let path: Vec<&str> = from.iter().copied().chain([name]).collect();
                cx.report(request.at(&path), member.name_span, format!("`{name}` belongs in `meta`, not {place}: CipherTrust Manager ignores it here"))
                    .label("misplaced")
                    .help(format!("move `{name}` into `meta`"))
                    .fix_opt(fix);
            }
        }
        if let Some(member) = request.member(&["meta", "owner_id"]) {
            let fix = request
                .member(&["meta", "ownerId"])
                .is_none()
                .then(|| Fix::sensitive("rename `owner_id` to `ownerId`", vec![edits::rename_member(member, "ownerId")]));
            cx.report(request.at(&["meta", "owner_id"]), member.name_span, "`meta.owner_id` is the Terraform spelling: the REST API reads `meta.ownerId`")
                .label("snake case")
                .help("rename it to `ownerId`")
                .fix_opt(fix);
        }
    }
}
