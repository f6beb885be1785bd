use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `size` is not 128 or 256.
    ///
    /// ## Why is this bad?
    /// CTE uses AES-128 and AES-256 keys. CipherTrust Manager also accepts 192 for AES, so a
    /// key of that size is created without complaint and then refused by CTE.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "size": 192}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "size": 256}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the size decides the key material; choose 128 or 256 yourself.
    pub(crate) struct UnsupportedKeySize {
        code: "CTE202",
        name: "unsupported-key-size",
        severity: Error,
        fix: None,
    }
}

impl Check for UnsupportedKeySize {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(size) = request.get("size") else {
            return;
        };
        let Some(number) = size.value.as_number() else {
            return;
        };
        if matches!(number.int, Some(128 | 256)) {
            return;
        }
        let shown = &cx.source()[size.value.span.range()];
        cx.report(request.at(&["size"]), size.value.span, format!("`size` is {shown}: CTE keys must be AES-128 or AES-256"))
            .label("not 128 or 256")
            .help("use `\"size\": 256` (or 128; XTS keys need 256)");
    }
}
