//! JSON-aware edit builders: the only place that knows how to remove a member with its comma,
//! insert one with its siblings' indentation and line endings, or move one between objects.
//! Rules call these and never splice strings themselves.

use super::Edit;
use crate::json::{Kind, Member, Span, Value};

/// Quotes and escapes `text` as a JSON string literal.
pub fn json_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// Replaces a value's text with `json` (already valid JSON text).
pub fn replace_value(value: &Value, json: impl Into<String>) -> Edit {
    Edit {
        span: value.span,
        content: json.into(),
    }
}

/// Renames a member, keeping its value and everything around it.
pub fn rename_member(member: &Member, new_name: &str) -> Edit {
    Edit {
        span: member.name_span,
        content: json_string(new_name),
    }
}

/// The spans of the items (members or elements) of an object or array value.
fn item_spans(container: &Value) -> Vec<Span> {
    match &container.kind {
        Kind::Object(object) => object.members.iter().map(Member::span).collect(),
        Kind::Array(items) => items.iter().map(|item| item.span).collect(),
        _ => Vec::new(),
    }
}

/// Removes item `index` of an object or array with its comma and the whitespace that belonged
/// to it, so the remaining items keep their layout.
fn remove_item(container: &Value, index: usize) -> Option<Edit> {
    let spans = item_spans(container);
    let span = *spans.get(index)?;
    let range = if spans.len() == 1 {
        Span {
            start: container.span.start + 1,
            end: container.span.end - 1,
        }
    } else if let Some(next) = spans.get(index + 1) {
        Span {
            start: span.start,
            end: next.start,
        }
    } else {
        Span {
            start: spans[index - 1].end,
            end: span.end,
        }
    };
    Some(Edit {
        span: range,
        content: String::new(),
    })
}

/// Removes member `index` of the object `object`.
pub fn remove_member(object: &Value, index: usize) -> Option<Edit> {
    remove_item(object, index)
}

/// Removes element `index` of the array `array`.
pub fn remove_element(array: &Value, index: usize) -> Option<Edit> {
    remove_item(array, index)
}

