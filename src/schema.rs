//! The keys2 create schema (`schemas/keys2-create.schema.json`): embedded, compiled once, and
//! run by the `jsonschema` crate directly on our spanned tree through its custom-JSON traits
//! (no conversion to `serde_json::Value`). Validator errors are turned into [`SchemaError`]s
//! with request-relative pointers, and [`owner`] says which rule reports each one, so that no
//! problem is reported twice.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use jsonschema::JsonType;
use jsonschema::json::{Array, Json, JsonNumber, Node, NodeIdentity, Object as SchemaObject};

use crate::json::{Kind, Number, Object, Pointer, Str, Value};

/// The schema's text, as `ctelint schema` prints it.
pub const SCHEMA_TEXT: &str = include_str!("../schemas/keys2-create.schema.json");

/// Our tree as a `jsonschema` representation.
pub struct Spanned;

impl Json for Spanned {
    type Node<'a> = &'a Value;
    type PreparedKey = String;
    type StringBuffer = Value;

    fn prepare_key(key: &str) -> String {
        key.to_owned()
    }

    fn with_string_node<T>(buffer: &mut Value, string: &str, f: impl FnOnce(&Value) -> T) -> T {
        buffer.kind = Kind::String(Str {
            value: string.into(),
            lone_surrogate: false,
        });
        f(buffer)
    }
}

/// A number as `jsonschema` reads it.
pub struct SpannedNumber(Number);

impl JsonNumber for SpannedNumber {
    fn as_u64(&self) -> Option<u64> {
        self.0.int.and_then(|i| u64::try_from(i).ok())
    }

    fn as_i64(&self) -> Option<i64> {
        self.0.int
    }

    fn as_f64(&self) -> Option<f64> {
        Some(self.0.float)
    }

    fn as_str(&self) -> Cow<'_, str> {
        Cow::Owned(self.0.int.map_or_else(|| self.0.float.to_string(), |i| i.to_string()))
    }

    fn to_number(&self) -> Cow<'_, serde_json::Number> {
        let number = match self.0.int {
            Some(i) => serde_json::Number::from(i),
            None => serde_json::Number::from_f64(self.0.float)
                .or_else(|| serde_json::Number::from_f64(f64::MAX.copysign(self.0.float)))
                .unwrap_or_else(|| serde_json::Number::from(0)),
        };
        Cow::Owned(number)
    }

    fn is_integer(&self) -> bool {
        // `1e999999` is infinite and a 400-digit literal does not fit in `i64`: both are still
        // integers when written without a fraction.
        self.0.integer_literal || self.0.int.is_some() || self.0.float.is_finite() && self.0.float.fract() == 0.0
    }

    fn is_written_as_integer(&self) -> bool {
        self.0.integer_literal
    }
}

impl<'a> Node<'a, Spanned> for &'a Value {
    type Object = &'a Object;
    type Array = &'a [Value];
    type Number = SpannedNumber;

    fn as_object(&self) -> Option<&'a Object> {
        Value::as_object(self)
    }

    fn as_array(&self) -> Option<&'a [Value]> {
        Value::as_array(self)
    }

    fn as_string(&self) -> Option<Cow<'a, str>> {
        Value::as_str(self).map(Cow::Borrowed)
    }

    fn as_number(&self) -> Option<SpannedNumber> {
        Value::as_number(self).map(SpannedNumber)
    }

    fn as_boolean(&self) -> Option<bool> {
        Value::as_bool(self)
    }

    fn is_null(&self) -> bool {
        matches!(self.kind, Kind::Null)
    }

    fn json_type(&self) -> JsonType {
        match self.kind {
            Kind::Null => JsonType::Null,
            Kind::Bool(_) => JsonType::Boolean,
            Kind::Number(_) => JsonType::Number,
            Kind::String(_) => JsonType::String,
            Kind::Array(_) => JsonType::Array,
            Kind::Object(_) => JsonType::Object,
        }
    }

    fn to_value(&self) -> Cow<'a, serde_json::Value> {
        Cow::Owned(to_serde(self))
    }

    fn identity(&self) -> Option<NodeIdentity> {
        Some(NodeIdentity::new(std::ptr::from_ref::<Value>(*self) as usize))
    }
}

