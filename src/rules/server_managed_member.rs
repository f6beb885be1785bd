use super::shared::remove_fix;
use crate::fix::Applicability;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

/// Members only CipherTrust Manager sets, found in `GET` responses.
pub(crate) const SERVER_MANAGED: [&str; 13] = [
    "uri",
    "account",
    "application",
    "devAccount",
    "createdAt",
    "updatedAt",
    "version",
    "sha1Fingerprint",
    "sha256Fingerprint",
    "usage",
    "neverExported",
    "neverExportable",
    "rotationDateReached",
];

declare_rule! {
    /// A member only the server sets (`uri`, `createdAt`, `version`, `sha256Fingerprint`, …) is
    /// in a create body, usually because the body was copied from a `GET` response.
    ///
    /// ## Why is this bad?
    /// The server ignores or rejects these members, and a body built from a response tends to
    /// carry other stale values too. The full list: `uri`, `account`, `application`,
    /// `devAccount`, `createdAt`, `updatedAt`, `version`, `sha1Fingerprint`,
    /// `sha256Fingerprint`, `usage`, `neverExported`, `neverExportable`,
    /// `rotationDateReached`.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "createdAt": "2026-01-04T10:00:00Z", "version": 0}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: removing the member changes the body that is sent.
    pub(crate) struct ServerManagedMember {
        code: "CTE104",
        name: "server-managed-member",
        severity: Warning,
        fix: Always,
    }
}

impl Check for ServerManagedMember {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for (index, member) in request.object.members.iter().enumerate() {
            let name = member.name();
            if !SERVER_MANAGED.contains(&name) {
                continue;
            }
            let fix = remove_fix(request.value, index, Applicability::Unsafe);
            cx.report(request.at(&[name]), member.name_span, format!("`{name}` is set by the server, not by a create request"))
                .label("server-managed")
                .help(format!("remove `{name}`; was this body copied from a GET response?"))
                .fix_opt(fix);
        }
    }
}
