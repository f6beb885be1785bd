//! Recursive-descent parser for RFC 8259 JSON, with comments and trailing commas as an option.
//!
//! It never panics and never recurses deeper than [`MAX_DEPTH`]; the first error stops it and is
//! returned with the span of the offending token or byte.

use std::borrow::Cow;

use super::tree::{Kind, Member, Number, Object, Span, Str, Value};

/// Deepest nesting of arrays and objects accepted; one more level is an error, not a stack
/// overflow.
pub const MAX_DEPTH: u32 = 128;

/// Which JSON dialect to accept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept `// line` and `/* block */` comments (recorded as [`Extension`]s).
    pub comments: bool,
    /// Accept a comma after the last element or member (recorded as [`Extension`]s).
    pub trailing_commas: bool,
}

impl ParseOptions {
    /// Strict RFC 8259.
    pub const STRICT: Self = Self {
        comments: false,
        trailing_commas: false,
    };
    /// JSON with comments and trailing commas, as `tsconfig.json` and VS Code settings use.
    pub const JSONC: Self = Self {
        comments: true,
        trailing_commas: true,
    };

    /// The dialect's name, for messages.
    pub fn dialect(self) -> &'static str {
        if self.comments || self.trailing_commas {
            "JSONC"
        } else {
            "strict JSON"
        }
    }
}

/// Something the dialect allowed that strict JSON would not.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extension {
    /// What it was.
    pub kind: ExtensionKind,
    /// Where it was.
    pub span: Span,
}

/// The kinds of [`Extension`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExtensionKind {
    /// A `//` or `/* */` comment.
    Comment,
    /// A comma before `]` or `}`.
    TrailingComma,
}

/// A parsed document.
#[derive(Clone, Debug, PartialEq)]
pub struct Document<'s> {
    /// The top-level value.
    pub root: Value<'s>,
    /// Whether the text started with a UTF-8 byte-order mark (skipped).
    pub bom: bool,
    /// Comments and trailing commas, in source order.
    pub extensions: Vec<Extension>,
}

/// Why a text is not JSON in the chosen dialect.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    /// What is wrong, lowercase, no final period.
    pub message: String,
    /// The first offending token or byte.
    pub span: Span,
}

/// Parses `bytes`, which may be any bytes at all: invalid UTF-8 is an error at the first bad byte.
///
/// # Errors
///
/// The first syntax error, invalid UTF-8 sequence or nesting violation.
pub fn parse_bytes(bytes: &[u8], options: ParseOptions) -> Result<Document<'_>, ParseError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, options),
        Err(error) => {
            let at = error.valid_up_to();
            let bad = &bytes[at..at + error.error_len().unwrap_or(bytes.len() - at).max(1)];
            let shown: Vec<String> = bad.iter().map(|b| format!("0x{b:02X}")).collect();
            Err(ParseError {
                message: format!("invalid UTF-8: byte sequence {} is not valid", shown.join(" ")),
                span: Span::new(at, at + 1),
            })
        }
    }
}

/// Parses a text.
///
/// # Errors
///
/// The first syntax error or nesting violation.
pub fn parse(text: &str, options: ParseOptions) -> Result<Document<'_>, ParseError> {
    let bom = text.starts_with('\u{FEFF}');
    let mut parser = Parser {
        text,
        bytes: text.as_bytes(),
        pos: if bom { 3 } else { 0 },
        depth: 0,
        options,
        extensions: Vec::new(),
        members: Vec::new(),
        items: Vec::new(),
    };
    parser.skip_trivia()?;
    let root = parser.value()?;
    parser.skip_trivia()?;
    if parser.pos < parser.bytes.len() {
        return Err(parser.unexpected("after the top-level value"));
    }
    let mut extensions = parser.extensions;
    // A trailing comma is recorded after the comments between it and the bracket.
    extensions.sort_by_key(|extension| extension.span.start);
    Ok(Document { root, bom, extensions })
}

