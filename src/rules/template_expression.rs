use super::shared::visit;
use crate::request::{Request, is_template};
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// A value is a template placeholder (`{{ owner_id }}`, `${OWNER}`, `$OWNER`).
    ///
    /// ## Why is this bad?
    /// It is not wrong: Ansible, Terraform and shell scripts fill such values in before the
    /// request is sent. But ctelint cannot check a value it cannot see, so it says which values
    /// it skipped instead of passing them silently.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "{{ owner_id }}"}}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "meta": {"ownerId": "local|f02d8ec9-34dd-42fd-99e7-85cb7f18180c"}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the value comes from outside the file.
    pub(crate) struct TemplateExpression {
        code: "CTE005",
        name: "template-expression",
        severity: Info,
        fix: None,
    }
}

impl Check for TemplateExpression {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        // Every placeholder holds `$` or `{{`, which never occur outside strings.
        let plain = |text: &[u8]| memchr::memchr(b'$', text).is_none() && memchr::memmem::find(text, b"{{").is_none();
        if request.value.verbatim(cx.source()).is_some_and(plain) {
            return;
        }
        visit(request.value, request.pointer(), &mut |path, value, _| {
            let Some(text) = value.as_str().filter(|text| is_template(text)) else {
                return;
            };
            cx.report(path.pointer(), value.span, format!("`{text}` is a template placeholder: checks that need this value are skipped for it"))
                .label("filled in later")
                .help("lint the rendered request to check this value too");
        });
    }
}
