//! Helpers that several rules share: where "missing" findings point, near-miss matching of
//! names, group lists, and the fixes that move or grant. Rules call these instead of repeating
//! the logic.

use crate::fix::edits::{self, json_string};
use crate::fix::{Applicability, Edit, Fix};
use crate::json::{Kind, Member, Pointer, Span, Value};
use crate::request::{Request, is_template};
use crate::rule::Context;

/// The permission names `meta.permissions` may hold.
pub(crate) const PERMISSIONS: [&str; 10] = [
    "ReadKey",
    "ExportKey",
    "UseKey",
    "EncryptWithKey",
    "DecryptWithKey",
    "SignWithKey",
    "SignVerifyWithKey",
    "MACWithKey",
    "MACVerifyWithKey",
    "UploadKey",
];

/// Group names CipherTrust Manager documents, spelt as it spells them.
pub(crate) const KNOWN_GROUPS: [&str; 11] = [
    "CTE Clients",
    "CTE Admins",
    "Key Admins",
    "Key Users",
    "admin",
    "User Admins",
    "Application Data Protection Admins",
    "Application Data Protection Clients",
    "ProtectFile Admins",
    "ProtectFile Users",
    "CCKM Users",
];

/// The one-byte span of a value's first character (the `{` of a request).
pub(crate) fn opening(value: &Value) -> Span {
    Span {
        start: value.span.start,
        end: value.span.start + 1,
    }
}

/// Where a finding about something missing at `path` points: the name of the deepest member
/// of the path that exists, else the request's opening brace.
pub(crate) fn missing_at(request: &Request<'_>, path: &[&str]) -> (Pointer, Span) {
    for depth in (1..path.len()).rev() {
        if let Some(member) = request.member(&path[..depth]) {
            return (request.at(&path[..depth]), member.name_span);
        }
    }
    (request.pointer(), opening(request.value))
}

/// The string, unless it is a template placeholder (CTE005 reports those; other checks skip
/// them).
pub(crate) fn concrete_str<'a>(value: &'a Value) -> Option<&'a str> {
    value.as_str().filter(|s| !is_template(s))
}

/// Case and separator folding: `Read_Key`, `read-key` and `READKEY` all fold to `readkey`.
pub(crate) fn fold(text: &str) -> String {
    if text.is_ascii() {
        return text
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'_' | b'-' | b'.'))
            .map(|b| char::from(b.to_ascii_lowercase()))
            .collect();
    }
    text.chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// The candidate `text` is a near miss of (never `text` itself): the same folded form, or a
/// folded edit distance small for the length (1 from 6 folded characters, 2 from 11).
pub(crate) fn near_miss<'c>(text: &str, candidates: &[&'c str]) -> Option<&'c str> {
    // Most names asked about are correct: answer them without folding every candidate.
    if candidates.contains(&text) {
        return None;
    }
    Candidates::new(candidates).near_miss(text)
}

/// Names to match near misses against, folded once (an object with 100,000 unknown members
/// asks 100,000 times).
pub(crate) struct Candidates<'c> {
    folded: Vec<(String, &'c str)>,
}

impl<'c> Candidates<'c> {
    pub(crate) fn new(candidates: &[&'c str]) -> Self {
        Self {
            folded: candidates.iter().map(|c| (fold(c), *c)).collect(),
        }
    }

    /// See [`near_miss`].
    pub(crate) fn near_miss(&self, text: &str) -> Option<&'c str> {
        if self.folded.iter().any(|(_, c)| *c == text) {
            return None;
        }
        let folded = fold(text);
        if let Some((_, same)) = self.folded.iter().find(|(f, _)| *f == folded) {
            return Some(same);
        }
        let length = folded.chars().count();
        let allowed = match length {
            0..=5 => 0,
            6..=10 => 1,
            _ => 2,
        };
        self.folded
            .iter()
            .filter(|(f, _)| f.chars().count().abs_diff(length) <= allowed)
            .map(|(f, c)| (strsim::levenshtein(&folded, f), *c))
            .filter(|&(distance, _)| distance <= allowed)
            .min_by_key(|&(distance, _)| distance)
            .map(|(_, c)| c)
    }
}

