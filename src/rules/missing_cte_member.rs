use crate::fix::{Fix, edits};
use crate::profile::Profile;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `meta.cte` lacks `encryption_mode`, `cte_versioned` or `persistent_on_client`.
    ///
    /// ## Why is this bad?
    /// Tools disagree on the defaults of a partial `meta.cte` (some assume CBC, some CBC_CS1;
    /// versioning decides whether the key can serve an LDT policy at all). Writing the three
    /// properties down makes the key mean the same thing to everyone.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1", "persistent_on_client": true}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1", "cte_versioned": false, "persistent_on_client": true}}}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe, and offered only where the profile decides the value: `cte_versioned` (true for
    /// `ldt`, false otherwise) and `encryption_mode` when the profile allows a single mode.
    /// `persistent_on_client` has no fix: only the author knows whether the key may be kept on
    /// the host.
    pub(crate) struct MissingCteMember {
        code: "CTE206",
        name: "missing-cte-member",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for MissingCteMember {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(cte) = request.member(&["meta", "cte"]) else {
            return;
        };
        let Some(object) = cte.value.as_object() else {
            return;
        };
        let profile = cx.profile();
        for name in ["encryption_mode", "cte_versioned", "persistent_on_client"] {
            // Present, or present in the wrong place (CTE205 moves it).
            let misplaced = request.get(name).is_some() || request.member(&["meta", name]).is_some();
            if object.get(name).is_some() || misplaced {
                continue;
            }
            let value = profile_value(profile, name);
            let fix = value.as_ref().map(|value| {
                Fix::unsafe_(
                    format!("add `\"{name}\": {value}` (profile `{profile}`)"),
                    vec![edits::insert_member(cx.source(), &cte.value, name, value)],
                )
            });
            let help = match &value {
                Some(value) => format!("add `\"{name}\": {value}`, as profile `{profile}` requires"),
                None => format!("add `{name}` to `meta.cte`"),
            };
            cx.report(request.at(&["meta", "cte"]), cte.name_span, format!("`meta.cte` has no `{name}`: CTE keys should state it explicitly"))
                .label(format!("no `{name}`"))
                .help(help)
                .fix_opt(fix);
        }
    }
}

/// The JSON value `profile` requires for `name`, when it requires exactly one.
fn profile_value(profile: Profile, name: &str) -> Option<String> {
    match (name, profile.modes()) {
        ("cte_versioned", _) => Some(profile.versioned().to_string()),
        ("encryption_mode", [mode]) => Some(edits::json_string(mode)),
        _ => None,
    }
}
