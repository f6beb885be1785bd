use crate::json::locate;
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// `usageMask` is not an integer from 0 to 4194303.
    ///
    /// ## Why is this bad?
    /// The usage mask is a bit set of 22 KMIP usages (Encrypt 4, Decrypt 8, Export 64, …;
    /// 4194303 sets them all). Anything else is refused, or truncated by clients that convert
    /// it.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk-key", "algorithm": "aes", "usageMask": 4194304}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes", "usageMask": 76}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the bits decide what the key may be used for.
    pub(crate) struct InvalidUsageMask {
        code: "CTE109",
        name: "invalid-usage-mask",
        severity: Error,
        fix: None,
    }
}

impl Check for InvalidUsageMask {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        // One finding per value, whatever the number of keywords it breaks.
        let Some(error) = cx.schema_errors(request).into_iter().next() else {
            return;
        };
        let Some(found) = locate(request.value, &error.pointer) else {
            return;
        };
        let shown = &cx.source()[found.value.span.range()];
        cx.report(request.pointer().concat(&error.pointer), found.value.span, format!("`usageMask` is {shown}: it must be an integer from 0 to 4194303"))
            .label("not a usage mask")
            .help("combine usage bits: Encrypt 4 + Decrypt 8 + Export 64 = 76 is common for CTE keys");
    }
}
