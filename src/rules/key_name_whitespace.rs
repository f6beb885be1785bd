use crate::fix::{Fix, edits};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `name` starts or ends with whitespace or a control character.
    ///
    /// ## Why is this bad?
    /// CTE policies and scripts find keys by name. `"disk-key "` is a different key from
    /// `"disk-key"`, and the difference is invisible in most user interfaces.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": " disk-key", "algorithm": "aes"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: trimming changes the name the key is created with.
    pub(crate) struct KeyNameWhitespace {
        code: "CTE107",
        name: "key-name-whitespace",
        severity: Warning,
        fix: Always,
    }
}

fn is_padding(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

impl Check for KeyNameWhitespace {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(member) = request.get("name") else {
            return;
        };
        let Some(name) = member.value.as_str() else {
            return;
        };
        let trimmed = name.trim_matches(is_padding);
        if trimmed == name || trimmed.is_empty() {
            return;
        }
        cx.report(request.at(&["name"]), member.value.span, format!("`name` has leading or trailing whitespace: {name:?}"))
            .label("whitespace at the edge")
            .help(format!("write `\"{trimmed}\"`"))
            .fix(Fix::unsafe_(format!("trim the name to `{trimmed}`"), vec![edits::replace_value(&member.value, edits::json_string(trimmed))]));
    }
}
