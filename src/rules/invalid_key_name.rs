use crate::json::locate;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `name` is empty or contains `<`, `>` or `\`.
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager refuses such names. The check comes from the schema's pattern for
    /// `name`, so editors using `ctelint schema` flag it as you type.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "finance<db>", "algorithm": "aes"}
    /// ```
    /// ```json,valid
    /// {"name": "finance-db", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: choose the name yourself.
    pub(crate) struct InvalidKeyName {
        code: "CTE106",
        name: "invalid-key-name",
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidKeyName {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        for error in cx.schema_errors(request) {
            let Some(found) = locate(request.value, &error.pointer) else { continue };
            let name = found.value.as_str().unwrap_or_default();
            let message = if name.is_empty() {
                "`name` is empty: CipherTrust Manager refuses it".to_owned()
            } else {
                format!("`name` is `{name}`, which contains `<`, `>` or `\\`: CipherTrust Manager refuses it")
            };
            cx.report(request.pointer().concat(&error.pointer), found.value.span, message)
                .label("not a valid key name")
                .help("use a name without `<`, `>` and `\\`");
        }
    }
}
