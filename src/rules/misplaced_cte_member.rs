use super::shared::move_into;
use crate::fix::Fix;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

/// Members of `meta.cte`.
const CTE_MEMBERS: [&str; 4] = ["encryption_mode", "cte_versioned", "persistent_on_client", "is_used"];

declare_rule! {
    /// A CTE member sits in the wrong object: `cte` at the top level, a `meta.cte` member
    /// directly under `meta` or at the top level, or `xts` inside `meta` or `meta.cte`.
    ///
    /// ## Why is this bad?
    /// `meta` is free-form, so CipherTrust Manager stores misplaced members without complaint
    /// and CTE never sees them: the key silently gets default CTE properties. The Terraform
    /// documentation example puts `xts` inside `meta`, where it has no effect; it belongs at the
    /// top level of the request.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"encryption_mode": "CBC_CS1", "cte": {"cte_versioned": false}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"cte": {"encryption_mode": "CBC_CS1", "cte_versioned": false}}}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: moving the member changes the key that gets created (its CTE properties take
    /// effect). Not offered when the destination already holds a member of that name.
    pub(crate) struct MisplacedCteMember {
        code: "CTE205",
        name: "misplaced-cte-member",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for MisplacedCteMember {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let mut misplaced: Vec<(&[&str], &str, &[&str])> = Vec::new();
        if request.get("cte").is_some() {
            misplaced.push((&[], "cte", &["meta"]));
        }
        for name in CTE_MEMBERS {
            for from in [&[][..], &["meta"][..]] {
                let here = request.object_at(from).and_then(|object| object.get(name));
                if here.is_some() {
                    misplaced.push((from, name, &["meta", "cte"]));
                }
            }
        }
        for from in [&["meta"][..], &["meta", "cte"][..]] {
            if request.object_at(from).and_then(|object| object.get("xts")).is_some() {
                misplaced.push((from, "xts", &[]));
            }
        }
        for (from, name, to) in misplaced {
            report(request, cx, from, name, to);
        }
    }
}

fn report(request: &Request<'_>, cx: &mut Context<'_>, from: &[&str], name: &str, to: &[&str]) {
    let Some(member) = request.object_at(from).and_then(|object| object.get(name)) else {
        return;
    };
    let place = |path: &[&str]| if path.is_empty() { "the top level".to_owned() } else { format!("`{}`", path.join(".")) };
    let fix = move_into(cx.source(), request, from, name, to)
        .map(|edits| Fix::unsafe_(format!("move `{name}` into {}", place(to)), edits));
    let path: Vec<&str> = from.iter().copied().chain([name]).collect();
    let existing = request.object_at(to).and_then(|object| object.get(name));
    let diagnostic = cx.report(
        request.at(&path),
        member.name_span,
        format!("`{name}` belongs in {}, not {}: CTE ignores it here", place(to), place(from)),
    );
    diagnostic.label("misplaced").help(format!("move `{name}` into {}", place(to))).fix_opt(fix);
    if let Some(existing) = existing {
        diagnostic.related(existing.name_span, format!("{} already has a `{name}`", place(to)));
    }
}
