//! RFC 6901 JSON Pointers, both ways: a pointer to the spans it names, and a path to its pointer.

use std::fmt;

use super::tree::{Kind, Span, Value};

/// A JSON Pointer (`/meta/cte/encryption_mode`), kept as its escaped text.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pointer(String);

impl Pointer {
    /// The pointer to the whole document (the empty string).
    pub fn root() -> Self {
        Self(String::new())
    }

    /// This pointer extended by one member name or array index.
    #[must_use]
    pub fn child(&self, segment: impl Segment) -> Self {
        let mut text = String::with_capacity(self.0.len() + 1 + segment.len_hint());
        text.push_str(&self.0);
        let mut pointer = Self(text);
        pointer.push(segment);
        pointer
    }

    /// This pointer extended by several member names.
    #[must_use]
    pub fn join(&self, names: &[&str]) -> Self {
        self.join_reserving(names, 0)
    }

    /// This pointer extended by several member names, then by one more segment (an element of
    /// the array they lead to), built in one allocation.
    #[must_use]
    pub fn join_child(&self, names: &[&str], last: impl Segment) -> Self {
        let mut pointer = self.join_reserving(names, 1 + last.len_hint());
        pointer.push(last);
        pointer
    }

    fn join_reserving(&self, names: &[&str], extra: usize) -> Self {
        let length = self.0.len() + names.iter().map(|n| n.len() + 1).sum::<usize>();
        let mut text = String::with_capacity(length + extra);
        text.push_str(&self.0);
        let mut pointer = Self(text);
        for name in names {
            pointer.push(*name);
        }
        pointer
    }

    /// Appends one segment, escaped, in place.
    fn push(&mut self, segment: impl Segment) {
        self.0.push('/');
        segment.write_escaped(&mut self.0);
    }

    /// `other` (a pointer relative to this one) appended.
    #[must_use]
    pub fn concat(&self, other: &Pointer) -> Self {
        Self(format!("{}{}", self.0, other.0))
    }

    /// The last segment, unescaped.
    pub fn last(&self) -> Option<String> {
        self.segments().last()
    }

    /// The escaped text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Parses pointer text.
    ///
    /// # Errors
    ///
    /// When the text is neither empty nor starts with `/`, or holds a `~` not followed by `0`
    /// or `1`.
    pub fn parse(text: &str) -> Result<Self, String> {
        if !text.is_empty() && !text.starts_with('/') {
            return Err(format!("a JSON Pointer starts with `/`: `{text}`"));
        }
        let bad_tilde = text
            .match_indices('~')
            .any(|(i, _)| !matches!(text.as_bytes().get(i + 1), Some(b'0' | b'1')));
        if bad_tilde {
            return Err(format!(
                "`~` must be followed by `0` or `1` in a JSON Pointer: `{text}`"
            ));
        }
        Ok(Self(text.to_owned()))
    }

    /// The unescaped segments.
    pub fn segments(&self) -> impl Iterator<Item = String> + '_ {
        self.0
            .split('/')
            .skip(1)
            .map(|s| s.replace("~1", "/").replace("~0", "~"))
    }

    /// Whether `self` is `other` or lies under it.
    pub fn starts_with(&self, other: &Pointer) -> bool {
        self.0 == other.0 || self.0.starts_with(&other.0) && self.0.as_bytes().get(other.0.len()) == Some(&b'/')
    }
}

/// A member name or an array index, as a pointer segment.
pub trait Segment {
    /// Appends the segment to `text`, with `~` and `/` escaped.
    fn write_escaped(&self, text: &mut String);

    /// About how long the segment is (for the allocation).
    fn len_hint(&self) -> usize;
}

impl Segment for str {
    fn write_escaped(&self, text: &mut String) {
        // Bytes, not a `char` pattern, which decodes the text as it searches; names are short.
        if self.bytes().any(|b| b == b'~' || b == b'/') {
            text.push_str(&self.replace('~', "~0").replace('/', "~1"));
        } else {
            text.push_str(self);
        }
    }

    fn len_hint(&self) -> usize {
        self.len()
    }
}

impl Segment for String {
    fn write_escaped(&self, text: &mut String) {
        self.as_str().write_escaped(text);
    }

    fn len_hint(&self) -> usize {
        self.len()
    }
}

impl Segment for usize {
    fn write_escaped(&self, text: &mut String) {
        text.push_str(itoa::Buffer::new().format(*self));
    }

    fn len_hint(&self) -> usize {
        4
    }
}

impl<T: Segment + ?Sized> Segment for &T {
    fn write_escaped(&self, text: &mut String) {
        (**self).write_escaped(text);
    }

    fn len_hint(&self) -> usize {
        (**self).len_hint()
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a pointer resolves to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Located<'a> {
    /// The member name's span, when the pointer ends in a member (not an array index or the root).
    pub name_span: Option<Span>,
    /// The value.
    pub value: &'a Value<'a>,
}

/// Follows `pointer` from `root`; with duplicate members the last one wins.
pub fn locate<'a>(root: &'a Value, pointer: &Pointer) -> Option<Located<'a>> {
    let mut found = Located {
        name_span: None,
        value: root,
    };
    for segment in pointer.segments() {
        found = match &found.value.kind {
            Kind::Object(object) => {
                let member = object.get(&segment)?;
                Located {
                    name_span: Some(member.name_span),
                    value: &member.value,
                }
            }
            Kind::Array(items) => {
                let index: usize = segment
                    .parse()
                    .ok()
                    .filter(|_| segment == "0" || !segment.starts_with('0'))?;
                Located {
                    name_span: None,
                    value: items.get(index)?,
                }
            }
            _ => return None,
        };
    }
    Some(found)
}

/// The pointer of the innermost value or member name containing `span`, if any.
pub fn pointer_of(root: &Value, span: Span) -> Option<Pointer> {
    if !root.span.contains(span) {
        return None;
    }
    let mut pointer = Pointer::root();
    let mut value = root;
    loop {
        let next = match &value.kind {
            Kind::Object(object) => object.members.iter().find_map(|member| {
                if member.name_span.contains(span) || member.value.span.contains(span) {
                    Some((member.name().to_owned(), &member.value, member.name_span.contains(span)))
                } else {
                    None
                }
            }),
            Kind::Array(items) => items
                .iter()
                .enumerate()
                .find(|(_, item)| item.span.contains(span))
                .map(|(i, item)| (i.to_string(), item, false)),
            _ => None,
        };
        let Some((segment, child, at_name)) = next else {
            return Some(pointer);
        };
        pointer = pointer.child(segment);
        if at_name {
            return Some(pointer);
        }
        value = child;
    }
}

#[cfg(test)]
mod tests {
    use super::Pointer;

    #[test]
    fn segments_are_escaped_however_the_pointer_is_extended() {
        let base = Pointer::root().child("resources").child(3);
        let joined = base.join(&["meta", "a/b", "c~d"]);
        assert_eq!(joined.as_str(), "/resources/3/meta/a~1b/c~0d");
        assert_eq!(joined, base.child("meta").child("a/b").child("c~d"));
        let segments: Vec<String> = joined.segments().collect();
        assert_eq!(segments, ["resources", "3", "meta", "a/b", "c~d"]);
        let item = base.join_child(&["meta", "a/b"], 12);
        assert_eq!(item.as_str(), "/resources/3/meta/a~1b/12");
        assert_eq!(item, base.join(&["meta", "a/b"]).child(12));
        assert_eq!(base.join_child(&[], "~/").as_str(), "/resources/3/~0~1");
    }
}
