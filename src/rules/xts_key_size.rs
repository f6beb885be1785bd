use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// An XTS key (mode `XTS` or `xts: true`) whose `size` is not 256.
    ///
    /// ## Why is this bad?
    /// CTE's XTS keys are XTS-AES-256: a 256-bit AES half and a 256-bit tweak half. An XTS key
    /// of 128 bits is created by CipherTrust Manager but refused by IDT and ESG GuardPoints.
    /// Sizes other than 128 and 256 are `unsupported-key-size`'s finding.
    ///
    /// ## Examples
    /// ```json,invalid,profile_idt
    /// {"name": "idt-key", "algorithm": "aes", "size": 128, "xts": true, "meta": {"cte": {"encryption_mode": "XTS"}}}
    /// ```
    /// ```json,valid,profile_idt
    /// {"name": "idt-key", "algorithm": "aes", "size": 256, "xts": true, "meta": {"cte": {"encryption_mode": "XTS"}}}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: the size decides the key material.
    pub(crate) struct XtsKeySize {
        code: "CTE305",
        name: "xts-key-size",
        severity: Error,
        fix: None,
    }
}

impl Check for XtsKeySize {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        let xts = request.xts() == Some(true) || request.encryption_mode() == Some("XTS");
        let Some(size) = request.get("size").filter(|_| xts) else {
            return;
        };
        // Only 128 here: other sizes are unsupported for every CTE key (CTE202).
        if size.value.as_number().and_then(|n| n.int) != Some(128) {
            return;
        }
        cx.report(request.at(&["size"]), size.value.span, "an XTS key must be 256 bits: `size` is 128")
            .label("must be 256")
            .help("set `\"size\": 256` (XTS-AES-256)");
    }
}