/// The elements of a group list: an array's, or a lone string as the only one (the group
/// names are the elements that are strings).
pub(crate) fn group_elements<'a, 's>(value: &'a Value<'s>) -> Option<&'a [Value<'s>]> {
    match &value.kind {
        Kind::Array(items) => Some(items),
        Kind::String(_) => Some(std::slice::from_ref(value)),
        _ => None,
    }
}

/// Renders a group list for "before → after" fix messages.
fn render_groups<'a>(groups: impl IntoIterator<Item = &'a str>) -> String {
    let quoted: Vec<String> = groups.into_iter().map(json_string).collect();
    format!("[{}]", quoted.join(", "))
}

/// Replaces a boolean (or any) value by `true`/`false`.
pub(crate) fn set_bool(value: &Value, to: bool) -> Edit {
    edits::replace_value(value, to.to_string())
}

/// The edits that move member `name` of the object at `from` into the object at `to`,
/// creating that object (as the last member of its parent) when it does not exist. `None` when
/// the target already has such a member or its parent is missing.
pub(crate) fn move_into(
    source: &str,
    request: &Request<'_>,
    from: &[&str],
    name: &str,
    to: &[&str],
) -> Option<Vec<Edit>> {
    let from_value = request.value_at(from)?;
    let index = from_value.as_object()?.position(name)?;
    if let Some(target) = request.value_at(to) {
        if target.as_object()?.get(name).is_some() {
            return None;
        }
        return edits::move_member(source, from_value, index, target);
    }
    let (wrapper, parent) = to.split_last()?;
    let parent = request.value_at(parent)?;
    parent.as_object()?;
    edits::move_member_into_new(source, from_value, index, parent, wrapper)
}

/// Checks that `meta.permissions.<permission>` includes `group`, reporting at the grant (or,
/// when `missing_grant` is true, at `permissions` when the grant is missing) with a sensitive
/// fix that adds the group. `why` ends the message ("CTE requires ...").
pub(crate) fn require_grant(
    request: &Request<'_>,
    cx: &mut Context<'_>,
    (permission, group): (&str, &str),
    missing_grant: bool,
    why: &str,
) {
    let source = cx.source();
    let Some(permissions_member) = request.member(&["meta", "permissions"]) else {
        return;
    };
    let Some(permissions) = permissions_member.value.as_object() else {
        return;
    };
    let Some(grant) = permissions.get(permission) else {
        if !missing_grant {
            return;
        }
        // A misspelt permission name (`read_key`) is CTE405's finding and fix.
        if permissions
            .members
            .iter()
            .any(|m| near_miss(m.name(), &PERMISSIONS) == Some(permission))
        {
            return;
        }
        let member = format!("{}: {}", json_string(permission), render_groups([group]));
        let fix = Fix::sensitive(
            format!(
                "add {member} to `meta.permissions` (grant: none → {})",
                render_groups([group])
            ),
            vec![edits::insert_member(
                source,
                &permissions_member.value,
                permission,
                &render_groups([group]),
            )],
        );
        cx.report(
            request.at(&["meta", "permissions"]),
            permissions_member.name_span,
            format!("`meta.permissions` has no `{permission}` grant: {why}"),
        )
        .label(format!("no `{permission}` here"))
        .help(format!("add `{member}`"))
        .fix(fix);
        return;
    };
    let Some(elements) = group_elements(&grant.value) else {
        return;
    };
    let names = elements.iter().filter_map(Value::as_str);
    // An exact grant, or a near miss that CTE407 reports and renames.
    if names
        .clone()
        .any(|name| name == group || near_miss(name, &KNOWN_GROUPS) == Some(group))
    {
        return;
    }
    let diagnostic = cx.report(
        request.at(&["meta", "permissions", permission]),
        grant.value.span,
        format!("`{permission}` does not include `{group}`: {why}"),
    );
    diagnostic
        .label(format!("`{group}` missing"))
        .help(format!("add `{}` to the `{permission}` list", json_string(group)));
    if matches!(grant.value.kind, Kind::Array(_)) {
        let after = render_groups(names.clone().chain([group]));
        let edit = edits::append_element(source, &grant.value, &json_string(group));
        diagnostic.fix(Fix::sensitive(
            format!("grant `{permission}` to `{group}`: {} → {after}", render_groups(names)),
            vec![edit],
        ));
    }
}

