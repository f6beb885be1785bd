use super::shared::visit;
use crate::json::{Kind, Pointer, Span, Str};
use crate::request::Request;
use crate::rule::{Check, Context, declare_rule};

declare_rule! {
    /// A member name or the key's `name` holds a lone surrogate, a NUL, or an invisible or
    /// bidirectional control character.
    ///
    /// ## Why is this bad?
    /// Such characters make two different strings look the same to a reviewer: a member name
    /// with a zero-width space is not the member CipherTrust Manager knows, and a key name with a
    /// right-to-left override reads differently from what CTE policies will match. Parsers also
    /// disagree on lone surrogates (`"\ud800"`): some replace them, some reject the body.
    ///
    /// ## Examples
    /// ```json,invalid
    /// {"name": "disk\u202ekey", "algorithm": "aes"}
    /// ```
    /// ```json,valid
    /// {"name": "disk-key", "algorithm": "aes"}
    /// ```
    ///
    /// ## Fix safety
    /// No fix: removing the character may change which key or member is meant.
    pub(crate) struct SuspiciousString {
        code: "CTE003",
        name: "suspicious-string",
        severity: Warning,
        fix: None,
    }
}

impl Check for SuspiciousString {
    fn check_request(&self, request: &Request<'_>, cx: &mut Context<'_>) {
        if request.value.verbatim(cx.source()).is_some_and(printable) {
            return;
        }
        visit(request.value, request.pointer(), &mut |path, _, member| {
            if let Some(member) = member {
                report(cx, || path.pointer(), member.name_span, &member.name, "member name");
            }
        });
        if let Some(name) = request.get("name")
            && let Kind::String(text) = &name.value.kind
        {
            report(cx, || request.at(&["name"]), name.value.span, text, "key name");
        }
    }
}

/// Reports `text` if it is suspicious; the pointer is built only then.
fn report(cx: &mut Context<'_>, pointer: impl FnOnce() -> Pointer, span: Span, text: &Str, what: &str) {
    let problem = if text.lone_surrogate {
        "a lone surrogate escape (decoded as U+FFFD)".to_owned()
    } else if let Some(c) = first_suspicious(text.as_str()) {
        format!("the invisible character U+{:04X} ({})", u32::from(c), char_name(c))
    } else {
        return;
    };
    cx.report(pointer(), span, format!("{what} contains {problem}"))
        .label("here")
        .help("retype the text without it: it makes two different strings look alike");
}

/// Whether a text holds only printable ASCII, tabs and line breaks. In a parsed value's text
/// without escapes, tabs and line breaks are between tokens (strings cannot hold them raw), so
/// no member name or string in it holds a [`suspicious`] character.
#[expect(clippy::needless_bitwise_bool, reason = "no branch for each byte")]
fn printable(text: &[u8]) -> bool {
    !crate::escape::any_byte(text, |b| {
        (b >= 0x7f) | ((b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r'))
    })
}

/// The first [`suspicious`] character of `text`. Only a text with a control byte, DEL or
/// anything outside ASCII can hold one, which one pass over the bytes tells (most are plain
/// ASCII).
fn first_suspicious(text: &str) -> Option<char> {
    if !crate::escape::any_byte(text.as_bytes(), |b| !(0x20..0x7f).contains(&b)) {
        return None;
    }
    text.chars().find(|&c| suspicious(c))
}

/// NUL and other C0/C1 controls, zero-width characters, bidirectional controls and the BOM.
fn suspicious(c: char) -> bool {
    matches!(c,
        '\u{0}'..='\u{1F}' | '\u{7F}'..='\u{9F}' | '\u{AD}' | '\u{200B}'..='\u{200F}'
        | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

fn char_name(c: char) -> &'static str {
    match c {
        '\u{0}' => "NUL",
        '\u{1}'..='\u{1F}' | '\u{7F}'..='\u{9F}' => "a control character",
        '\u{AD}' => "SOFT HYPHEN",
        '\u{200B}' => "ZERO WIDTH SPACE",
        '\u{200C}' => "ZERO WIDTH NON-JOINER",
        '\u{200D}' => "ZERO WIDTH JOINER",
        '\u{200E}' | '\u{200F}' => "a directional mark",
        '\u{202A}'..='\u{202E}' => "a bidirectional embedding or override",
        '\u{2066}'..='\u{2069}' => "a bidirectional isolate",
        '\u{FEFF}' => "ZERO WIDTH NO-BREAK SPACE",
        _ => "an invisible formatting character",
    }
}