struct Parser<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
    options: ParseOptions,
    extensions: Vec<Extension>,
    /// Members of the objects being parsed, innermost last: an object's members are moved out
    /// in one exact allocation when it closes, instead of growing a vector of its own.
    members: Vec<Member<'a>>,
    /// The same for the elements of arrays.
    items: Vec<Value<'a>>,
}

type PResult<T> = Result<T, ParseError>;

fn error(message: impl Into<String>, start: usize, end: usize) -> ParseError {
    ParseError {
        message: message.into(),
        span: Span::new(start, end),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// The character at the cursor, for messages (`None` at end of input).
    fn current_char(&self) -> Option<char> {
        self.text.get(self.pos..).and_then(|rest| rest.chars().next())
    }

    /// An "unexpected character" error at the cursor.
    fn unexpected(&self, context: &str) -> ParseError {
        match self.current_char() {
            None => error(format!("unexpected end of input {context}"), self.pos, self.pos),
            Some(c) => {
                let shown = describe_char(c);
                error(
                    format!("unexpected {shown} {context}"),
                    self.pos,
                    self.pos + c.len_utf8(),
                )
            }
        }
    }

    /// Skips whitespace and comments. Most calls find none (a minified file has none at all):
    /// they cost one test where they are made.
    #[inline]
    fn skip_trivia(&mut self) -> PResult<()> {
        match self.peek() {
            Some(b' ' | b'\t' | b'\n' | b'\r' | b'/') => self.skip_some_trivia(),
            _ => Ok(()),
        }
    }

    fn skip_some_trivia(&mut self) -> PResult<()> {
        loop {
            match self.peek() {
                Some(b' ') => self.pos = spaces_end(self.bytes, self.pos + 1),
                Some(b'\t' | b'\n' | b'\r') => self.pos += 1,
                Some(b'/') => self.comment()?,
                _ => return Ok(()),
            }
        }
    }

    fn comment(&mut self) -> PResult<()> {
        let start = self.pos;
        let kind = self.bytes.get(start + 1).copied();
        if !matches!(kind, Some(b'/' | b'*')) {
            return Err(self.unexpected("where a value or punctuation was expected"));
        }
        if !self.options.comments {
            return Err(error("comments are not allowed in strict JSON", start, start + 2));
        }
        let end = if kind == Some(b'/') {
            memchr_from(self.bytes, start + 2, b'\n').unwrap_or(self.bytes.len())
        } else {
            let mut at = start + 2;
            loop {
                match memchr_from(self.bytes, at, b'*') {
                    Some(star) if self.bytes.get(star + 1) == Some(&b'/') => break star + 2,
                    Some(star) => at = star + 1,
                    None => return Err(error("unterminated block comment", start, start + 2)),
                }
            }
        };
        self.extensions.push(Extension {
            kind: super::ExtensionKind::Comment,
            span: Span::new(start, end),
        });
        self.pos = end;
        Ok(())
    }

    fn value(&mut self) -> PResult<Value<'a>> {
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => {
                let start = self.pos;
                let s = self.string()?;
                Ok(Value {
                    kind: Kind::String(s),
                    span: Span::new(start, self.pos),
                })
            }
            Some(b't') => self.literal("true", Kind::Bool(true)),
            Some(b'f') => self.literal("false", Kind::Bool(false)),
            Some(b'n') => self.literal("null", Kind::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            _ => Err(self.unexpected("where a value was expected")),
        }
    }

    fn literal(&mut self, word: &'static str, kind: Kind<'a>) -> PResult<Value<'a>> {
        let start = self.pos;
        if self.bytes[start..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            Ok(Value {
                kind,
                span: Span::new(start, self.pos),
            })
        } else {
            let end = self.word_end(start);
            let found = &self.text[start..end];
            Err(error(format!("expected `{word}`, found `{found}`"), start, end))
        }
    }

    /// End of the run of identifier-like characters starting at `start` (for messages).
    fn word_end(&self, start: usize) -> usize {
        let rest = &self.text[start..];
        let len = rest
            .char_indices()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_'))
            .map_or(rest.len(), |(i, _)| i);
        start + len.max(rest.chars().next().map_or(0, char::len_utf8))
    }

    fn enter(&mut self, start: usize) -> PResult<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(error(
                format!("nesting deeper than {MAX_DEPTH} levels"),
                start,
                start + 1,
            ));
        }
        self.pos += 1;
        Ok(())
    }

    /// After a comma: if the closing bracket follows, it was a trailing comma.
    fn trailing_comma(&mut self, comma: usize, close: u8) -> PResult<bool> {
        if self.peek() != Some(close) {
            return Ok(false);
        }
        if !self.options.trailing_commas {
            return Err(error("trailing comma is not allowed in strict JSON", comma, comma + 1));
        }
        self.extensions.push(Extension {
            kind: super::ExtensionKind::TrailingComma,
            span: Span::new(comma, comma + 1),
        });
        Ok(true)
    }

    fn array(&mut self) -> PResult<Value<'a>> {
        let start = self.pos;
        self.enter(start)?;
        let base = self.items.len();
        self.skip_trivia()?;
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                let item = self.value()?;
                self.items.push(item);
                self.skip_trivia()?;
                match self.peek() {
                    Some(b',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_trivia()?;
                        if self.trailing_comma(comma, b']')? {
                            self.pos += 1;
                            break;
                        }
                    }
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("in an array (expected `,` or `]`)")),
                }
            }
        }
        self.depth -= 1;
        let items = self.items.drain(base..).collect();
        Ok(Value {
            kind: Kind::Array(items),
            span: Span::new(start, self.pos),
        })
    }

    fn object(&mut self) -> PResult<Value<'a>> {
        let start = self.pos;
        self.enter(start)?;
        let base = self.members.len();
        self.skip_trivia()?;
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                if self.peek() != Some(b'"') {
                    return Err(self.unexpected("where a member name in double quotes was expected"));
                }
                let name_start = self.pos;
                let name = self.string()?;
                let name_span = Span::new(name_start, self.pos);
                self.skip_trivia()?;
                if self.peek() != Some(b':') {
                    return Err(self.unexpected("after a member name (expected `:`)"));
                }
                self.pos += 1;
                self.skip_trivia()?;
                let value = self.value()?;
                self.members.push(Member { name, name_span, value });
                self.skip_trivia()?;
                match self.peek() {
                    Some(b',') => {
                        let comma = self.pos;
                        self.pos += 1;
                        self.skip_trivia()?;
                        if self.trailing_comma(comma, b'}')? {
                            self.pos += 1;
                            break;
                        }
                    }
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.unexpected("in an object (expected `,` or `}`)")),
                }
            }
        }
        self.depth -= 1;
        let members = self.members.drain(base..).collect();
        Ok(Value {
            kind: Kind::Object(Object::new(members)),
            span: Span::new(start, self.pos),
        })
    }

    /// Parses a string literal at the cursor (which is on the opening quote).
    fn string(&mut self) -> PResult<Str<'a>> {
        let open = self.pos;
        // Fast path: the text up to the first quote, backslash or control character, in one
        // pass; a string without an escape ends at its quote.
        let at = string_stop(self.bytes, open + 1);
        match self.bytes.get(at) {
            None => return Err(error("unterminated string", open, open + 1)),
            Some(b'"') => {
                self.pos = at + 1;
                return Ok(Str {
                    value: Cow::Borrowed(&self.text[open + 1..at]),
                    lone_surrogate: false,
                });
            }
            Some(&b) if b < 0x20 => return Err(control_error(b, at)),
            Some(_) => {}
        }
        let mut at = at;
        let mut out = String::with_capacity(at - open + 8);
        out.push_str(&self.text[open + 1..at]);
        let mut lone_surrogate = false;
        loop {
            match self.bytes.get(at) {
                None => return Err(error("unterminated string", open, open + 1)),
                Some(b'"') => {
                    self.pos = at + 1;
                    return Ok(Str {
                        value: Cow::Owned(out),
                        lone_surrogate,
                    });
                }
                Some(b'\\') => {
                    let (c, len, lone) = self.escape(at)?;
                    out.push(c);
                    lone_surrogate |= lone;
                    at += len;
                }
                Some(&b) if b < 0x20 => return Err(control_error(b, at)),
                Some(_) => {
                    let run_end = string_stop(self.bytes, at);
                    out.push_str(&self.text[at..run_end]);
                    at = run_end;
                }
            }
        }
    }

    /// Decodes the escape at `at` (a backslash): the character, the escape's length in bytes and
    /// whether it was a lone surrogate.
    fn escape(&self, at: usize) -> PResult<(char, usize, bool)> {
        let simple = match self.bytes.get(at + 1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => return self.unicode_escape(at),
            Some(_) => {
                let len = self.text[at + 1..].chars().next().map_or(1, char::len_utf8);
                let shown = &self.text[at..at + 1 + len];
                return Err(error(format!("invalid escape `{shown}` in a string"), at, at + 1 + len));
            }
            None => return Err(error("unterminated string", at, at + 1)),
        };
        Ok((simple, 2, false))
    }

    fn unicode_escape(&self, at: usize) -> PResult<(char, usize, bool)> {
        let high = self.hex4(at)?;
        if (0xD800..0xDC00).contains(&high) {
            if self.bytes.get(at + 6) == Some(&b'\\') && self.bytes.get(at + 7) == Some(&b'u') {
                let low = self.hex4(at + 6)?;
                if (0xDC00..0xE000).contains(&low) {
                    let code = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
                    return Ok((char::from_u32(code).unwrap_or('\u{FFFD}'), 12, false));
                }
            }
            return Ok(('\u{FFFD}', 6, true));
        }
        if (0xDC00..0xE000).contains(&high) {
            return Ok(('\u{FFFD}', 6, true));
        }
        Ok((char::from_u32(high).unwrap_or('\u{FFFD}'), 6, false))
    }

    fn hex4(&self, at: usize) -> PResult<u32> {
        let digits = self
            .bytes
            .get(at + 2..at + 6)
            .filter(|d| d.iter().all(u8::is_ascii_hexdigit));
        let Some(digits) = digits else {
            let rest = &self.text[at + 2..];
            let valid = rest.bytes().take(4).take_while(u8::is_ascii_hexdigit).count();
            let offending = rest[valid..].chars().next().map_or(0, char::len_utf8);
            let end = at + 2 + valid + offending;
            return Err(error("`\\u` must be followed by four hexadecimal digits", at, end));
        };
        Ok(digits.iter().fold(0, |acc, &d| acc * 16 + u32::from(hex_value(d))))
    }

    fn number(&mut self) -> PResult<Value<'a>> {
        let start = self.pos;
        let mut at = start;
        if self.bytes.get(at) == Some(&b'-') {
            at += 1;
        }
        match self.bytes.get(at) {
            Some(b'0') => at += 1,
            Some(b'1'..=b'9') => at = self.digits(at),
            _ => {
                self.pos = at;
                return Err(self.unexpected("in a number (expected a digit)"));
            }
        }
        let mut integer = true;
        if self.bytes.get(at) == Some(&b'.') {
            integer = false;
            if !self.bytes.get(at + 1).is_some_and(u8::is_ascii_digit) {
                self.pos = at + 1;
                return Err(self.unexpected("after a decimal point (expected a digit)"));
            }
            at = self.digits(at + 1);
        }
        if matches!(self.bytes.get(at), Some(b'e' | b'E')) {
            integer = false;
            at += 1;
            if matches!(self.bytes.get(at), Some(b'+' | b'-')) {
                at += 1;
            }
            if !self.bytes.get(at).is_some_and(u8::is_ascii_digit) {
                self.pos = at;
                return Err(self.unexpected("in an exponent (expected a digit)"));
            }
            at = self.digits(at);
        }
        let literal = &self.text[start..at];
        let float = literal.parse::<f64>().unwrap_or(f64::NAN);
        let int = if integer { literal.parse::<i64>().ok() } else { None };
        self.pos = at;
        Ok(Value {
            kind: Kind::Number(Number {
                float,
                int,
                integer_literal: integer,
            }),
            span: Span::new(start, at),
        })
    }

    fn digits(&self, from: usize) -> usize {
        self.bytes[from..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(self.bytes.len(), |i| from + i)
    }
}

