use crate::fix::{Fix, edits};
use crate::json::Kind;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// A permission's value is not an array of group-name strings.
    ///
    /// ## Why is this bad?
    /// Each permission maps to a list of groups. A lone string, a number or a list holding
    /// non-strings is either rejected or stored without granting anything.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": "CTE Clients", "ExportKey": ["CTE Clients"]}}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"permissions": {"ReadKey": ["CTE Clients"], "ExportKey": ["CTE Clients"]}}}
    /// ```
    ///
    /// ## Fix safety
    /// Safe for a lone string, which becomes a one-element array: the group set is unchanged.
    /// Other shapes have no fix.
    pub(crate) struct InvalidGroupList {
        code: "CTE406",
        name: "invalid-group-list",
        severity: Error,
        fix: Sometimes,
    }
}

impl Check for InvalidGroupList {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let Some(permissions) = request.permissions() else {
            return;
        };
        for member in &permissions.members {
            let value = &member.value;
            // Built only for a finding: most lists are fine.
            let pointer = || request.at(&["meta", "permissions", member.name()]);
            match &value.kind {
                Kind::Array(items) => {
                    for (index, item) in items.iter().enumerate().filter(|(_, item)| item.as_str().is_none()) {
                        cx.report(pointer().child(index), item.span, format!("`{}` lists {}, not a group name", member.name(), item.type_with_article()))
                            .label("not a string")
                            .help("list group names as strings, such as `\"CTE Clients\"`");
                    }
                }
                Kind::String(_) => {
                    let text = &cx.source()[value.span.range()];
                    let wrapped = format!("[{text}]");
                    cx.report(pointer(), value.span, format!("`{}` is a lone string: a permission takes an array of group names", member.name()))
                        .label("not an array")
                        .help(format!("write `{wrapped}`"))
                        .fix(Fix::safe(format!("wrap {text} in an array"), vec![edits::replace_value(value, wrapped)]));
                }
                _ => {
                    cx.report(pointer(), value.span, format!("`{}` is {}: a permission takes an array of group names", member.name(), value.type_with_article()))
                        .label("not an array of strings")
                        .help("write the groups as an array of strings, such as `[\"CTE Clients\"]`");
                }
            }
        }
    }
}
