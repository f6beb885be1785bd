//! Secrets never leave the file: the values of `material`, `password`, `wrapPBE.password` and
//! other secret members are masked in code frames, messages, fixes, diffs and every output
//! format. Masking keeps byte offsets (each byte becomes `*`), so spans, lines and columns stay
//! exact.

use std::sync::LazyLock;

use memchr::memmem;

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

/// Whether `value` (parsed from `source`) may hold a member of a secret name. Every such name
/// holds `pass` or is `material`, in any case: without those words (and without escapes, which
/// could spell them), its text has none, and the tree need not be walked.
pub fn may_hold_secret(source: &str, value: &Value) -> bool {
    static WORDS: LazyLock<[memmem::Finder<'static>; 2]> =
        LazyLock::new(|| [memmem::Finder::new(b"pass"), memmem::Finder::new(b"material")]);
    let Some(text) = value.verbatim(source) else {
        return true;
    };
    let lower = text.to_ascii_lowercase();
    WORDS.iter().any(|word| word.find(&lower).is_some())
}

/// The spans of secret string contents (between the quotes) in a document parsed from `source`;
/// `may_hold` is [`may_hold_secret`]'s answer for `root`, when it is known already.
pub fn secret_spans(source: &str, root: &Value, may_hold: Option<bool>) -> Vec<Span> {
    let mut spans = Vec::new();
    if may_hold.unwrap_or_else(|| may_hold_secret(source, root)) {
        collect(root, &mut spans);
    }
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
    let secrets = secret_texts(source.text(), spans);
    let finders = finders(&secrets);
    let scrub = |text: &mut String| {
        if let Some(scrubbed) = replace_secrets(text, &finders) {
            *text = scrubbed;
        }
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
        Ok(document) => secret_spans(text, &document.root, None),
        Err(_) => secret_spans_lexical(text),
    }
}

/// Masks secrets in a whole text (for diffs): parsed when possible, lexically otherwise.
pub fn mask_text(text: &str) -> String {
    mask(text, &spans_in(text))
}

/// Replaces the secret values of `source_text` wherever they occur in `text`.
pub fn scrub(text: &str, source_text: &str) -> String {
    let secrets = secret_texts(source_text, &spans_in(source_text));
    replace_secrets(text, &finders(&secrets)).unwrap_or_else(|| text.to_owned())
}

/// The non-empty secrets at `spans` of `text`, as the file holds them and as messages show them.
fn secret_texts(text: &str, spans: &[Span]) -> Vec<String> {
    spans
        .iter()
        .filter_map(|span| text.get(span.range()))
        .filter(|s| !s.is_empty())
        .flat_map(with_escaped)
        .collect()
}

/// A searcher for each secret, with its length: a file's findings are many short texts, so
/// each secret's searcher is built once, not per text.
fn finders(secrets: &[String]) -> Vec<(memmem::Finder<'_>, usize)> {
    secrets
        .iter()
        .map(|secret| (memmem::Finder::new(secret.as_bytes()), secret.len()))
        .collect()
}

/// `text` with every occurrence of every secret replaced, each run of overlapping occurrences
/// by one placeholder; `None` when it holds none. The occurrences are found in `text` as it is:
/// replacing one secret after another would also replace a later secret inside an earlier
/// placeholder (a secret `e` in `<redacted>`), which grew the text exponentially with the
/// number of secrets.
fn replace_secrets(text: &str, finders: &[(memmem::Finder<'_>, usize)]) -> Option<String> {
    let mut hits: Vec<(usize, usize)> = Vec::new();
    for (finder, len) in finders {
        if text.len() >= *len {
            hits.extend(finder.find_iter(text.as_bytes()).map(|at| (at, at + len)));
        }
    }
    if hits.is_empty() {
        return None;
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
    Some(out)
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

#[cfg(test)]
mod tests {
    use super::scrub;

    #[test]
    fn each_occurrence_is_replaced_once_whatever_the_secrets_share() {
        let source = r#"{"password": "e", "wrapPassword": "d", "passphrase": "de", "material": "abc"}"#;
        assert_eq!(
            scrub("the deed is done: abcde", source),
            "th<redacted> <redacted><redacted><redacted> is <redacted>on<redacted>: <redacted><redacted>"
        );
        assert_eq!(scrub("nothing secret", source), "nothing s<redacted>cr<redacted>t");
        assert_eq!(scrub("plain", source), "plain");
    }
}
