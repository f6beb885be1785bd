//! A JSON Schema validator for the keywords our schema uses, run on our spanned tree.
//!
//! The schema is compiled into a table of nodes (each `$ref` points at its target's row) in a
//! fraction of a millisecond; a schema crate spends several milliseconds loading and checking
//! meta-schemas first, which is most of the time of a one-file run. A keyword outside this
//! subset makes the compile fail, so the schema cannot silently grow past what is checked
//! (the tests compile the embedded schema and compare the results with the `jsonschema` crate).

use std::collections::{BTreeMap, HashMap};
use std::fmt::{self, Write as _};

use serde::Deserialize;
use serde_json::Value as Json;

use super::pattern::Pattern;
use super::{ErrorKind, SchemaError};
use crate::json::{Kind, Number, Object, Pointer, Value};

/// How many `enum` values a message lists before counting the rest (as `jsonschema` words it).
const LISTED_OPTIONS: usize = 3;

/// A JSON type as the `type` keyword names it.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Type {
    Null,
    Boolean,
    Integer,
    Number,
    String,
    Array,
    Object,
}

impl Type {
    fn parse(name: &str) -> Option<Self> {
        Some(match name {
            "null" => Self::Null,
            "boolean" => Self::Boolean,
            "integer" => Self::Integer,
            "number" => Self::Number,
            "string" => Self::String,
            "array" => Self::Array,
            "object" => Self::Object,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Self::Null => "null",
            Self::Boolean => "boolean",
            Self::Integer => "integer",
            Self::Number => "number",
            Self::String => "string",
            Self::Array => "array",
            Self::Object => "object",
        }
    }

    fn admits(self, value: &Value) -> bool {
        match (self, &value.kind) {
            (Self::Null, Kind::Null)
            | (Self::Boolean, Kind::Bool(_))
            | (Self::Number, Kind::Number(_))
            | (Self::String, Kind::String(_))
            | (Self::Array, Kind::Array(_))
            | (Self::Object, Kind::Object(_)) => true,
            (Self::Integer, Kind::Number(number)) => is_integer(number),
            _ => false,
        }
    }
}

/// `1`, `1.0`, a 400-digit literal and `1e999999` are integers; `1.5` is not.
fn is_integer(number: &Number) -> bool {
    number.integer_literal || number.int.is_some() || number.float.is_finite() && number.float.fract() == 0.0
}

/// A numeric bound, kept as written for messages.
#[derive(Debug)]
struct Limit {
    written: serde_json::Number,
    float: f64,
}

impl Limit {
    fn new(written: serde_json::Number) -> Self {
        Self {
            float: written.as_f64().unwrap_or(f64::NAN),
            written,
        }
    }

    /// How `number` compares with the bound (exactly for integers that fit in 64 bits).
    fn compare(&self, number: &Number) -> Option<std::cmp::Ordering> {
        match (number.int, self.written.as_i64()) {
            (Some(value), Some(limit)) => Some(value.cmp(&limit)),
            _ => number.float.partial_cmp(&self.float),
        }
    }
}

/// What an object allows besides its `properties`.
#[derive(Debug, Default)]
enum Additional {
    #[default]
    Any,
    Nothing,
    Schema(usize),
}

/// One compiled schema object; other nodes are referred to by row.
#[derive(Debug, Default)]
struct Node {
    reference: Option<usize>,
    types: Vec<Type>,
    options: Option<Vec<Json>>,
    minimum: Option<Limit>,
    maximum: Option<Limit>,
    min_length: Option<u64>,
    max_length: Option<u64>,
    pattern: Option<Pattern>,
    date_time: bool,
    required: Vec<String>,
    /// Sorted by length, then name: most names looked up differ in length from most of the
    /// others, which settles a comparison at once.
    properties: Vec<(String, usize)>,
    additional: Additional,
    property_names: Option<usize>,
    items: Option<usize>,
}

/// A compiled schema.
#[derive(Debug)]
pub(super) struct Validator {
    nodes: Vec<Node>,
}

/// A schema object as written, with the keywords this validator supports; any other keyword is
/// an error. The schema is compiled from its copy without annotations (titles, descriptions:
/// see [`super::COMPILED_TEXT`]), so they need no place here.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(rename = "$ref")]
    reference: Option<String>,
    #[serde(rename = "type")]
    types: Option<Types>,
    #[serde(rename = "enum")]
    options: Option<Vec<Json>>,
    minimum: Option<serde_json::Number>,
    maximum: Option<serde_json::Number>,
    #[serde(rename = "minLength")]
    min_length: Option<u64>,
    #[serde(rename = "maxLength")]
    max_length: Option<u64>,
    pattern: Option<String>,
    format: Option<String>,
    #[serde(default)]
    required: Vec<String>,
    #[serde(default)]
    properties: BTreeMap<String, Raw>,
    #[serde(rename = "additionalProperties")]
    additional: Option<RawAdditional>,
    #[serde(rename = "propertyNames")]
    property_names: Option<Box<Raw>>,
    items: Option<Box<Raw>>,
    #[serde(rename = "$defs", default)]
    definitions: BTreeMap<String, Raw>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Types {
    One(String),
    Many(Vec<String>),
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawAdditional {
    Allowed(bool),
    Schema(Box<Raw>),
}

/// Where a schema object is (`#/properties/meta`), for messages: written only when one is.
#[derive(Clone, Copy)]
struct Location<'a> {
    parent: Option<&'a Location<'a>>,
    segment: &'a str,
}

impl<'a> Location<'a> {
    const ROOT: Location<'static> = Location {
        parent: None,
        segment: "#",
    };

