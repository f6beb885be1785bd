use crate::fix::{Edit, Fix};
use crate::json::{Document, Pointer, Span};
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// The file starts with a UTF-8 byte-order mark.
    ///
    /// ## Why is this bad?
    /// RFC 8259 forbids a BOM in JSON sent over a network, and tools that build the request from
    /// the file (`curl -d @file`, `ksctl keys create --jsonfile`) send it as is. Some parsers
    /// reject the body, others silently skip the three bytes.
    ///
    /// ## Examples
    /// The invalid example is saved with the bytes `EF BB BF` in front of it:
    /// ```json,invalid,bom
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// Safe: removing the mark changes no character of the document.
    pub(crate) struct ByteOrderMark {
        code: "CTE004",
        name: "byte-order-mark",
        severity: Warning,
        fix: Always,
    }
}

impl Check for ByteOrderMark {
    fn check_document(&self, document: &Document, cx: &mut Context<'_>) {
        if !document.bom {
            return;
        }
        let span = Span { start: 0, end: 3 };
        cx.report(Pointer::root(), span, "the file starts with a UTF-8 byte-order mark")
            .label("byte-order mark")
            .help("save the file as UTF-8 without a BOM")
            .fix(Fix::safe("remove the byte-order mark", vec![Edit { span, content: String::new() }]));
    }
}