/// The newline style and indentation in front of the item at `start`, when it starts a line.
fn line_layout(source: &str, start: usize) -> Option<(&'static str, String)> {
    let before = &source[..start];
    let line_start = before.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let indent = &before[line_start..];
    if line_start == 0 || !indent.chars().all(|c| c == ' ' || c == '\t') {
        return None;
    }
    let newline = if before[..line_start].ends_with("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    Some((newline, indent.to_owned()))
}

/// The indentation step of the document: a tab, or the smallest run of leading spaces.
fn indent_unit(source: &str) -> String {
    let mut smallest: Option<usize> = None;
    for line in source.lines() {
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if line.starts_with('\t') {
            return "\t".to_owned();
        }
        if spaces > 0 && spaces < line.len() {
            smallest = Some(smallest.map_or(spaces, |s| s.min(spaces)));
        }
    }
    " ".repeat(smallest.unwrap_or(2))
}

/// `Some((newline, indent))` when the items of `container` sit one per line (or, for an empty
/// container, when its braces are on different lines), learnt from the source.
fn multiline_layout(source: &str, container: &Value) -> Option<(&'static str, String)> {
    if let Some(last) = item_spans(container).last() {
        return line_layout(source, last.start as usize);
    }
    let start = container.span.start as usize;
    let inner = &source[start + 1..container.span.end as usize - 1];
    if !inner.contains(['\n', '\r']) {
        return None;
    }
    let newline = if inner.contains("\r\n") { "\r\n" } else { "\n" };
    let line_start = source[..start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let line = &source[line_start..];
    let base = &line[..line.len() - line.trim_start().len()];
    Some((newline, format!("{base}{}", indent_unit(source))))
}

/// Inserts `item` (JSON text) as the last item of an object or array, laid out like its
/// siblings: on its own line with their indentation and newline style, or inline after `, `.
fn insert_item(source: &str, container: &Value, item: &str) -> Edit {
    let spans = item_spans(container);
    match (spans.last(), multiline_layout(source, container)) {
        (Some(last), Some((newline, indent))) => Edit {
            span: Span {
                start: last.end,
                end: last.end,
            },
            content: format!(",{newline}{indent}{item}"),
        },
        (Some(last), None) => Edit {
            span: Span {
                start: last.end,
                end: last.end,
            },
            content: format!(", {item}"),
        },
        (None, Some((newline, indent))) => {
            let closing_indent = line_layout(source, container.span.end as usize - 1)
                .map(|(_, indent)| indent)
                .unwrap_or_default();
            Edit {
                span: Span {
                    start: container.span.start + 1,
                    end: container.span.end - 1,
                },
                content: format!("{newline}{indent}{item}{newline}{closing_indent}"),
            }
        }
        (None, None) => Edit {
            span: Span {
                start: container.span.start + 1,
                end: container.span.end - 1,
            },
            content: item.to_owned(),
        },
    }
}

/// Inserts `"name": value_json` as the last member of `object`.
pub fn insert_member(source: &str, object: &Value, name: &str, value_json: &str) -> Edit {
    insert_item(source, object, &format!("{}: {value_json}", json_string(name)))
}

/// Appends `element_json` to `array`.
pub fn append_element(source: &str, array: &Value, element_json: &str) -> Edit {
    insert_item(source, array, element_json)
}

/// Moves member `index` of `from` into the object `to`, keeping the member's text as written.
/// `to` must not lie inside the moved member.
pub fn move_member(source: &str, from: &Value, index: usize, to: &Value) -> Option<Vec<Edit>> {
    let member = from.as_object()?.members.get(index)?;
    if member.span().contains(to.span) {
        return None;
    }
    let removal = remove_member(from, index)?;
    let text = reindented(source, member, to);
    let insertion = insert_item(source, to, &text);
    if removal.span.overlaps(insertion.span) && !(insertion.span.is_empty() && insertion.span.start == removal.span.end)
    {
        return None;
    }
    Some(vec![removal, insertion])
}

/// The member's text, with its continuation lines moved from the member's indentation to the
/// indentation of the items of `to`, so that a moved block lines up with its new siblings.
fn reindented(source: &str, member: &Member, to: &Value) -> String {
    let text = &source[member.span().range()];
    let (Some((_, from_indent)), Some((_, to_indent))) = (
        line_layout(source, member.name_span.start as usize),
        multiline_layout(source, to),
    ) else {
        return text.to_owned();
    };
    let mut lines = text.split_inclusive('\n');
    let mut out = lines.next().unwrap_or_default().to_owned();
    for line in lines {
        match line.strip_prefix(from_indent.as_str()) {
            Some(rest) => {
                out.push_str(&to_indent);
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
    }
    out
}

/// Moves member `index` of `from` into a new object member `wrapper` of `to`
/// (`"wrapper": {moved}`), for a misplaced member whose proper parent does not exist yet.
pub fn move_member_into_new(source: &str, from: &Value, index: usize, to: &Value, wrapper: &str) -> Option<Vec<Edit>> {
    let member = from.as_object()?.members.get(index)?;
    if member.span().contains(to.span) {
        return None;
    }
    let text = format!("{{{}}}", &source[member.span().range()]);
    if from.span == to.span && from.as_object()?.members.len() == 1 {
        // The object's only member is wrapped where it stands: appending the wrapper after it
        // and removing it would leave a comma with nothing before it.
        return Some(vec![Edit {
            span: member.span(),
            content: format!("{}: {text}", json_string(wrapper)),
        }]);
    }
    let removal = remove_member(from, index)?;
    let insertion = insert_member(source, to, wrapper, &text);
    if removal.span.overlaps(insertion.span) && !(insertion.span.is_empty() && insertion.span.start == removal.span.end)
    {
        return None;
    }
    Some(vec![removal, insertion])
}
