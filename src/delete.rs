//! `ctelint delete-check`: would `DELETE /v1/vault/keys2/{id}` of these keys be refused? The
//! input is key records as CipherTrust Manager returns them; this module reads the CTE policies
//! given with `--policies` (which keys their key rules use) and holds the deleting user's
//! groups. The verdicts are the rules CTE611–CTE614.

use std::path::Path;

use crate::json::{self, Kind, Member, ParseOptions, Pointer, Span, Value};
use crate::source::{LineCol, SourceFile};
use crate::walk;

/// The group that deleting a CTE key needs, besides [`KEY_ADMINS`].
pub const CTE_ADMINS: &str = "CTE Admins";
/// The group that deleting a CTE key needs, besides [`CTE_ADMINS`].
pub const KEY_ADMINS: &str = "Key Admins";

/// One key a CTE policy's key rule uses.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyReference {
    /// The key's name or id as the rule writes it.
    pub key: String,
    /// The policy's name (or its file, when it has none).
    pub policy: String,
    /// The policy file's display name.
    pub file: String,
    /// Where the reference is in that file.
    pub start: LineCol,
    /// Where it ends.
    pub end: LineCol,
    /// Its span in that file.
    pub span: Span,
}

/// What `delete-check` knows besides the records.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Deletion {
    /// The deleting user's groups, when `--as-groups` was given.
    pub groups: Option<Vec<String>>,
    /// Every key that a given policy uses.
    pub references: Vec<PolicyReference>,
}

impl Deletion {
    /// The policy references to a key of this name or id.
    pub fn references_to<'a>(
        &'a self,
        name: Option<&'a str>,
        id: Option<&'a str>,
    ) -> impl Iterator<Item = &'a PolicyReference> {
        self.references
            .iter()
            .filter(move |r| Some(r.key.as_str()) == name || Some(r.key.as_str()) == id)
    }
}

/// Reads CTE policy files: a policy object, an array of them, or a list response
/// (`resources`). Key rules are `key_rules`, `ldt_key_rules` and `idt_key_rules`; each names
/// keys through `key_id`, `current_key` or `transformation_key` (a string, or an object with a
/// `key_id`). `clear_key` is not a key.
///
/// # Errors
///
/// When a policy file cannot be read or is not JSON.
pub fn read_policies(paths: &[impl AsRef<Path>], max_file_size: u64) -> Result<Vec<PolicyReference>, String> {
    let mut references = Vec::new();
    for path in paths {
        let path = path.as_ref();
        let display = walk::display_path(path);
        let bytes = walk::read_limited(path, max_file_size).map_err(|e| format!("policy file `{display}`: {}", e.0))?;
        let document = json::parse_bytes(&bytes, ParseOptions::JSONC)
            .map_err(|e| format!("policy file `{display}` is not JSON: {}", e.message))?;
        let source = SourceFile::new(display.clone(), String::from_utf8_lossy(&bytes).into_owned());
        let policies: Vec<&Value> = match &document.root.kind {
            Kind::Array(items) => items.iter().collect(),
            Kind::Object(object) => match object.get("resources").and_then(|m| m.value.as_array()) {
                Some(items) => items.iter().collect(),
                None => vec![&document.root],
            },
            _ => Vec::new(),
        };
        for policy in policies {
            collect_policy(policy, &source, &mut references);
        }
    }
    Ok(references)
}

fn collect_policy(policy: &Value, source: &SourceFile, out: &mut Vec<PolicyReference>) {
    let Some(object) = policy.as_object() else { return };
    let name = object
        .get("name")
        .and_then(|m| m.value.as_str())
        .unwrap_or(source.name())
        .to_owned();
    for list in ["key_rules", "ldt_key_rules", "idt_key_rules"] {
        let Some(rules) = object.get(list).and_then(|m| m.value.as_array()) else {
            continue;
        };
        for rule in rules.iter().filter_map(Value::as_object) {
            for field in ["key_id", "current_key", "transformation_key"] {
                let Some(member) = rule.get(field) else { continue };
                if let Some((key, span)) = key_of(member) {
                    out.push(PolicyReference {
                        key: key.to_owned(),
                        policy: name.clone(),
                        file: source.name().to_owned(),
                        start: source.line_col(span.start as usize),
                        end: source.line_col(span.end as usize),
                        span,
                    });
                }
            }
        }
    }
}

/// The key a key-rule field names: a string, or an object's `key_id`.
fn key_of<'a>(member: &'a Member) -> Option<(&'a str, Span)> {
    let value = match &member.value.kind {
        Kind::Object(object) => &object.get("key_id")?.value,
        _ => &member.value,
    };
    let key = value.as_str().filter(|k| !k.is_empty() && *k != "clear_key")?;
    Some((key, value.span))
}

/// The pointer and span a finding about the whole record uses: its `name`, else its `id`, else
/// its opening brace.
pub fn record_anchor(record: &crate::request::Request<'_>) -> (Pointer, Span) {
    for field in ["name", "id"] {
        if let Some(member) = record.get(field) {
            return (record.at(&[field]), member.value.span);
        }
    }
    (
        record.pointer(),
        Span {
            start: record.value.span.start,
            end: record.value.span.start + 1,
        },
    )
}

/// How a record is named in messages.
pub fn record_label(record: &crate::request::Request<'_>) -> String {
    ["name", "id"]
        .iter()
        .find_map(|field| record.get(field).and_then(|m| m.value.as_str()))
        .map_or_else(|| "this key".to_owned(), |name| format!("`{name}`"))
}

/// Whether the record is a CTE key (it has `meta.cte`).
pub fn is_cte_key(record: &crate::request::Request<'_>) -> bool {
    record.cte().is_some()
}
