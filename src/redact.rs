//! Secrets never leave the file: the values of `material`, `password`, `wrapPBE.password` and
//! other secret members are masked in code frames, messages, fixes, diffs and every output
//! format. Masking keeps byte offsets (each byte becomes `*`), so spans, lines and columns stay
//! exact.

use crate::diagnostic::Diagnostic;
use crate::json::{Kind, Span, Value};
use crate::source::SourceFile;

/// What replaces a secret inside messages and fix texts.
pub const PLACEHOLDER: &str = "<redacted>";

/// Whether a member of this name holds a secret value: `material`, `passphrase`, and any name
/// ending in `password` (`password`, `wrapPassword`), in any case.
pub fn is_secret_name(name: &str) -> bool {
    const PASSWORD: &str = "password";
    let ends_with_password = name.len() >= PASSWORD.len()
        && name
            .get(name.len() - PASSWORD.len()..)
            .is_some_and(|end| end.eq_ignore_ascii_case(PASSWORD));
    ends_with_password || name.eq_ignore_ascii_case("material") || name.eq_ignore_ascii_case("passphrase")
}

/// The spans of secret string contents (between the quotes) in a document.
pub fn secret_spans(root: &Value) -> Vec<Span> {
    let mut spans = Vec::new();
    collect(root, &mut spans);
    spans
}

fn collect(value: &Value, spans: &mut Vec<Span>) {
    match &value.kind {
        Kind::Object(object) => {
            for member in &object.members {
                if is_secret_name(member.name()) && matches!(member.value.kind, Kind::String(_)) {
                    let span = member.value.span;
                    spans.push(Span {
                        start: span.start + 1,
                        end: span.end - 1,
                    });
                }
                collect(&member.value, spans);
            }
        }
        Kind::Array(items) => items.iter().for_each(|item| collect(item, spans)),
        _ => {}
    }
}

/// For a text that did not parse: the contents of strings that follow a secret member name
/// (`"password" : "…`), up to the closing quote or the end of the line.
pub fn secret_spans_lexical(text: &str) -> Vec<Span> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    let mut at = 0;
    while let Some(offset) = text[at..].find('"') {
        let open = at + offset;
        let Some(close) = text[open + 1..].find('"').map(|i| open + 1 + i) else {
            break;
        };
        let name = &text[open + 1..close];
        at = close + 1;
        if !is_secret_name(name) {
            continue;
        }
        let mut cursor = close + 1;
        while bytes.get(cursor).is_some_and(u8::is_ascii_whitespace) {
            cursor += 1;
        }
        if bytes.get(cursor) != Some(&b':') {
            continue;
        }
        cursor += 1;
        while bytes.get(cursor).is_some_and(u8::is_ascii_whitespace) {
            cursor += 1;
        }
        if bytes.get(cursor) != Some(&b'"') {
            continue;
        }
        let start = cursor + 1;
        let mut end = start;
        while end < bytes.len() && bytes[end] != b'"' && bytes[end] != b'\n' && bytes[end] != b'\r' {
            end += if bytes[end] == b'\\' { 2 } else { 1 };
        }
        let end = end.min(bytes.len());
        spans.push(Span::new(start, end));
        at = end;
    }
    spans
}

/// `text` with every byte of every span replaced by `*`.
pub fn mask(text: &str, spans: &[Span]) -> String {
    let mut bytes = text.as_bytes().to_vec();
    for span in spans {
        for byte in bytes.get_mut(span.range()).into_iter().flatten() {
            *byte = b'*';
        }
    }
    // Every span covers whole characters (string contents), so the result is still UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Masks the secrets of `source` in the source itself and in everything `diagnostics` say.
pub fn redact(source: &SourceFile, diagnostics: &mut [Diagnostic], spans: &[Span]) -> Option<SourceFile> {
    if spans.is_empty() {
        return None;
    }
    let secrets: Vec<String> = spans
        .iter()
        .filter_map(|span| source.text().get(span.range()))
        .filter(|s| !s.is_empty())
        .flat_map(with_escaped)
        .collect();
    // A file's findings are many short texts: build each secret's searcher once, not per text.
    let finders: Vec<(memchr::memmem::Finder<'_>, &str)> = secrets
        .iter()
        .map(|secret| (memchr::memmem::Finder::new(secret.as_bytes()), secret.as_str()))
        .collect();
    // Every occurrence of every secret in the text as it is, each run of overlapping ones
    // replaced once: replacing one secret after another would also replace a later secret
    // inside an earlier placeholder (a secret `e` in `<redacted>`), which grew the text
    // exponentially with the number of secrets.
    let scrub = |text: &mut String| {
        let mut hits: Vec<(usize, usize)> = Vec::new();
        for (finder, secret) in &finders {
            if text.len() >= secret.len() {
                hits.extend(finder.find_iter(text.as_bytes()).map(|at| (at, at + secret.len())));
            }
        }
        if hits.is_empty() {
            return;
        }
        hits.sort_unstable();
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        let mut hits = hits.into_iter().peekable();
        while let Some((start, mut end)) = hits.next() {
            while let Some(&(next, next_end)) = hits.peek()
                && next < end
            {
                end = end.max(next_end);
                hits.next();
            }
            // Matches of UTF-8 needles start and end on character boundaries.
            out.push_str(text.get(copied..start).unwrap_or_default());
            out.push_str(PLACEHOLDER);
            copied = end;
        }
        out.push_str(text.get(copied..).unwrap_or_default());
        *text = out;
    };
    for diagnostic in diagnostics {
        scrub(&mut diagnostic.message);
        diagnostic.help.iter_mut().for_each(scrub);
        diagnostic.label.iter_mut().for_each(scrub);
        diagnostic
            .related
            .iter_mut()
            .for_each(|label| scrub(&mut label.message));
        if let Some(fix) = &mut diagnostic.fix {
            scrub(&mut fix.message);
            fix.edits.iter_mut().for_each(|edit| scrub(&mut edit.content));
        }
    }
    Some(SourceFile::new(source.name(), mask(source.text(), spans)))
}

fn spans_in(text: &str) -> Vec<Span> {
    match crate::json::parse(text, crate::json::ParseOptions::JSONC) {
        Ok(document) => secret_spans(&document.root),
        Err(_) => secret_spans_lexical(text),
    }
}

/// Masks secrets in a whole text (for diffs): parsed when possible, lexically otherwise.
pub fn mask_text(text: &str) -> String {
    mask(text, &spans_in(text))
}

/// Replaces the secret values of `source_text` wherever they occur in `text`.
pub fn scrub(text: &str, source_text: &str) -> String {
    let mut out = text.to_owned();
    for span in spans_in(source_text) {
        if let Some(secret) = source_text.get(span.range()).filter(|s| !s.is_empty()) {
            for secret in with_escaped(secret) {
                out = out.replace(&secret, PLACEHOLDER);
            }
        }
    }
    out
}

/// A secret as the file holds it, and as messages show it when it holds characters that they
/// escape (a raw U+202E is valid in a JSON string; a message shows `\u202e`).
fn with_escaped(secret: &str) -> Vec<String> {
    let escaped = crate::escape::escape(secret.to_owned());
    if escaped == secret {
        vec![escaped]
    } else {
        vec![escaped, secret.to_owned()]
    }
}
