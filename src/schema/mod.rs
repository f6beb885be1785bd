//! The keys2 create schema (`schemas/keys2-create.schema.json`): embedded, compiled once by
//! our own validator for the keywords it uses ([`validator`]) and run directly on our spanned
//! tree. Its errors are [`SchemaError`]s with request-relative pointers, and [`owner`] says
//! which rule reports each one, so that no problem is reported twice.

mod date_time;
mod pattern;
mod validator;

use std::sync::OnceLock;

use crate::json::{Pointer, Value};

/// The schema's text, as `ctelint schema` prints it.
pub const SCHEMA_TEXT: &str = include_str!("../../schemas/keys2-create.schema.json");

/// What the validator compiles: the schema without its annotations (titles, descriptions,
/// examples), on one line. A sixth of the size, it is read in a fifth of the instructions at
/// every start. The tests make sure it is the schema's current copy, and write it anew when
/// `CTELINT_UPDATE_SCHEMA` is set.
pub const COMPILED_TEXT: &str = include_str!("keys2-create.compiled.json");

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

impl ErrorKind {
    /// The order of errors at one pointer.
    fn rank(&self) -> u8 {
        match self {
            Self::Type(_) => 0,
            Self::Required(_) => 1,
            Self::Enum(_) => 2,
            Self::Other(_) => 3,
            Self::Unknown | Self::PropertyName => 4,
        }
    }
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
fn compiled() -> Result<&'static validator::Validator, &'static str> {
    static VALIDATOR: OnceLock<Result<validator::Validator, String>> = OnceLock::new();
    VALIDATOR
        .get_or_init(|| validator::Validator::compile(COMPILED_TEXT))
        .as_ref()
        .map_err(String::as_str)
}

/// Whether the embedded schema compiles, and if not, why.
///
/// # Errors
///
/// When it uses a keyword the validator does not support, or a pattern outside the subset
/// the validator matches.
pub fn check_compiles() -> Result<(), String> {
    compiled().map(|_| ()).map_err(str::to_owned)
}

/// The schema's violations in `request`, ordered by pointer (and at one pointer, a wrong type
/// first, then missing members, values outside an `enum`, other keywords and names).
pub fn validate(request: &Value) -> Vec<SchemaError> {
    let Ok(validator) = compiled() else {
        return Vec::new();
    };
    let mut out = validator.validate(request);
    out.sort_by(|a, b| a.pointer.cmp(&b.pointer).then(a.kind.rank().cmp(&b.kind.rank())));
    out.dedup();
    out
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

/// The property names the schema defines for the object at `path` (for "did you mean").
pub fn known_members(path: &[&str]) -> Vec<&'static str> {
    compiled().map(|v| v.known_members(path)).unwrap_or_default()
}
