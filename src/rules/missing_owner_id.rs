use super::shared::missing_at;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// There is no `meta.ownerId` and no `assignSelfAsOwner: true`.
    ///
    /// ## Why is this bad?
    /// A key created by a non-admin user needs an owner: `meta.ownerId` (the owner's user id,
    /// `local|<uuid>` for local users) or `assignSelfAsOwner: true`. Without one the request is
    /// refused for non-admins, and an admin-created key ends up owned by whoever ran the script.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1"}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows who should own the key.
    pub(crate) struct MissingOwnerId {
        code: "CTE501",
        name: "missing-owner-id",
        severity: Error,
        fix: None,
    }
}

impl Check for MissingOwnerId {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let self_owned = request.get("assignSelfAsOwner").is_some_and(|m| m.value.as_bool() == Some(true));
        // Present, or misplaced (CTE503 moves or renames it).
        let misplaced = request.get("ownerId").is_some()
            || request.member(&["meta", "cte", "ownerId"]).is_some()
            || request.member(&["meta", "owner_id"]).is_some();
        if self_owned || misplaced || request.member(&["meta", "ownerId"]).is_some() {
            return;
        }
        let (pointer, span) = missing_at(request, &["meta", "ownerId"]);
        cx.report(pointer, span, "no `meta.ownerId` and no `assignSelfAsOwner: true`: the key needs an owner")
            .label("no owner")
            .help("add `\"ownerId\": \"local|<user uuid>\"` to `meta`, or `\"assignSelfAsOwner\": true` at the top level");
    }
}
