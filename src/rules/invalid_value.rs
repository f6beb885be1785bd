use super::shared::fold;
use crate::fix::{Fix, edits};
use crate::json::locate;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};
use crate::schema::ErrorKind;

declare_rule! {
    /// A value is outside the allowed set: `algorithm`, `objectType`, `state`, `format`,
    /// `encoding`, an alias's `type`, and the other enumerations, patterns, formats and ranges
    /// of the keys2 schema.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager refuses the body, and the author finds out only when the pipeline
    /// that sends it fails. Case and spelling variants (`"Symmetric key"`, `"pre_active"`) are
    /// the usual cause.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "objectType": "symmetric key"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "objectType": "Symmetric Key"}
    /// ```
    ///
    /// ## Fix safety
    /// Safe for a case or spelling variant of exactly one allowed value (ignoring case, spaces,
    /// `-` and `_`): the meaning is unambiguous. Other values have no fix.
    pub(crate) struct InvalidValue {
        code: "CTE103",
        name: "invalid-value",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for InvalidValue {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for error in cx.schema_errors(request) {
            let Some(found) = locate(request.value, &error.pointer) else { continue };
            let value = found.value;
            let member = error.pointer.to_string().trim_start_matches('/').replace('/', ".");
            let pointer = request.pointer().concat(&error.pointer);
            if let ErrorKind::Enum(options) = &error.kind {
                let allowed: Vec<&str> = options.iter().filter_map(serde_json::Value::as_str).collect();
                let shown = value.as_str().map_or_else(|| cx.source()[value.span.range()].to_owned(), str::to_owned);
                let variant = value.as_str().map(fold).and_then(|folded| {
                    let matches: Vec<&&str> = allowed.iter().filter(|a| fold(a) == folded).collect();
                    // With both `aes` and `AES` allowed, prefer the first spelling.
                    matches.first().map(|m| **m)
                });
                let list = if allowed.len() > 8 { format!("{}, …", allowed[..8].join(", ")) } else { allowed.join(", ") };
                let diagnostic = cx.report(pointer, value.span, format!("`{member}` is `{shown}`, which is not one of the allowed values"));
                diagnostic.label("not allowed");
                match variant {
                    Some(canonical) => {
                        diagnostic.help(format!("write `\"{canonical}\"`")).fix(Fix::safe(
                            format!("replace `{shown}` with `{canonical}`"),
                            vec![edits::replace_value(value, edits::json_string(canonical))],
                        ));
                    }
                    None => {
                        diagnostic.help(format!("use one of: {list}"));
                    }
                }
            } else {
                cx.report(pointer, value.span, format!("`{member}` is invalid: {}", error.detail))
                    .label("invalid value")
                    .help("see the member's description in `ctelint schema`");
            }
        }
    }
}