fn control_error(byte: u8, at: usize) -> ParseError {
    error(
        format!("control character U+{byte:04X} must be escaped inside a string"),
        at,
        at + 1,
    )
}

fn hex_value(digit: u8) -> u8 {
    match digit {
        b'0'..=b'9' => digit - b'0',
        b'a'..=b'f' => digit - b'a' + 10,
        _ => digit - b'A' + 10,
    }
}

/// Each byte of a word set to `byte`.
const fn splat(byte: u8) -> u64 {
    u64::from_ne_bytes([byte; 8])
}

/// The high bit of each byte of `word` that is below `limit` (at most 0x80), exact for the
/// lowest such byte: a borrow can only mark a byte above one that is truly below.
const fn below(word: u64, limit: u8) -> u64 {
    word.wrapping_sub(splat(limit)) & !word & splat(0x80)
}

/// The first of `bytes` from `at` that is a quote, a backslash or a control character (the
/// length of `bytes` if none is): eight bytes at a time, as one word each (strings are mostly
/// too short for a vector search to pay for its set-up). The lowest marked byte of a word is
/// the first one found, in memory order.
fn string_stop(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let word = u64::from_le_bytes(*chunk);
        let found = below(word ^ splat(b'"'), 1) | below(word ^ splat(b'\\'), 1) | below(word, 0x20);
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20))
        .map_or(bytes.len(), |i| at + i)
}

