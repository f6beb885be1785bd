use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.versionedKey` is present: it is not the CTE versioning switch.
    ///
    /// ## Why is this bad?
    /// `meta.versionedKey` is a generic CipherTrust Manager flag used by other connectors. CTE
    /// reads `meta.cte.cte_versioned`; an author who sets `versionedKey` to make an LDT key gets
    /// a non-versioned key.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "ldt-key", "algorithm": "aes", "meta": {"versionedKey": true, "cte": {"encryption_mode": "CBC"}}}
    /// ```
    /// ```json,valid
    /// {"name": "ldt-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC", "cte_versioned": true}}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: whether the key should be versioned depends on its policy.
    pub(crate) struct VersionedKeyFlagConfusion {
        code: "CTE210",
        name: "versioned-key-flag-confusion",
        severity: Warning,
        fix: None,
    }
}

impl Check for VersionedKeyFlagConfusion {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.member(&["meta", "versionedKey"]) else {
            return;
        };
        cx.report(request.at(&["meta", "versionedKey"]), member.name_span, "`meta.versionedKey` is not the CTE versioning switch: CTE reads `meta.cte.cte_versioned`")
            .label("not read by CTE")
            .help("remove `versionedKey` and set `meta.cte.cte_versioned` (true only for LDT transformation keys)");
    }
}