    fn child(&'a self, segment: &'a str) -> Self {
        Self {
            parent: Some(self),
            segment,
        }
    }
}

impl fmt::Display for Location<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(parent) = self.parent {
            write!(f, "{parent}/")?;
        }
        f.write_str(self.segment)
    }
}

/// Compiles nodes, each definition once.
struct Compiler {
    /// The definitions not compiled yet.
    definitions: BTreeMap<String, Raw>,
    nodes: Vec<Node>,
    by_name: HashMap<String, usize>,
}

impl Validator {
    /// Compiles the schema `text`.
    ///
    /// # Errors
    ///
    /// When it is not JSON, uses a keyword outside the supported subset, or uses one in a way
    /// this validator does not support.
    pub(super) fn compile(text: &str) -> Result<Self, String> {
        let mut root: Raw = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let mut compiler = Compiler {
            definitions: std::mem::take(&mut root.definitions),
            // A node per schema object, and each of those opens with a `{` in the text: the
            // table is allocated once instead of growing (its rows are large).
            nodes: Vec::with_capacity(memchr::memchr_iter(b'{', text.as_bytes()).count()),
            by_name: HashMap::new(),
        };
        compiler.node(root, Location::ROOT)?;
        // Definitions that nothing refers to are checked too.
        while let Some(name) = compiler.definitions.keys().next().cloned() {
            compiler.definition(&format!("#/$defs/{name}"), Location::ROOT)?;
        }
        Ok(Self { nodes: compiler.nodes })
    }

    /// The violations of `value`, relative to it.
    pub(super) fn validate(&self, value: &Value) -> Vec<SchemaError> {
        let mut run = Run {
            nodes: &self.nodes,
            path: Vec::new(),
            errors: Vec::new(),
        };
        run.node(0, value);
        run.errors
    }

    /// The names `properties` defines for the object at `path` (through `$ref`s), sorted.
    pub(super) fn known_members(&self, path: &[&str]) -> Vec<&str> {
        let resolve = |mut row: usize| {
            while self.nodes[row].properties.is_empty()
                && let Some(target) = self.nodes[row].reference
            {
                row = target;
            }
            &self.nodes[row]
        };
        let mut node = Some(resolve(0));
        for step in path {
            node = node.and_then(|n| n.property(step)).map(resolve);
        }
        node.map(|n| {
            let mut names: Vec<&str> = n.properties.iter().map(|(name, _)| name.as_str()).collect();
            names.sort_unstable();
            names
        })
        .unwrap_or_default()
    }
}

impl Node {
    fn property(&self, name: &str) -> Option<usize> {
        self.properties
            .binary_search_by(|(known, _)| (known.len(), known.as_str()).cmp(&(name.len(), name)))
            .ok()
            .map(|at| self.properties[at].1)
    }
}

