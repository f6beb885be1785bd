//! Between ctelint and LSP: byte offsets and positions in the negotiated encoding, findings and
//! LSP diagnostics, file URIs and paths.

use std::fmt::Write as _;
use std::path::PathBuf;

use lsp_types::{
    CodeDescription, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Position, Range,
    TextEdit, Uri,
};

use crate::diagnostic::{Diagnostic, Severity};
use crate::fix::Edit;
use crate::json::Span;
use crate::source::LineIndex;

/// What the `source` of every published diagnostic says.
pub(super) const SOURCE: &str = "ctelint";

/// How LSP positions count columns, as negotiated at `initialize`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Encoding {
    /// Bytes of UTF-8 (the client offered `utf-8` in `general.positionEncodings`).
    Utf8,
    /// UTF-16 code units: the protocol's default, which every client supports.
    Utf16,
}

impl Encoding {
    /// `utf-8` when the client offers it, UTF-16 otherwise. `offered` is the client's
    /// `general.positionEncodings`, read leniently from the raw JSON.
    pub(super) fn negotiate(offered: Option<&serde_json::Value>) -> Self {
        let offers_utf8 = offered
            .and_then(serde_json::Value::as_array)
            .is_some_and(|kinds| kinds.iter().any(|kind| kind.as_str() == Some("utf-8")));
        if offers_utf8 { Self::Utf8 } else { Self::Utf16 }
    }

    /// The name advertised as `positionEncoding`.
    pub(super) fn kind(self) -> lsp_types::PositionEncodingKind {
        match self {
            Self::Utf8 => lsp_types::PositionEncodingKind::UTF8,
            Self::Utf16 => lsp_types::PositionEncodingKind::UTF16,
        }
    }

    fn unit(self) -> fn(char) -> usize {
        match self {
            Self::Utf8 => char::len_utf8,
            Self::Utf16 => char::len_utf16,
        }
    }
}

/// A text as the server holds it, with what converting positions needs.
#[derive(Clone, Copy)]
pub(super) struct View<'a> {
    /// The document's real text (never the masked one: masking a multi-byte secret changes
    /// its UTF-16 length, so columns after it on the same line would drift).
    pub(super) text: &'a str,
    /// Its line index.
    pub(super) index: &'a LineIndex,
    /// The negotiated encoding.
    pub(super) encoding: Encoding,
}

impl View<'_> {
    /// The position of a byte offset.
    pub(super) fn position(self, offset: usize) -> Position {
        let (line, character) = match self.encoding {
            Encoding::Utf16 => self.index.line_col_utf16(self.text, offset),
            Encoding::Utf8 => {
                let offset = offset.min(self.text.len());
                let line = self.index.line_of(offset);
                (line, offset - self.index.line_start(line))
            }
        };
        Position::new(line as u32, character as u32)
    }

    /// The range of a byte span.
    pub(super) fn range(self, span: Span) -> Range {
        Range::new(self.position(span.start as usize), self.position(span.end as usize))
    }

    /// The byte offset of a position; positions past the end of a line or of the text are
    /// clamped to it, as the protocol asks.
    pub(super) fn offset(self, position: Position) -> usize {
        self.index.offset_of(
            self.text,
            position.line as usize,
            position.character as usize,
            self.encoding.unit(),
        )
    }

    /// The byte span of a range (start and end swapped if given backwards).
    pub(super) fn span(self, range: Range) -> Span {
        let (start, end) = (self.offset(range.start), self.offset(range.end));
        Span::new(start.min(end), start.max(end))
    }

    /// A ctelint edit as an LSP text edit.
    pub(super) fn text_edit(self, edit: &Edit) -> TextEdit {
        TextEdit::new(self.range(edit.span), edit.content.clone())
    }

    /// A finding (already masked) as an LSP diagnostic on the document `uri`.
    pub(super) fn diagnostic(self, uri: &Uri, finding: &Diagnostic) -> lsp_types::Diagnostic {
        let mut message = finding.message.clone();
        if let Some(help) = &finding.help {
            message.push('\n');
            message.push_str(help);
        }
        // Labels in other files cannot occur for one document linted alone; skip them if they do.
        let related: Vec<DiagnosticRelatedInformation> = finding
            .related
            .iter()
            .filter(|label| label.file.is_none())
            .map(|label| DiagnosticRelatedInformation {
                location: Location::new(uri.clone(), self.range(label.span)),
                message: label.message.clone(),
            })
            .collect();
        lsp_types::Diagnostic {
            range: self.range(finding.span),
            severity: Some(severity(finding.severity)),
            code: Some(NumberOrString::String(finding.rule.code.to_owned())),
            code_description: finding
                .rule
                .url()
                .parse::<Uri>()
                .ok()
                .map(|href| CodeDescription { href }),
            source: Some(SOURCE.to_owned()),
            message,
            related_information: (!related.is_empty()).then_some(related),
            tags: None,
            data: None,
        }
    }
}

/// The LSP severity of a ctelint severity.
pub(super) fn severity(severity: Severity) -> DiagnosticSeverity {
    match severity {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Info => DiagnosticSeverity::INFORMATION,
    }
}

/// The local path of a `file:` URI (`file:///x`, `file://localhost/x`), percent-decoded; `None`
/// for every other scheme (`untitled:`) and for files on other hosts.
pub(super) fn file_path(uri: &Uri) -> Option<PathBuf> {
    let text = uri.as_str();
    let scheme = text.get(..7)?;
    if !scheme.eq_ignore_ascii_case("file://") {
        return None;
    }
    let rest = &text[7..];
    let rest = &rest[..rest.find(['?', '#']).unwrap_or(rest.len())];
    let (host, path) = rest.split_at(rest.find('/')?);
    if !host.is_empty() && !host.eq_ignore_ascii_case("localhost") {
        return None;
    }
    let bytes = percent_decode(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStringExt;
        Some(PathBuf::from(std::ffi::OsString::from_vec(bytes)))
    }
    #[cfg(not(unix))]
    to_path(bytes)
}

#[cfg(not(unix))]
fn to_path(bytes: Vec<u8>) -> Option<PathBuf> {
    let text = String::from_utf8(bytes).ok()?;
    // `file:///C:/keys/a.json` names `C:/keys/a.json`.
    let drive = text.len() > 2 && text.as_bytes()[2] == b':' && text.as_bytes()[1].is_ascii_alphabetic();
    Some(PathBuf::from(if drive { &text[1..] } else { &text[..] }))
}

/// `%XX` escapes decoded; `None` for a malformed escape.
fn percent_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] == b'%' {
            let hex = text.get(at + 1..at + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    Some(out)
}

/// A `file:` URI for an absolute local path (for locations in config files).
pub(super) fn file_uri(path: &std::path::Path) -> Option<Uri> {
    let text = path.to_str()?.replace('\\', "/");
    let mut uri = String::from("file://");
    if !text.starts_with('/') {
        uri.push('/');
    }
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"/-._~:".contains(&byte) {
            uri.push(char::from(byte));
        } else {
            let _ = write!(uri, "%{byte:02X}");
        }
    }
    uri.parse().ok()
}