/// For `jsonschema`'s cold paths (error messages, `enum` comparisons); duplicate members
/// resolve last-wins, as [`Object::get`] does.
fn to_serde(value: &Value) -> serde_json::Value {
    match &value.kind {
        Kind::Null => serde_json::Value::Null,
        Kind::Bool(b) => serde_json::Value::Bool(*b),
        Kind::Number(n) => serde_json::Value::Number(SpannedNumber(*n).to_number().into_owned()),
        Kind::String(s) => serde_json::Value::String(s.as_str().to_owned()),
        Kind::Array(items) => serde_json::Value::Array(items.iter().map(to_serde).collect()),
        Kind::Object(object) => serde_json::Value::Object(
            object
                .members
                .iter()
                .map(|m| (m.name().to_owned(), to_serde(&m.value)))
                .collect(),
        ),
    }
}

impl<'a> SchemaObject<'a, Spanned> for &'a Object {
    type Node = &'a Value;
    type MemberName = &'a str;
    type MembersIter = Box<dyn Iterator<Item = (&'a str, &'a Value)> + 'a>;

    fn len(&self) -> usize {
        self.members.len()
    }

    fn get(&self, key: &String) -> Option<&'a Value> {
        Object::get(self, key).map(|member| &member.value)
    }

    fn members(&self) -> Self::MembersIter {
        Box::new(self.members.iter().map(|member| (member.name(), &member.value)))
    }
}

impl<'a> Array<'a, Spanned> for &'a [Value] {
    type Node = &'a Value;
    type ElementsIter = std::slice::Iter<'a, Value>;

    fn len(&self) -> usize {
        <[Value]>::len(self)
    }

    fn elements(&self) -> std::slice::Iter<'a, Value> {
        self.iter()
    }
}

/// What kind of problem a [`SchemaError`] is.
#[derive(Clone, Debug, PartialEq)]
pub enum ErrorKind {
    /// A member the schema does not define (the pointer names the member).
    Unknown,
    /// A value of the wrong type; the expected types, as JSON Schema names them.
    Type(Vec<String>),
    /// A value outside an `enum`; the allowed values.
    Enum(Vec<serde_json::Value>),
    /// A required member is missing (the pointer names the parent object).
    Required(String),
    /// A property name that breaks `propertyNames` (the pointer names the member).
    PropertyName,
    /// Any other keyword: `pattern`, `format`, `minimum`, `maxLength`, ...
    Other(String),
}

/// One schema violation, relative to the request it was found in.
#[derive(Clone, Debug, PartialEq)]
pub struct SchemaError {
    /// Where, relative to the request (`/meta/cte/cte_versioned`).
    pub pointer: Pointer,
    /// What.
    pub kind: ErrorKind,
    /// The validator's message, with the instance value masked.
    pub detail: String,
}

/// The compiled schema, or why it does not compile (a bug caught by the tests).
fn validator() -> Option<&'static jsonschema::Validator<Spanned>> {
    static VALIDATOR: OnceLock<Option<jsonschema::Validator<Spanned>>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| {
            let schema: serde_json::Value = serde_json::from_str(SCHEMA_TEXT).ok()?;
            jsonschema::options_for::<Spanned>()
                .should_validate_formats(true)
                .build(&schema)
                .ok()
        })
        .as_ref()
}

/// Compiles the schema now (on a spare thread, while the caller does other work).
pub fn warm_up() {
    let _ = validator();
}

/// Whether the embedded schema parses and compiles.
pub fn is_usable() -> bool {
    validator().is_some()
}

/// The schema's violations in `request`, in document order.
pub fn validate(request: &Value) -> Vec<SchemaError> {
    let Some(validator) = validator() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for error in validator.iter_errors(request) {
        let pointer = Pointer::parse(error.instance_path().as_str()).unwrap_or_default();
        // With duplicate members the validator may judge a value that a later duplicate
        // shadows; the pointer would name the later one. Such errors belong to CTE002.
        let shadowed =
            crate::json::locate(request, &pointer).is_none_or(|found| to_serde(found.value) != **error.instance());
        if shadowed {
            continue;
        }
        let kind = match error.kind() {
            jsonschema::error::ValidationErrorKind::AdditionalProperties { unexpected }
            | jsonschema::error::ValidationErrorKind::UnevaluatedProperties { unexpected } => {
                for name in unexpected {
                    // No detail: the validator's message lists every unexpected member, and an
                    // object with 100,000 of them must not get 100,000 copies of that list.
                    out.push(SchemaError {
                        pointer: pointer.child(name),
                        kind: ErrorKind::Unknown,
                        detail: String::new(),
                    });
                }
                continue;
            }
            jsonschema::error::ValidationErrorKind::Type { kind } => ErrorKind::Type(type_names(kind)),
            jsonschema::error::ValidationErrorKind::Enum { options } => {
                ErrorKind::Enum(options.as_array().cloned().unwrap_or_default())
            }
            jsonschema::error::ValidationErrorKind::Required { property } => {
                ErrorKind::Required(property.as_str().unwrap_or_default().to_owned())
            }
            jsonschema::error::ValidationErrorKind::PropertyNames { error: inner } => {
                let name = inner.instance().as_str().unwrap_or_default().to_owned();
                out.push(SchemaError {
                    pointer: pointer.child(&name),
                    kind: ErrorKind::PropertyName,
                    detail: inner.masked().to_string(),
                });
                continue;
            }
            other => ErrorKind::Other(other.keyword().to_owned()),
        };
        out.push(SchemaError {
            pointer,
            kind,
            detail: error.masked().to_string(),
        });
    }
    out.sort_by(|a, b| a.pointer.cmp(&b.pointer));
    out.dedup();
    out
}