impl Compiler {
    /// Compiles `raw` (found at `location`) into a new row.
    fn node(&mut self, raw: Raw, location: Location<'_>) -> Result<usize, String> {
        let row = self.nodes.len();
        self.nodes.push(Node::default());
        let types = match raw.types {
            None => Vec::new(),
            Some(Types::One(name)) => vec![name],
            Some(Types::Many(names)) => names,
        };
        let types = types
            .iter()
            .map(|name| Type::parse(name).ok_or_else(|| format!("{location}/type: unknown type \"{name}\"")))
            .collect::<Result<_, _>>()?;
        let date_time = match raw.format.as_deref() {
            None => false,
            Some("date-time") => true,
            Some(other) => return Err(format!("{location}/format: `{other}` is not supported")),
        };
        let pattern = match &raw.pattern {
            Some(source) => Some(Pattern::new(source).map_err(|e| format!("{location}/pattern: {e}"))?),
            None => None,
        };
        let mut properties = Vec::with_capacity(raw.properties.len());
        let under = location.child("properties");
        for (name, child) in raw.properties {
            let compiled = self.node(child, under.child(&name))?;
            properties.push((name, compiled));
        }
        properties.sort_unstable_by(|(a, _), (b, _)| (a.len(), a).cmp(&(b.len(), b)));
        let additional = match raw.additional {
            None | Some(RawAdditional::Allowed(true)) => Additional::Any,
            Some(RawAdditional::Allowed(false)) => Additional::Nothing,
            Some(RawAdditional::Schema(schema)) => {
                Additional::Schema(self.node(*schema, location.child("additionalProperties"))?)
            }
        };
        let property_names = match raw.property_names {
            Some(schema) => Some(self.node(*schema, location.child("propertyNames"))?),
            None => None,
        };
        let items = match raw.items {
            Some(schema) => Some(self.node(*schema, location.child("items"))?),
            None => None,
        };
        let reference = match &raw.reference {
            Some(target) => Some(self.definition(target, location.child("$ref"))?),
            None => None,
        };
        self.nodes[row] = Node {
            reference,
            types,
            options: raw.options,
            minimum: raw.minimum.map(Limit::new),
            maximum: raw.maximum.map(Limit::new),
            min_length: raw.min_length,
            max_length: raw.max_length,
            pattern,
            date_time,
            required: raw.required,
            properties,
            additional,
            property_names,
            items,
        };
        Ok(row)
    }

    /// The row of the definition `target` (`#/$defs/name`), compiling it the first time.
    fn definition(&mut self, target: &str, at: Location<'_>) -> Result<usize, String> {
        let Some(name) = target.strip_prefix("#/$defs/") else {
            return Err(format!("{at}: only references to `#/$defs/...` are supported"));
        };
        if let Some(&row) = self.by_name.get(name) {
            return Ok(row);
        }
        let Some(raw) = self.definitions.remove(name) else {
            return Err(format!("{at}: `{target}` does not exist"));
        };
        // The row is known before its node is compiled, so a definition may refer to itself.
        self.by_name.insert(name.to_owned(), self.nodes.len());
        let defs = Location::ROOT.child("$defs");
        self.node(raw, defs.child(name))
    }
}

/// One step from the value being validated to one inside it.
#[derive(Clone, Copy)]
enum Step<'v> {
    Member(&'v str),
    Item(usize),
}

/// One validation: where it is, and what it found.
struct Run<'n, 'v> {
    nodes: &'n [Node],
    path: Vec<Step<'v>>,
    errors: Vec<SchemaError>,
}