/// The end of the run of spaces at `at`: an indentation is skipped eight spaces at a time.
fn spaces_end(bytes: &[u8], mut at: usize) -> usize {
    while let Some(chunk) = bytes.get(at..).and_then(<[u8]>::first_chunk::<8>) {
        let other = u64::from_le_bytes(*chunk) ^ splat(b' ');
        if other != 0 {
            return at + (other.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    while bytes.get(at) == Some(&b' ') {
        at += 1;
    }
    at
}

fn memchr_from(bytes: &[u8], from: usize, needle: u8) -> Option<usize> {
    bytes.get(from..)?.iter().position(|&b| b == needle).map(|i| from + i)
}

/// How a character is named in a message: printable ones quoted, the others by code point.
fn describe_char(c: char) -> String {
    if c.is_control() || c.is_whitespace() || c == '\u{FEFF}' {
        format!("character U+{:04X}", u32::from(c))
    } else {
        format!("character `{c}`")
    }
}

#[cfg(test)]
mod tests {
    use super::{spaces_end, string_stop};
    use crate::testing::Rng;

    /// The word-at-a-time scans agree with a byte-at-a-time search, on texts where the bytes
    /// they look for sit at every position of a word, next to bytes just above and below them
    /// and to bytes outside ASCII.
    #[test]
    fn word_scans_stop_where_a_byte_scan_stops() {
        const ALPHABET: &[u8] = b"  \"\\\x00\x1f\x20\x21\x5b\x5d\x7f\x80\xa2\xdc\xffab";
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        for _ in 0..20_000 {
            let len = rng.below(40);
            let bytes: Vec<u8> = (0..len).map(|_| ALPHABET[rng.below(ALPHABET.len())]).collect();
            let at = rng.below(len + 1);
            let stop = bytes[at..]
                .iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .map_or(len, |i| at + i);
            assert_eq!(string_stop(&bytes, at), stop, "{bytes:?} from {at}");
            let spaces = bytes[at..].iter().position(|&b| b != b' ').map_or(len, |i| at + i);
            assert_eq!(spaces_end(&bytes, at), spaces, "{bytes:?} from {at}");
        }
    }
}
