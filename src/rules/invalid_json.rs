use crate::rule::{Check, declare_rule};

declare_rule! {
    /// The file is not valid JSON in its dialect (strict JSON, or JSONC for `.jsonc` and
    /// well-known JSON-with-comments files).
    ///
    /// ## Why is this bad?
    /// CipherTrust Manager rejects a body that does not parse, and a broken file in a folder of
    /// key requests may be a key request. The span is the first offending token or byte.
    /// Invalid UTF-8, raw control characters in strings and nesting deeper than 128 levels are
    /// reported here too.
    ///
    /// The message says which dialect was assumed: comments and trailing commas are accepted
    /// only in `.jsonc` files, in well-known files such as `tsconfig.json` or
    /// `.vscode/settings.json`, and in paths listed under `jsonc` in `ctelint.toml`.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes",}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: only the author knows what the text was meant to say.
    pub(crate) struct InvalidJson {
        code: "CTE001",
        name: "invalid-json",
        severity: Error,
                fix: None,
        scope: Any,
    }
}

impl Check for InvalidJson {}