impl<'v> Run<'_, 'v> {
    fn pointer(&self) -> Pointer {
        let mut pointer = Pointer::root();
        for step in &self.path {
            pointer = match step {
                Step::Member(name) => pointer.child(name),
                Step::Item(index) => pointer.child(index),
            };
        }
        pointer
    }

    fn report(&mut self, kind: ErrorKind, detail: String) {
        let pointer = self.pointer();
        self.errors.push(SchemaError { pointer, kind, detail });
    }

    fn node(&mut self, row: usize, value: &'v Value) {
        let node = &self.nodes[row];
        if let Some(target) = node.reference {
            self.node(target, value);
        }
        if !node.types.is_empty() && !node.types.iter().any(|t| t.admits(value)) {
            let names: Vec<String> = node.types.iter().map(|t| t.name().to_owned()).collect();
            let detail = match names.as_slice() {
                [single] => format!("value is not of type \"{single}\""),
                many => format!("value is not of types \"{}\"", many.join("\", \"")),
            };
            self.report(ErrorKind::Type(names), detail);
        }
        if let Some(options) = &node.options
            && !options.iter().any(|option| equal(value, option))
        {
            self.report(ErrorKind::Enum(options.clone()), not_one_of(options));
        }
        match &value.kind {
            Kind::Number(number) => self.number(node, number),
            Kind::String(text) => self.string(node, text.as_str()),
            Kind::Object(object) => self.object(node, object),
            Kind::Array(items) => {
                if let Some(schema) = node.items {
                    for (index, item) in items.iter().enumerate() {
                        self.path.push(Step::Item(index));
                        self.node(schema, item);
                        self.path.pop();
                    }
                }
            }
            Kind::Null | Kind::Bool(_) => {}
        }
    }

    fn number(&mut self, node: &Node, number: &Number) {
        if let Some(limit) = &node.minimum
            && limit.compare(number) == Some(std::cmp::Ordering::Less)
        {
            let detail = format!("value is less than the minimum of {}", limit.written);
            self.report(ErrorKind::Other("minimum".to_owned()), detail);
        }
        if let Some(limit) = &node.maximum
            && limit.compare(number) == Some(std::cmp::Ordering::Greater)
        {
            let detail = format!("value is greater than the maximum of {}", limit.written);
            self.report(ErrorKind::Other("maximum".to_owned()), detail);
        }
    }

    fn string(&mut self, node: &Node, text: &str) {
        let length = || text.chars().count() as u64;
        if let Some(limit) = node.max_length
            && length() > limit
        {
            let detail = format!("value is longer than {limit} character{}", plural(limit));
            self.report(ErrorKind::Other("maxLength".to_owned()), detail);
        }
        if let Some(limit) = node.min_length
            && length() < limit
        {
            let detail = format!("value is shorter than {limit} character{}", plural(limit));
            self.report(ErrorKind::Other("minLength".to_owned()), detail);
        }
        if let Some(pattern) = &node.pattern
            && !pattern.matches(text)
        {
            let detail = format!("value does not match \"{}\"", pattern.source);
            self.report(ErrorKind::Other("pattern".to_owned()), detail);
        }
        if node.date_time && !super::date_time::is_date_time(text) {
            self.report(
                ErrorKind::Other("format".to_owned()),
                "value is not a \"date-time\"".to_owned(),
            );
        }
    }

    fn object(&mut self, node: &Node, object: &'v Object) {
        for name in &node.required {
            if object.get(name).is_none() {
                self.report(
                    ErrorKind::Required(name.clone()),
                    format!("\"{name}\" is a required property"),
                );
            }
        }
        let shadowed = shadowed(object);
        for (index, member) in object.members.iter().enumerate() {
            let name = member.name();
            // With duplicate names the last one counts (as `Object::get`); CTE002 reports the
            // others.
            if shadowed.as_ref().is_some_and(|shadowed| shadowed[index]) {
                continue;
            }
            self.path.push(Step::Member(name));
            if let Some(names) = node.property_names {
                let text = Value {
                    kind: Kind::String(member.name.clone()),
                    span: member.name_span,
                };
                let mut name_run = Run {
                    nodes: self.nodes,
                    path: Vec::new(),
                    errors: Vec::new(),
                };
                name_run.node(names, &text);
                // One finding per name, worded by the first thing wrong with it.
                if let Some(first) = name_run.errors.into_iter().next() {
                    self.report(ErrorKind::PropertyName, first.detail);
                }
            }
            let declared = node.property(name);
            match (declared, &node.additional) {
                (Some(schema), _) | (None, &Additional::Schema(schema)) => self.node(schema, &member.value),
                (None, Additional::Nothing) => self.report(ErrorKind::Unknown, String::new()),
                (None, Additional::Any) => {}
            }
            self.path.pop();
        }
    }
}