fn type_names(kind: &jsonschema::error::TypeKind) -> Vec<String> {
    match kind {
        jsonschema::error::TypeKind::Single(single) => vec![single.to_string()],
        jsonschema::error::TypeKind::Multiple(set) => set.iter().map(|t| t.to_string()).collect(),
    }
}

/// Members at the top level, besides the server-managed ones, that hand-written rules report
/// (with better messages and fixes) instead of `unknown-member`.
const OWNED_TOP_LEVEL: [&str; 9] = [
    "allVersions",
    "offset",
    "cte",
    "encryption_mode",
    "cte_versioned",
    "persistent_on_client",
    "is_used",
    "ownerId",
    "permissions",
];

/// The rule that reports `error`, or `None` when a hand-written rule reports the same problem
/// itself.
pub fn owner(error: &SchemaError) -> Option<&'static str> {
    let segments: Vec<String> = error.pointer.segments().collect();
    let path: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (&error.kind, path.as_slice()) {
        (ErrorKind::Unknown, [name])
            if OWNED_TOP_LEVEL.contains(name) || crate::rules::SERVER_MANAGED.contains(name) =>
        {
            None
        }
        (ErrorKind::Unknown, ["meta", "cte", "xts" | "ownerId" | "permissions"]) => None,
        (ErrorKind::Unknown, _) => Some("CTE101"),
        // Group lists (CTE406), the mode's spelling (CTE207) and `defaultIV` (CTE111) have their
        // own rules.
        (_, ["meta", "permissions", _, ..] | ["defaultIV"])
        | (ErrorKind::Enum(_), ["meta", "cte", "encryption_mode"]) => None,
        (_, ["usageMask"]) => Some("CTE109"),
        (_, ["labels", _, ..]) => Some("CTE110"),
        (ErrorKind::Other(keyword), ["name"]) if keyword == "pattern" || keyword == "minLength" => Some("CTE106"),
        (ErrorKind::Type(_) | ErrorKind::Required(_), _) => Some("CTE102"),
        _ => Some("CTE103"),
    }
}

/// Known member names by object path.
type Known = HashMap<Vec<String>, Arc<Vec<String>>>;

/// The property names the schema defines for the object at `path` (for "did you mean"),
/// computed once per path.
pub fn known_members(path: &[&str]) -> Arc<Vec<String>> {
    static SCHEMA: OnceLock<serde_json::Value> = OnceLock::new();
    static BY_PATH: OnceLock<Mutex<Known>> = OnceLock::new();
    let key: Vec<String> = path.iter().map(|s| (*s).to_owned()).collect();
    let cache = BY_PATH.get_or_init(Mutex::default);
    if let Some(found) = cache.lock().ok().and_then(|c| c.get(&key).cloned()) {
        return found;
    }
    let schema = SCHEMA.get_or_init(|| serde_json::from_str(SCHEMA_TEXT).unwrap_or_default());
    let mut node = Some(schema);
    for step in path {
        node = node
            .and_then(|n| n.get("properties"))
            .and_then(|p| p.get(*step))
            .map(|n| resolve(schema, n));
    }
    let names: Vec<String> = node
        .and_then(|n| n.get("properties"))
        .and_then(serde_json::Value::as_object)
        .map(|p| p.keys().cloned().collect())
        .unwrap_or_default();
    let names = Arc::new(names);
    if let Ok(mut cache) = cache.lock() {
        cache.insert(key, Arc::clone(&names));
    }
    names
}

/// Follows a local `$ref`.
fn resolve<'s>(schema: &'s serde_json::Value, node: &'s serde_json::Value) -> &'s serde_json::Value {
    node.get("$ref")
        .and_then(serde_json::Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| schema.pointer(pointer))
        .unwrap_or(node)
}
