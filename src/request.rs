//! Key-request detection and a typed view of one keys2 create body (SPEC §2): which objects of a
//! document are linted, and the lookups rules share (`meta`, `meta.cte`, `meta.permissions`).

use crate::json::{Document, Kind, Member, Object, Pointer, Value};
use crate::profile::{CTE_CLIENTS, KEY_USERS};

/// One key request: an object at the document root or a top-level array element.
#[derive(Clone, Copy, Debug)]
pub struct Request<'a> {
    /// The request object's value (for its span).
    pub value: &'a Value<'a>,
    /// The request object.
    pub object: &'a Object<'a>,
    /// `None` for the document root, `Some(n)` for element `n` of a top-level array (or of the
    /// `resources` array of a list response).
    pub index: Option<usize>,
    /// Whether the request is an element of a list response's `resources` array.
    pub in_resources: bool,
}

impl<'a> Request<'a> {
    /// The pointer of the request itself (`""` or `/3`).
    pub fn pointer(&self) -> Pointer {
        match (self.index, self.in_resources) {
            (Some(i), true) => Pointer::root().child("resources").child(i),
            (Some(i), false) => Pointer::root().child(i),
            (None, _) => Pointer::root(),
        }
    }

    /// The pointer of a path inside the request.
    pub fn at(&self, path: &[&str]) -> Pointer {
        self.pointer().join(path)
    }

    /// The pointer of element `index` of the array at `path` inside the request.
    pub fn at_item(&self, path: &[&str], index: usize) -> Pointer {
        self.pointer().join_child(path, index)
    }

    /// A top-level member.
    pub fn get(&self, name: &str) -> Option<&'a Member<'a>> {
        self.object.get(name)
    }

    /// The member at `path` (each step an object member; last duplicate wins).
    pub fn member(&self, path: &[&str]) -> Option<&'a Member<'a>> {
        let (last, parents) = path.split_last()?;
        let mut object = self.object;
        for step in parents {
            object = object.get(step)?.value.as_object()?;
        }
        object.get(last)
    }

    /// The value at `path` (the request itself for an empty path).
    pub fn value_at(&self, path: &[&str]) -> Option<&'a Value<'a>> {
        if path.is_empty() {
            return Some(self.value);
        }
        Some(&self.member(path)?.value)
    }

    /// The object at `path`, when it is one.
    pub fn object_at(&self, path: &[&str]) -> Option<&'a Object<'a>> {
        if path.is_empty() {
            return Some(self.object);
        }
        self.member(path)?.value.as_object()
    }

    /// `meta`, when it is an object.
    pub fn meta(&self) -> Option<&'a Object<'a>> {
        self.object_at(&["meta"])
    }

    /// `meta.cte`, when it is an object.
    pub fn cte(&self) -> Option<&'a Object<'a>> {
        self.object_at(&["meta", "cte"])
    }

    /// `meta.permissions`, when it is an object.
    pub fn permissions(&self) -> Option<&'a Object<'a>> {
        self.object_at(&["meta", "permissions"])
    }

    /// `meta.cte.encryption_mode` as written, when it is a string.
    pub fn encryption_mode(&self) -> Option<&'a str> {
        self.member(&["meta", "cte", "encryption_mode"])?.value.as_str()
    }

    /// `meta.cte.cte_versioned`, when it is a boolean.
    pub fn versioned(&self) -> Option<bool> {
        self.member(&["meta", "cte", "cte_versioned"])?.value.as_bool()
    }

    /// The top-level `xts`, when it is a boolean.
    pub fn xts(&self) -> Option<bool> {
        self.get("xts")?.value.as_bool()
    }
}

/// Whether an object looks like a keys2 create body: `meta.cte` (or a misplaced top-level `cte`),
/// one of `algorithm`, `size`, `xts`, `unexportable`, or a grant to a CTE group.
pub fn looks_like_request(object: &Object) -> bool {
    const MARKERS: [&str; 5] = ["algorithm", "size", "xts", "unexportable", "cte"];
    if object.members.iter().any(|m| MARKERS.contains(&m.name())) {
        return true;
    }
    let meta = object.get("meta").and_then(|m| m.value.as_object());
    if meta.is_some_and(|meta| meta.get("cte").is_some()) {
        return true;
    }
    let grants = [meta.and_then(|meta| meta.get("permissions")), object.get("permissions")];
    grants
        .into_iter()
        .flatten()
        .any(|permissions| grants_cte_group(&permissions.value))
}

fn grants_cte_group(permissions: &Value) -> bool {
    let Some(permissions) = permissions.as_object() else {
        return false;
    };
    permissions.members.iter().any(|grant| match &grant.value.kind {
        Kind::Array(groups) => groups.iter().any(|g| g.as_str().is_some_and(is_cte_group)),
        Kind::String(group) => is_cte_group(group.as_str()),
        _ => false,
    })
}

fn is_cte_group(name: &str) -> bool {
    name == CTE_CLIENTS || name == KEY_USERS || name == "CTE Admins"
}

/// The key requests of a document, in order.
pub fn requests<'a>(document: &'a Document) -> Vec<Request<'a>> {
    match &document.root.kind {
        Kind::Object(object) if looks_like_request(object) => {
            vec![Request {
                value: &document.root,
                object,
                index: None,
                in_resources: false,
            }]
        }
        Kind::Array(items) => items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| {
                let object = item.as_object().filter(|o| looks_like_request(o))?;
                Some(Request {
                    value: item,
                    object,
                    index: Some(i),
                    in_resources: false,
                })
            })
            .collect(),
        _ => Vec::new(),
    }
}

/// Whether a string is a template placeholder (`{{ var }}`, `${VAR}`, `$VAR`) that a tool fills
/// in before the request is sent.
pub fn is_template(text: &str) -> bool {
    // Most strings have neither sign: answer them without building substring searchers.
    if !crate::escape::any_byte(text.as_bytes(), |b| matches!(b, b'{' | b'$')) {
        return false;
    }
    let t = text.trim();
    if t.contains("{{") && t.contains("}}") {
        return true;
    }
    if let Some(open) = t.find("${") {
        return t[open..].contains('}');
    }
    t.strip_prefix('$').is_some_and(|name| {
        name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
    })
}

/// Each object of `items` as a request addressed by its index.
fn elements<'a>(items: &'a [Value], in_resources: bool) -> Vec<Request<'a>> {
    items
        .iter()
        .enumerate()
        .filter_map(|(i, item)| {
            Some(Request {
                value: item,
                object: item.as_object()?,
                index: Some(i),
                in_resources,
            })
        })
        .collect()
}

/// The key records of a saved `GET /v1/vault/keys2/{id}` response (the document itself) or list
/// response (each element of `resources`, addressed as `/resources/N`).
pub fn records<'a>(document: &'a Document) -> Vec<Request<'a>> {
    let Some(root) = document.root.as_object() else {
        return document
            .root
            .as_array()
            .map_or_else(Vec::new, |items| elements(items, false));
    };
    if let Some(resources) = root.get("resources").and_then(|m| m.value.as_array()) {
        return elements(resources, true);
    }
    if root.get("id").is_some() || root.get("name").is_some() {
        return vec![Request {
            value: &document.root,
            object: root,
            index: None,
            in_resources: false,
        }];
    }
    Vec::new()
}