/// For each member, whether a later one has its name; `None` when no name repeats (most
/// objects, which the parser marks). Each occurrence of a name but the last is shadowed by the
/// next one.
fn shadowed(object: &Object) -> Option<Vec<bool>> {
    if !object.has_repeated_names() {
        return None;
    }
    let mut shadowed = vec![false; object.members.len()];
    let mut latest: HashMap<usize, usize> = HashMap::new();
    for (repeat, first) in object.repeats() {
        let previous = latest.insert(first, repeat).unwrap_or(first);
        shadowed[previous] = true;
    }
    Some(shadowed)
}

fn plural(count: u64) -> &'static str {
    if count == 1 { "" } else { "s" }
}

/// `value is not one of "a", "b" or "c"`; past three options, the rest are counted.
fn not_one_of(options: &[Json]) -> String {
    let mut message = "value is not one of ".to_owned();
    let listed = if options.len() <= LISTED_OPTIONS {
        options.len()
    } else {
        LISTED_OPTIONS - 1
    };
    for (i, option) in options[..listed].iter().enumerate() {
        let separator = match i {
            0 => "",
            _ if i + 1 == options.len() => " or ",
            _ => ", ",
        };
        let _ = write!(message, "{separator}{option}");
    }
    if listed < options.len() {
        let _ = write!(message, " or {} other candidates", options.len() - listed);
    }
    message
}

/// JSON equality between a document value and a schema value: numbers by value, objects
/// whatever their member order (duplicates resolved as [`Object::get`] does).
fn equal(value: &Value, option: &Json) -> bool {
    match (&value.kind, option) {
        (Kind::Null, Json::Null) => true,
        (Kind::Bool(a), Json::Bool(b)) => a == b,
        (Kind::String(a), Json::String(b)) => a.as_str() == b,
        (Kind::Number(a), Json::Number(b)) => match (a.int, b.as_i64()) {
            (Some(a), Some(b)) => a == b,
            _ => b.as_f64() == Some(a.float),
        },
        (Kind::Array(a), Json::Array(b)) => a.len() == b.len() && a.iter().zip(b).all(|(a, b)| equal(a, b)),
        (Kind::Object(a), Json::Object(b)) => {
            let mut names: Vec<&str> = a.members.iter().map(crate::json::Member::name).collect();
            names.sort_unstable();
            names.dedup();
            names.len() == b.len()
                && b.iter()
                    .all(|(name, b)| a.get(name).is_some_and(|member| equal(&member.value, b)))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::Validator;

    #[test]
    fn keywords_outside_the_subset_and_broken_references_do_not_compile() {
        let error = |schema: serde_json::Value| Validator::compile(&schema.to_string()).unwrap_err();
        assert!(error(json!({"oneOf": []})).starts_with("unknown field `oneOf`"));
        // Annotations are left out of the compiled copy, not read past.
        assert!(error(json!({"properties": {"a": {"title": "A"}}})).starts_with("unknown field `title`"));
        assert!(error(json!({"properties": {"a": {"if": {}}}})).starts_with("unknown field `if`"));
        assert_eq!(
            error(json!({"properties": {"a": {"format": "email"}}})),
            "#/properties/a/format: `email` is not supported"
        );
        assert_eq!(
            error(json!({"properties": {"a": {"pattern": "^[a-z]+|x$"}}})),
            "#/properties/a/pattern: pattern `^[a-z]+|x$`: `|` is not supported here"
        );
        assert_eq!(
            error(json!({"$ref": "#/$defs/missing"})),
            "#/$ref: `#/$defs/missing` does not exist"
        );
        assert_eq!(
            error(json!({"$ref": "other.json"})),
            "#/$ref: only references to `#/$defs/...` are supported"
        );
        assert_eq!(error(json!({"type": "text"})), "#/type: unknown type \"text\"");
        let recursive =
            json!({"$defs": {"tree": {"type": "array", "items": {"$ref": "#/$defs/tree"}}}, "$ref": "#/$defs/tree"});
        assert!(Validator::compile(&recursive.to_string()).is_ok());
    }
}