/// One step of a [`Path`].
#[derive(Clone, Copy, Debug)]
enum Step<'a> {
    Member(&'a str),
    Index(usize),
}

/// Where [`visit`] is, kept as borrowed steps so that a pointer is only built when a finding
/// needs one.
#[derive(Debug)]
pub(crate) struct Path<'a> {
    base: Pointer,
    steps: Vec<Step<'a>>,
}

impl Path<'_> {
    /// The pointer of the current value.
    pub(crate) fn pointer(&self) -> Pointer {
        self.steps.iter().fold(self.base.clone(), |pointer, step| match step {
            Step::Member(name) => pointer.child(name),
            Step::Index(index) => pointer.child(index),
        })
    }
}

/// Calls `f` for `value` and every value below it, with the path and, for member values, the
/// member. Depth is bounded by the parser's nesting limit.
pub(crate) fn visit<'a>(value: &'a Value, base: Pointer, f: &mut impl FnMut(&Path<'a>, &'a Value, Option<&'a Member>)) {
    let mut path = Path {
        base,
        steps: Vec::new(),
    };
    f(&path, value, None);
    visit_children(value, &mut path, f);
}

fn visit_children<'a>(
    value: &'a Value,
    path: &mut Path<'a>,
    f: &mut impl FnMut(&Path<'a>, &'a Value, Option<&'a Member>),
) {
    match &value.kind {
        Kind::Object(object) => {
            for member in &object.members {
                path.steps.push(Step::Member(member.name()));
                f(path, &member.value, Some(member));
                visit_children(&member.value, path, f);
                path.steps.pop();
            }
        }
        Kind::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.steps.push(Step::Index(index));
                f(path, item, None);
                visit_children(item, path, f);
                path.steps.pop();
            }
        }
        _ => {}
    }
}

/// One group name listed in a `meta.permissions` array.
pub(crate) struct Granted<'a> {
    /// The permission member (`"ReadKey": [...]`).
    pub(crate) grant: &'a Member<'a>,
    /// The element's index in the array.
    pub(crate) index: usize,
    /// The element.
    pub(crate) value: &'a Value<'a>,
    /// The group name.
    pub(crate) group: &'a str,
}

/// Every group name listed in `meta.permissions` arrays, in document order.
pub(crate) fn granted_groups<'a>(request: &Request<'a>) -> impl Iterator<Item = Granted<'a>> {
    let grants = request
        .permissions()
        .map_or(&[][..], |permissions| &permissions.members[..]);
    grants.iter().flat_map(|grant| {
        let items = grant.value.as_array().unwrap_or_default();
        items.iter().enumerate().filter_map(move |(index, value)| {
            Some(Granted {
                grant,
                index,
                value,
                group: value.as_str()?,
            })
        })
    })
}

/// A fix removing member `index` of the object `object` (with its comma).
pub(crate) fn remove_fix(object: &Value, index: usize, applicability: Applicability) -> Option<Fix> {
    let name = object.as_object()?.members.get(index)?.name();
    let edit = edits::remove_member(object, index)?;
    Some(Fix::new(applicability, format!("remove `{name}`"), vec![edit]))
}
