use crate::fix::{Fix, edits};
use crate::json::{Kind, locate};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};
use crate::schema::ErrorKind;

declare_rule! {
    /// A value has the wrong JSON type (`"size": "256"`, `"unexportable": "false"`), or an
    /// object lacks a member it requires.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager refuses the body, or coerces the value in ways that differ between
    /// releases. A quoted `"false"` is a non-empty string, which some clients read as true.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "size": "256"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "size": 256}
    /// ```
    ///
    /// ## Fix safety
    /// Safe when the conversion is lossless: a string holding exactly a JSON number or boolean
    /// becomes that number or boolean (`"256"` → `256`, `"true"` → `true`), and a number becomes
    /// a string where a string is expected (`90` → `"90"` for `rotationFrequencyDays`).
    pub(crate) struct WrongType {
        code: "CTE102",
        name: "wrong-type",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for WrongType {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for error in cx.schema_errors(request) {
            let Some(found) = locate(request.value, &error.pointer) else { continue };
            let path = error.pointer.to_string();
            let shown = if path.is_empty() { "the request".to_owned() } else { format!("`{}`", path.trim_start_matches('/').replace('/', ".")) };
            match &error.kind {
                ErrorKind::Type(expected) => {
                    let value = found.value;
                    let expected_text = expected.join(" or ");
                    let fix = lossless(&cx.source()[value.span.range()], &value.kind, expected).map(|json| {
                        Fix::safe(format!("write {json} as {expected_text}"), vec![edits::replace_value(value, json)])
                    });
                    cx.report(
                        request.pointer().concat(&error.pointer),
                        value.span,
                        format!("{shown} is {}, but it must be {}", value.type_with_article(), article(&expected_text)),
                    )
                    .label(format!("expected {expected_text}"))
                    .help(format!("write {shown} as {}", article(&expected_text)))
                    .fix_opt(fix);
                }
                ErrorKind::Required(member) => {
                    let span = found.name_span.unwrap_or(super::shared::opening(found.value));
                    cx.report(request.pointer().concat(&error.pointer), span, format!("{shown} lacks the required member `{member}`"))
                        .label(format!("no `{member}`"))
                        .help(format!("add `{member}`"));
                }
                _ => {}
            }
        }
    }
}

fn article(type_name: &str) -> String {
    let an = matches!(type_name.as_bytes().first(), Some(b'a' | b'e' | b'i' | b'o'));
    format!("{} {type_name}", if an { "an" } else { "a" })
}

/// The JSON text of a lossless conversion of `value` (whose source text is `text`) to one of
/// the `expected` types.
fn lossless(text: &str, value: &Kind, expected: &[String]) -> Option<String> {
    let wants = |t: &str| expected.iter().any(|e| e == t);
    match value {
        Kind::String(s) => {
            let inner = s.as_str();
            let is_bool = inner == "true" || inner == "false";
            let is_integer = !inner.is_empty()
                && inner.trim_start_matches('-').bytes().all(|b| b.is_ascii_digit())
                && crate::json::parse(inner, crate::json::ParseOptions::STRICT).is_ok();
            let is_number = !is_bool && crate::json::parse(inner, crate::json::ParseOptions::STRICT).is_ok_and(|d| d.root.as_number().is_some());
            if is_bool && wants("boolean") || is_integer && (wants("integer") || wants("number")) || is_number && wants("number") {
                Some(inner.to_owned())
            } else {
                None
            }
        }
        Kind::Number(_) | Kind::Bool(_) if wants("string") => Some(edits::json_string(text)),
        _ => None,
    }
}
