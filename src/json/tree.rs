//! The spanned JSON tree: every value, member name and member keeps its byte span, objects keep
//! their members in source order with every duplicate, and nothing is normalised away.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::ops::Range;

/// A byte range `start..end` into the source text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte.
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from two byte offsets.
    pub fn new(start: usize, end: usize) -> Self {
        Self {
            start: start as u32,
            end: end as u32,
        }
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no byte.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// The span as a `usize` range, for slicing the source.
    pub fn range(self) -> Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Whether `other` lies inside this span.
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }

    /// Whether the two spans share at least one byte, or touch when one of them is empty.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
            || (self.is_empty() || other.is_empty()) && self.start <= other.end && other.start <= self.end
    }
}

/// Whether a name occurs twice among `members`. In objects of a request's size, each name
/// leaves a mark (one of 64, from its length and its first and last bytes), and only a name
/// whose mark was left before is compared with the earlier names; large objects (an object may
/// have 100,000 members) go through a set.
fn any_repeat(members: &[Member<'_>]) -> bool {
    const MARKED: usize = 32;
    if members.len() <= MARKED {
        let mut marks = 0u64;
        for (i, member) in members.iter().enumerate() {
            let name = member.name().as_bytes();
            let (first, last) = (name.first().copied().unwrap_or(0), name.last().copied().unwrap_or(0));
            let mark = 1u64 << ((name.len() * 7 + usize::from(first) * 3 + usize::from(last)) & 63);
            if marks & mark != 0 && members[..i].iter().any(|earlier| earlier.name() == member.name()) {
                return true;
            }
            marks |= mark;
        }
        return false;
    }
    let mut seen = HashSet::with_capacity(members.len());
    !members.iter().all(|member| seen.insert(member.name()))
}

/// A JSON value with its span (from the first to the last byte of its text).
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Value<'s> {
    /// What the value is.
    pub kind: Kind<'s>,
    /// Where it is.
    pub span: Span,
}

/// The six JSON types.
#[derive(Clone, Debug, PartialEq, Default)]
pub enum Kind<'s> {
    /// `null`
    #[default]
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, with its exact literal kept through [`Number`].
    Number(Number),
    /// A string, decoded.
    String(Str<'s>),
    /// An array.
    Array(Vec<Value<'s>>),
    /// An object.
    Object(Object<'s>),
}

/// A JSON number.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Number {
    /// The value as a double (`1e999999` is infinite, as in most parsers).
    pub float: f64,
    /// The value as an integer when the literal has no fraction or exponent and fits in `i64`.
    pub int: Option<i64>,
    /// Whether the literal has neither a fraction nor an exponent (`400` digits or not).
    pub integer_literal: bool,
}

/// A decoded JSON string: a piece of the source text, unless it holds an escape.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Str<'s> {
    /// The decoded text; a lone surrogate escape is decoded as U+FFFD.
    pub value: Cow<'s, str>,
    /// Whether the literal held a `\uD800`-style escape with no partner.
    pub lone_surrogate: bool,
}

impl Str<'_> {
    /// The decoded text.
    pub fn as_str(&self) -> &str {
        &self.value
    }
}

/// One `"name": value` member of an object.
#[derive(Clone, Debug, PartialEq)]
pub struct Member<'s> {
    /// The decoded member name.
    pub name: Str<'s>,
    /// The span of the name, quotes included.
    pub name_span: Span,
    /// The member's value.
    pub value: Value<'s>,
}

impl Member<'_> {
    /// The decoded member name.
    pub fn name(&self) -> &str {
        self.name.as_str()
    }

    /// From the name's opening quote to the end of the value.
    pub fn span(&self) -> Span {
        Span {
            start: self.name_span.start,
            end: self.value.span.end,
        }
    }
}

/// An object: members in source order, duplicates included.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Object<'s> {
    /// Every member, in source order.
    pub members: Vec<Member<'s>>,
    /// Whether a member name occurs more than once, found once when the object is built.
    repeated: bool,
}

impl<'s> Object<'s> {
    /// An object of `members`.
    pub fn new(members: Vec<Member<'s>>) -> Self {
        let repeated = any_repeat(&members);
        Self { members, repeated }
    }

    /// Whether a member name occurs more than once (rare: the rules and the schema that look
    /// for repeats ask this first).
    pub fn has_repeated_names(&self) -> bool {
        self.repeated
    }

