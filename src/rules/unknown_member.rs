use super::shared::Candidates;
use crate::fix::{Applicability, Fix, edits};
use std::collections::HashMap;

use crate::json::{Member, Pointer};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};
use crate::schema;

/// Suggestions the spelling distance does not find.
const ALIASES: [(&str, &str); 3] = [("key_size", "size"), ("key_length", "size"), ("keySize", "size")];

/// Renaming to these changes access, exportability or ownership.
const SENSITIVE: [&str; 5] = [
    "unexportable",
    "undeletable",
    "ownerId",
    "permissions",
    "assignSelfAsOwner",
];

declare_rule! {
    /// A member that the keys2 create body does not define, at the top level or in `meta.cte`;
    /// the nearest known name is suggested (`unexportible` → `unexportable`, `usage_mask` →
    /// `usageMask`, `key_size` → `size`).
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager ignores what it does not know, so a misspelt member silently falls
    /// back to its default: `"unexportible": false` leaves the key at the server's default, and
    /// a misspelt `meta.cte` member never reaches CTE. `meta` itself is free-form and not
    /// checked here. The known members come from `schemas/keys2-create.schema.json`.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "unexportible": false}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "unexportable": false}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe (the member starts to take effect), and sensitive when the suggestion is
    /// `unexportable`, `undeletable`, `ownerId`, `permissions` or `assignSelfAsOwner`. Offered
    /// only when there is a suggestion and the object does not already hold it.
    pub(crate) struct UnknownMember {
        code: "CTE101",
        name: "unknown-member",
        severity: Warning,
        fix: Sometimes,
    }
}

/// An unknown member: its name and pointer (relative to the request).
type Unknown = (String, Pointer);

impl Check for UnknownMember {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let errors = cx.schema_errors(request);
        // Errors come sorted by pointer, so the members of one object are neighbours: each
        // object's known names are folded once, and its members indexed once, for all of its
        // unknown members (an object may have 100,000).
        let mut groups: Vec<(Vec<String>, Vec<Unknown>)> = Vec::new();
        for error in errors {
            let mut segments: Vec<String> = error.pointer.segments().collect();
            let Some(name) = segments.pop() else { continue };
            match groups.last_mut() {
                Some((parent, members)) if *parent == segments => members.push((name, error.pointer)),
                _ => groups.push((segments, vec![(name, error.pointer)])),
            }
        }
        for (parent, unknown) in groups {
            let parent: Vec<&str> = parent.iter().map(String::as_str).collect();
            let Some(object) = request.object_at(&parent) else {
                continue;
            };
            let by_name: HashMap<&str, &Member> = object.members.iter().map(|m| (m.name(), m)).collect();
            let known = schema::known_members(&parent);
            let candidates = Candidates::new(&known);
            for (name, pointer) in unknown {
                let Some(member) = by_name.get(name.as_str()) else {
                    continue;
                };
                let suggestion = ALIASES
                    .iter()
                    .find(|(alias, _)| *alias == name)
                    .map(|(_, target)| *target)
                    .or_else(|| candidates.near_miss(&name));
                let fix = suggestion.filter(|s| !by_name.contains_key(s)).map(|suggestion| {
                    let applicability = if SENSITIVE.contains(&suggestion) {
                        Applicability::Sensitive
                    } else {
                        Applicability::Unsafe
                    };
                    Fix::new(
                        applicability,
                        format!("rename `{name}` to `{suggestion}`"),
                        vec![edits::rename_member(member, suggestion)],
                    )
                });
                let place = if parent.is_empty() {
                    "a keys2 create request".to_owned()
                } else {
                    format!("`{}`", parent.join("."))
                };
                let diagnostic = cx.report(
                    request.pointer().concat(&pointer),
                    member.name_span,
                    format!("`{name}` is not a member of {place}: the server ignores it"),
                );
                diagnostic.label("unknown member").fix_opt(fix);
                match suggestion {
                    Some(suggestion) => diagnostic.help(format!("did you mean `{suggestion}`?")),
                    None => diagnostic.help("remove it, or check the spelling against `ctelint schema`"),
                };
            }
        }
    }
}
