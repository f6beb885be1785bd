//! Characters that must not reach a terminal raw: C0 controls, DEL, C1 controls, and the
//! bidirectional embeddings, overrides and isolates that make a terminal show text in another
//! order than it is stored. Member names and values are decoded from JSON escapes, so a
//! `"\u001b[31m"` in a file would otherwise colour the report and a `"\u202e"` reverse it.
//! Such characters are shown as the JSON escape a user would write, `\u001b`, lowercase.

use std::fmt::Write as _;

/// Whether `c` is shown escaped: U+0000–U+001F, U+007F–U+009F, U+202A–U+202E, U+2066–U+2069.
pub fn is_escaped(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Whether `bytes` may hold a character of [`is_escaped`]: a C0 control or DEL, or the lead
/// byte of a C1 control (`0xc2`) or of U+2000–U+2FFF (`0xe2`). One pass over the bytes, without
/// decoding characters: most texts have none.
#[expect(clippy::needless_bitwise_bool, reason = "no branch for each byte")]
fn may_hold_escaped(bytes: &[u8]) -> bool {
    any_byte(bytes, |b| (b < 0x20) | (b == 0x7f) | (b == 0xc2) | (b == 0xe2))
}

/// Whether `hit` holds for a byte of `bytes`: whole chunks of 32 bytes are tested without
/// branching on each byte, which the compiler turns into vector code (for chunks of 16 it
/// shuffles the comparisons' results around, twice the instructions a byte), and the bytes after
/// them as the last 32 bytes (overlapping the chunks already tested). A text of 16 to 31 bytes
/// is tested as its first and last 16; a shorter one a byte at a time: most member names are.
pub(crate) fn any_byte(bytes: &[u8], hit: impl Fn(u8) -> bool) -> bool {
    let test = |chunk: &[u8; 32]| chunk.iter().fold(false, |found, &b| found | hit(b));
    let Some(last) = bytes.last_chunk::<32>() else {
        return match (bytes.first_chunk::<16>(), bytes.last_chunk::<16>()) {
            (Some(first), Some(last)) => test(&concat(first, last)),
            _ => bytes.iter().any(|&b| hit(b)),
        };
    };
    let mut chunks = bytes.chunks_exact(32);
    chunks.by_ref().any(|chunk| chunk.try_into().is_ok_and(test)) || !chunks.remainder().is_empty() && test(last)
}

/// `first` and then `second`, as one chunk.
fn concat(first: &[u8; 16], second: &[u8; 16]) -> [u8; 32] {
    let mut both = [0; 32];
    both[..16].copy_from_slice(first);
    both[16..].copy_from_slice(second);
    both
}

/// `text` with each character of [`is_escaped`] written as `\uXXXX` (four lowercase hex digits:
/// all of them are in the Basic Multilingual Plane); `text` itself when it has none.
pub fn escape(text: String) -> String {
    if !may_hold_escaped(text.as_bytes()) || !text.chars().any(is_escaped) {
        return text;
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if is_escaped(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

/// `text` with each character of [`is_escaped`] other than tabs and line breaks replaced by a
/// visible one of the same length in bytes: `?` for a C0 control or DEL, `¿` for a C1 control,
/// `�` for a bidirectional control. Code frames show the file's own lines, so a raw escape
/// sequence or right-to-left override in a file would otherwise reach the terminal; the same
/// lengths keep every span where it was. `None` when there is nothing to replace.
pub fn visible(text: &str) -> Option<String> {
    let hidden = |c: char| is_escaped(c) && !matches!(c, '\t' | '\n' | '\r');
    if !may_hold_escaped(text.as_bytes()) || !text.chars().any(hidden) {
        return None;
    }
    let stand_in = |c: char| match c.len_utf8() {
        1 => '?',
        2 => '¿',
        _ => '\u{fffd}',
    };
    Some(text.chars().map(|c| if hidden(c) { stand_in(c) } else { c }).collect())
}

/// Appends `text` as a JSON string, written as serde_json writes it (quotes and backslashes
/// escaped, C0 controls as short (`\n`) or `\u00XX` escapes), and with the other characters of
/// [`is_escaped`] as `\uXXXX`: the decoded string is the same, the text is safe to print. Most strings need none of it, which one pass over
/// the bytes tells.
#[expect(clippy::needless_bitwise_bool, reason = "no branch for each byte")]
pub fn push_json_string(out: &mut Vec<u8>, text: &str) {
    out.push(b'"');
    let bytes = text.as_bytes();
    let plain = !any_byte(bytes, |b| {
        (b < 0x20) | (b == b'"') | (b == b'\\') | (b == 0x7f) | (b == 0xc2) | (b == 0xe2)
    });
    if plain {
        out.extend_from_slice(bytes);
    } else {
        let mut buffer = [0; 4];
        for c in text.chars() {
            let short = match c {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\u{8}' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\u{c}' => "\\f",
                '\r' => "\\r",
                c if is_escaped(c) => {
                    let _ = write!(VecWriter(out), "\\u{:04x}", u32::from(c));
                    continue;
                }
                c => c.encode_utf8(&mut buffer),
            };
            out.extend_from_slice(short.as_bytes());
        }
    }
    out.push(b'"');
}

/// `fmt::Write` into a byte vector.
struct VecWriter<'a>(&'a mut Vec<u8>);

impl std::fmt::Write for VecWriter<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.extend_from_slice(s.as_bytes());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::io;

    use serde::Serialize;
    use serde_json::ser::{CompactFormatter, Formatter, PrettyFormatter};

    use super::*;

    /// The reference for [`push_json_string`]: a JSON formatter that writes the characters of
    /// [`is_escaped`] that serde_json leaves raw (DEL, C1 controls, bidirectional controls) as
    /// `\uXXXX` escapes; the decoded strings are the same, the text is safe to print.
    struct Escaping<F>(F);

    impl<F: Formatter> Formatter for Escaping<F> {
        fn write_string_fragment<W: ?Sized + io::Write>(&mut self, writer: &mut W, fragment: &str) -> io::Result<()> {
            // serde_json escapes C0 controls itself (fragments never hold them); the others are
            // found by their lead bytes. Reports are large: one pass over the bytes first.
            if !may_hold_escaped(fragment.as_bytes()) {
                return self.0.write_string_fragment(writer, fragment);
            }
            let mut rest = fragment;
            while let Some((at, c)) = rest.char_indices().find(|&(_, c)| is_escaped(c)) {
                self.0.write_string_fragment(writer, &rest[..at])?;
                write!(writer, "\\u{:04x}", u32::from(c))?;
                rest = &rest[at + c.len_utf8()..];
            }
            self.0.write_string_fragment(writer, rest)
        }

        fn begin_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.begin_string(writer)
        }

        fn end_string<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.end_string(writer)
        }

        fn begin_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.begin_array(writer)
        }

        fn end_array<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.end_array(writer)
        }

        fn begin_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
            self.0.begin_array_value(writer, first)
        }

        fn end_array_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.end_array_value(writer)
        }

        fn begin_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.begin_object(writer)
        }

        fn end_object<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.end_object(writer)
        }

        fn begin_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
            self.0.begin_object_key(writer, first)
        }

        fn end_object_key<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.end_object_key(writer)
        }

        fn begin_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.begin_object_value(writer)
        }

        fn end_object_value<W: ?Sized + io::Write>(&mut self, writer: &mut W) -> io::Result<()> {
            self.0.end_object_value(writer)
        }
    }

    /// `serde_json::to_writer`, with the characters of [`is_escaped`] escaped in every string.
    fn to_writer<W: io::Write, T: ?Sized + Serialize>(writer: W, value: &T) -> serde_json::Result<()> {
        let mut serializer = serde_json::Serializer::with_formatter(writer, Escaping(CompactFormatter));
        value.serialize(&mut serializer)
    }

    #[test]
    fn controls_and_bidirectional_overrides_are_escaped_and_the_rest_is_kept() {
        assert_eq!(escape("plain é😀 → text".to_owned()), "plain é😀 → text");
        assert_eq!(
            escape("a\u{0}b\u{1b}[31m\n\t\u{7f}\u{9b}\u{a0}x\u{202e}y\u{2066}\u{2069}\u{2070}".to_owned()),
            "a\\u0000b\\u001b[31m\\u000a\\u0009\\u007f\\u009b\u{a0}x\\u202ey\\u2066\\u2069\u{2070}"
        );
        for c in (0..0x11_0000).filter_map(char::from_u32) {
            let escaped = escape(c.to_string());
            assert_eq!(escaped != c.to_string(), is_escaped(c), "{:04x}", u32::from(c));
        }
    }

    #[test]
    fn any_byte_finds_a_byte_at_every_place_of_every_length() {
        for len in 0..100 {
            let plain = vec![b'a'; len];
            assert!(!any_byte(&plain, |b| b == b'"'), "{len}");
            for at in 0..len {
                let mut text = plain.clone();
                text[at] = b'"';
                assert!(any_byte(&text, |b| b == b'"'), "{len} {at}");
            }
        }
    }

    #[test]
    fn json_strings_are_written_as_serde_json_with_escaping_writes_them() {
        let mut texts: Vec<String> = (0..0x3000).filter_map(char::from_u32).map(String::from).collect();
        texts.extend(
            [
                "",
                "plain ascii text that is longer than one chunk of thirty-two bytes",
                "quote \" and backslash \\ and\ttab\nnewline\r\u{8}\u{c}\u{0}\u{1f}",
                "é😀 → \u{202e}reversed\u{2069} \u{7f}\u{85}\u{a0}\u{2070}",
            ]
            .map(str::to_owned),
        );
        texts.push(format!("{}\u{1b}", "x".repeat(40)));
        for text in texts {
            let mut ours = Vec::new();
            push_json_string(&mut ours, &text);
            let mut theirs = Vec::new();
            to_writer(&mut theirs, &text).unwrap();
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn json_output_escapes_what_serde_json_leaves_raw_and_still_decodes_the_same() {
        let value = serde_json::json!({"/a\u{0}b\u{7f}\u{85}\u{202e}é": ["\u{2067}x\u{1b}", "plain"]});
        for pretty in [false, true] {
            let mut out = Vec::new();
            if pretty {
                let mut serializer = serde_json::Serializer::with_formatter(&mut out, Escaping(PrettyFormatter::new()));
                value.serialize(&mut serializer).unwrap();
            } else {
                to_writer(&mut out, &value).unwrap();
            }
            let text = String::from_utf8(out).unwrap();
            assert!(!text.chars().any(|c| is_escaped(c) && c != '\n'), "{text}");
            assert!(text.contains("\\u202e") && text.contains("\\u007f\\u0085") && text.contains('é'));
            assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), value);
            let stock = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            assert_eq!(
                text.replace("\\u007f", "\u{7f}")
                    .replace("\\u0085", "\u{85}")
                    .replace("\\u202e", "\u{202e}")
                    .replace("\\u2067", "\u{2067}"),
                stock
            );
        }
    }
}