    /// `(repeat, first)` index pairs of the members whose name appeared before, in order; none
    /// without asking when no name repeats. Small objects (all of a key request's) are scanned
    /// directly; large ones go through a map, so 100,000 members stay linear.
    pub fn repeats(&self) -> Vec<(usize, usize)> {
        const SCAN: usize = 32;
        let members = &self.members;
        if !self.repeated {
            return Vec::new();
        }
        if members.len() <= SCAN {
            return (1..members.len())
                .filter_map(|i| {
                    members[..i]
                        .iter()
                        .position(|m| m.name() == members[i].name())
                        .map(|first| (i, first))
                })
                .collect();
        }
        let mut first_seen: HashMap<&str, usize> = HashMap::with_capacity(members.len());
        let mut out = Vec::new();
        for (index, member) in members.iter().enumerate() {
            match first_seen.get(member.name()) {
                Some(&first) => out.push((index, first)),
                None => {
                    first_seen.insert(member.name(), index);
                }
            }
        }
        out
    }

    /// The member with this name; with duplicates, the last one (as serde_json and most servers
    /// resolve them).
    pub fn get(&self, name: &str) -> Option<&Member<'s>> {
        self.members.iter().rev().find(|member| member.name() == name)
    }

    /// The position of [`Object::get`]'s member in `members`.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.members.iter().rposition(|member| member.name() == name)
    }
}

impl<'s> Value<'s> {
    /// The object, when this value is one.
    pub fn as_object(&self) -> Option<&Object<'s>> {
        match &self.kind {
            Kind::Object(object) => Some(object),
            _ => None,
        }
    }

    /// The array elements, when this value is an array.
    pub fn as_array(&self) -> Option<&[Value<'s>]> {
        match &self.kind {
            Kind::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The decoded string, when this value is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// The boolean, when this value is `true` or `false`.
    pub fn as_bool(&self) -> Option<bool> {
        match self.kind {
            Kind::Bool(b) => Some(b),
            _ => None,
        }
    }

    /// The number, when this value is one.
    pub fn as_number(&self) -> Option<Number> {
        match self.kind {
            Kind::Number(n) => Some(n),
            _ => None,
        }
    }

    /// Whether this value is or holds an object in which a member name repeats: a walk that
    /// keeps no path, for a rule to ask before it walks with one (most documents have none).
    pub fn holds_repeated_names(&self) -> bool {
        match &self.kind {
            Kind::Object(object) => {
                object.repeated || object.members.iter().any(|member| member.value.holds_repeated_names())
            }
            Kind::Array(items) => items.iter().any(Value::holds_repeated_names),
            _ => false,
        }
    }

    /// The value's text in `source` (the text it was parsed from) when it holds no backslash.
    /// Then every string and member name inside it decodes to a piece of this text, so a rule
    /// looking for a character or a word in all of them can first look for it here, once.
    pub fn verbatim<'t>(&self, source: &'t str) -> Option<&'t [u8]> {
        let text = source.as_bytes().get(self.span.range())?;
        memchr::memchr(b'\\', text).is_none().then_some(text)
    }

    /// The value's JSON type with its article, for messages: "an integer", "a string".
    pub fn type_with_article(&self) -> String {
        let name = self.type_name();
        let article = if matches!(name.as_bytes()[0], b'a' | b'i' | b'o') {
            "an"
        } else {
            "a"
        };
        format!("{article} {name}")
    }

    /// The name of the value's JSON type, as JSON Schema spells it.
    pub fn type_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "boolean",
            Kind::Number(n) if n.integer_literal => "integer",
            Kind::Number(_) => "number",
            Kind::String(_) => "string",
            Kind::Array(_) => "array",
            Kind::Object(_) => "object",
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::json::{ParseOptions, parse};

    /// A repeat is found wherever it is: at the top, in a nested object, in an object inside
    /// arrays; not between different objects or in arrays of equal strings.
    #[test]
    fn repeated_names_are_found_at_any_depth() {
        let holds = |text: &str| {
            parse(text, ParseOptions::default())
                .unwrap()
                .root
                .holds_repeated_names()
        };
        assert!(holds(r#"{"a": 1, "a": 2}"#));
        assert!(holds(r#"{"a": {"b": {"c": 1, "c": 2}}}"#));
        assert!(holds(r#"[1, [{"x": 1}, {"y": [{"z": 1, "z": 1}]}]]"#));
        assert!(!holds(r#"{"a": {"a": 1}, "b": [{"a": 1}, {"a": 2}]}"#));
        assert!(!holds(r#"["a", "a", {"a": "a"}]"#));
        assert!(!holds("1"));
    }
}
