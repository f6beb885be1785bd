use crate::json::locate;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};
use crate::schema::ErrorKind;

declare_rule! {
    /// A `labels` name or value breaks the label grammar: an optional prefix of at most 253
    /// characters and `/`, a name of at most 63, a value of at most 63 (or empty), each part
    /// starting and ending with a letter or digit.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager refuses the body. Labels follow the Kubernetes grammar, so
    /// `"-team"` or a name longer than 63 characters is not a label.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "labels": {"-team": "payments"}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "labels": {"example.com/team": "payments"}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows the intended label.
    pub(crate) struct InvalidLabels {
        code: "CTE110",
        name: "invalid-labels",
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidLabels {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for error in cx.schema_errors(request) {
            let Some(found) = locate(request.value, &error.pointer) else { continue };
            let last = error.pointer.last().unwrap_or_default();
            let pointer = request.pointer().concat(&error.pointer);
            match (&error.kind, found.name_span) {
                (ErrorKind::PropertyName, Some(span)) => {
                    cx.report(pointer, span, format!("`{last}` is not a valid label name"))
                        .label("breaks the label grammar")
                        .help("use `name` or `prefix/name`: letters, digits, `.`, `-`, `_`, starting and ending with a letter or digit; name at most 63, prefix at most 253 characters");
                }
                _ => {
                    cx.report(pointer, found.value.span, format!("the label value of `{last}` is invalid: {}", error.detail))
                        .label("breaks the label grammar")
                        .help("label values are strings of at most 63 characters, starting and ending with a letter or digit, or empty");
                }
            }
        }
    }
}
