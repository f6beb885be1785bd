//! The `pattern` keyword, for the regular expressions our schema is written with: anchored at
//! both ends (`^…$`), made of characters, ASCII classes (`[A-Za-z0-9._-]`, `[^<>\\]`) and
//! groups, each with an optional `?`, `*`, `+` or `{n,m}` (a group at most once: `(…)?`).
//!
//! A general regex engine compiles such a pattern into automata the first time it is used:
//! `[A-Za-z0-9._-]{0,251}` alone is a few hundred states, and building them was 1.4 M of the
//! 3.7 M instructions of a one-file run. These patterns need no automaton: they are matched
//! where they stand, each class's run found in one pass, then shortened a character at a time
//! until what follows matches (only where the next class admits the character). Runs of
//! overlapping classes one after another would multiply those passes; the schema's have none
//! unbounded, so a match costs a pass or two over the text, whatever the text. ECMA-262 (which
//! JSON Schema patterns follow) and this matcher agree on this subset; anything outside it is
//! refused when the schema is compiled, so the schema cannot use a construct that is not
//! matched as written.
//!
//! The texts matched are mostly label keys and values, and a repository's keys use the same
//! few of them over and over (`team`, `env`, `prod`): each thread remembers its recent answers
//! for short texts, and a repeated text costs a lookup instead of a match.

use std::cell::RefCell;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A compiled pattern.
#[derive(Debug)]
pub(super) struct Pattern {
    /// As written, for messages.
    pub(super) source: String,
    items: Vec<Item>,
    /// Its answers' place among the remembered ones: unique in the process. (The embedded
    /// schema is compiled once per process, so a thread's table has a row per pattern of it.)
    id: usize,
}

/// The next pattern's [`Pattern::id`].
static NEXT_ID: AtomicUsize = AtomicUsize::new(0);

/// Texts up to this many bytes have their answers remembered (a label value is at most 63
/// characters, a label key's name too).
const REMEMBERED_TEXT: usize = 64;

/// How many answers a thread remembers for one pattern before it forgets them all.
const REMEMBERED: usize = 1024;

thread_local! {
    /// Each pattern's remembered answers, by [`Pattern::id`].
    static ANSWERS: RefCell<Vec<foldhash::HashMap<Box<str>, bool>>> = const { RefCell::new(Vec::new()) };
}

/// One piece of a pattern and how often it repeats.
#[derive(Debug)]
struct Item {
    atom: Atom,
    min: usize,
    max: usize,
    /// The class the next item of the sequence starts with, when it must match at least
    /// once: where a class's run backtracks to, the character there must be in it.
    guard: Option<Class>,
}

#[derive(Debug)]
enum Atom {
    /// A character class; a character outside one is a class of one.
    Class(Class),
    /// A parenthesised sequence (it repeats at most once).
    Group(Vec<Item>),
}

/// A set of ASCII characters, or every character but those: which bytes can start a
/// character in it (a byte outside ASCII starts one only in a negated class), one bit each.
#[derive(Debug, Clone, Copy)]
struct Class {
    starts: [u64; 4],
}

impl Class {
    fn new(members: u128, negated: bool) -> Self {
        let ascii = if negated { !members } else { members };
        let rest = if negated { u64::MAX } else { 0 };
        Self {
            starts: [ascii as u64, (ascii >> 64) as u64, rest, rest],
        }
    }

    /// Whether `byte` starts a character in the class.
    fn starts(&self, byte: u8) -> bool {
        (self.starts[usize::from(byte >> 6)] >> (byte & 63)) & 1 == 1
    }

    /// Whether the character at `at` is in the class.
    fn admits(&self, text: &[u8], at: usize) -> bool {
        text.get(at).is_some_and(|&byte| self.starts(byte))
    }
}

impl Pattern {
    /// Compiles `source`.
    ///
    /// # Errors
    ///
    /// When it is not anchored at both ends or uses something outside the subset (see the
    /// module documentation).
    pub(super) fn new(source: &str) -> Result<Self, String> {
        let refuse = |why: &str| format!("pattern `{source}`: {why}");
        let body = source
            .strip_prefix('^')
            .and_then(|rest| rest.strip_suffix('$'))
            .filter(|body| !body.ends_with('\\') || body.ends_with("\\\\"))
            .ok_or_else(|| refuse("only patterns anchored at both ends (`^…$`) are supported"))?;
        let mut parser = Parser {
            text: body.as_bytes(),
            at: 0,
        };
        let items = parser.sequence(false).map_err(|why| refuse(&why))?;
        Ok(Self {
            source: source.to_owned(),
            items,
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
        })
    }

    /// Whether `text` matches as a whole.
    pub(super) fn matches(&self, text: &str) -> bool {
        if text.len() > REMEMBERED_TEXT {
            return self.matches_here(text);
        }
        ANSWERS.with_borrow_mut(|answers| {
            if answers.len() <= self.id {
                answers.resize_with(self.id + 1, foldhash::HashMap::default);
            }
            let remembered = &mut answers[self.id];
            if let Some(&answer) = remembered.get(text) {
                return answer;
            }
            if remembered.len() == REMEMBERED {
                remembered.clear();
            }
            let answer = self.matches_here(text);
            remembered.insert(text.into(), answer);
            answer
        })
    }

    /// Whether `text` matches as a whole, worked out.
    fn matches_here(&self, text: &str) -> bool {
        sequence(&self.items, None, text.as_bytes(), 0)
    }
}

/// What follows the end of a group: the rest of the sequence the group is in, then what
/// follows that sequence.
struct Then<'a> {
    items: &'a [Item],
    next: Option<&'a Then<'a>>,
}

/// Whether `items` match `text` from `at` on, followed by what `then` says, up to the end of
/// the text. Only a backtrack or a group calls itself.
fn sequence<'a>(mut items: &'a [Item], mut then: Option<&'a Then<'a>>, text: &[u8], mut at: usize) -> bool {
    loop {
        let Some((item, rest)) = items.split_first() else {
            match then {
                Some(after) => {
                    (items, then) = (after.items, after.next);
                    continue;
                }
                None => return at == text.len(),
            }
        };
        match &item.atom {
            Atom::Class(class) => {
                // The longest run, characters counted by their first bytes: the bytes that
                // continue a character follow a first byte the class admitted.
                let (mut end, mut count) = (at, 0);
                while let Some(&byte) = text.get(end) {
                    if byte & 0xC0 != 0x80 {
                        if count == item.max || !class.starts(byte) {
                            break;
                        }
                        count += 1;
                    }
                    end += 1;
                }
                if count < item.min {
                    return false;
                }
                // Each shorter run, down to the shortest, until one is followed by a match.
                while count > item.min {
                    if item.guard.as_ref().is_none_or(|guard| guard.admits(text, end))
                        && sequence(rest, then, text, end)
                    {
                        return true;
                    }
                    // Back one character (the text is UTF-8).
                    end -= 1;
                    while text[end] & 0xC0 == 0x80 {
                        end -= 1;
                    }
                    count -= 1;
                }
                (items, at) = (rest, end);
            }
            Atom::Group(inner) => {
                let after = Then {
                    items: rest,
                    next: then,
                };
                if sequence(inner, Some(&after), text, at) {
                    return true;
                }
                if item.min > 0 {
                    return false;
                }
                items = rest;
            }
        }
    }
}

/// Reads a pattern's body.
struct Parser<'a> {
    text: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.text.get(self.at).copied()
    }

    fn next(&mut self) -> Result<u8, String> {
        let byte = self.peek().ok_or("it ends inside a construct")?;
        self.at += 1;
        Ok(byte)
    }

    /// Items up to the end, or up to the `)` that closes a group.
    fn sequence(&mut self, in_group: bool) -> Result<Vec<Item>, String> {
        let mut items = Vec::new();
        loop {
            let atom = match self.peek() {
                None if in_group => return Err("a group is not closed".to_owned()),
                None => return Ok(items),
                Some(b')') if in_group => {
                    self.at += 1;
                    return Ok(items);
                }
                Some(b'(') => {
                    self.at += 1;
                    if self.peek() == Some(b'?') {
                        return Err("`(?` groups are not supported".to_owned());
                    }
                    Atom::Group(self.sequence(true)?)
                }
                Some(b'[') => {
                    self.at += 1;
                    Atom::Class(self.class()?)
                }
                Some(_) => Atom::Class(Class::new(1 << self.character(b"^$.|*+?(){}[]")?, false)),
            };
            let (min, max) = self.repetition()?;
            if matches!(atom, Atom::Group(_)) && max > 1 {
                return Err("a group may repeat at most once (`(…)?`)".to_owned());
            }
            if min > 0
                && let Atom::Class(class) = atom
                && let Some(before) = items.last_mut()
            {
                before.guard = Some(class);
            }
            items.push(Item {
                atom,
                min,
                max,
                guard: None,
            });
        }
    }

    /// One ASCII character, `\` escaping punctuation; `special` ones must be escaped.
    fn character(&mut self, special: &[u8]) -> Result<u8, String> {
        match self.next()? {
            b'\\' => match self.next()? {
                byte if byte.is_ascii_punctuation() => Ok(byte),
                byte => Err(format!("`\\{}` is not supported", char::from(byte))),
            },
            byte if !byte.is_ascii() || byte.is_ascii_control() => {
                Err("only printable ASCII characters are supported".to_owned())
            }
            byte if special.contains(&byte) => Err(format!("`{}` is not supported here", char::from(byte))),
            byte => Ok(byte),
        }
    }

    /// A class after its `[`, up to and with its `]`.
    fn class(&mut self) -> Result<Class, String> {
        let negated = self.peek() == Some(b'^');
        if negated {
            self.at += 1;
        }
        let mut members = 0u128;
        while self.peek() != Some(b']') {
            let first = self.character(b"[]")?;
            let last = if self.peek() == Some(b'-') && self.text.get(self.at + 1).is_some_and(|&b| b != b']') {
                self.at += 1;
                self.character(b"[]")?
            } else {
                first
            };
            if last < first {
                return Err("a class range goes backwards".to_owned());
            }
            for byte in first..=last {
                members |= 1u128 << byte;
            }
        }
        self.at += 1;
        if members == 0 {
            return Err("an empty class".to_owned());
        }
        Ok(Class::new(members, negated))
    }

    /// The repetition after an atom: once, `?`, `*`, `+`, `{n}`, `{n,}` or `{n,m}`.
    fn repetition(&mut self) -> Result<(usize, usize), String> {
        let bounds = match self.peek() {
            Some(b'?') => (0, 1),
            Some(b'*') => (0, usize::MAX),
            Some(b'+') => (1, usize::MAX),
            Some(b'{') => self.bounds()?,
            _ => return Ok((1, 1)),
        };
        self.at += 1;
        if matches!(self.peek(), Some(b'?' | b'*' | b'+' | b'{')) {
            return Err("lazy or repeated repetitions are not supported".to_owned());
        }
        Ok(bounds)
    }

    /// `{n}`, `{n,}` or `{n,m}`, from its `{` up to its `}` (left for the caller to read past).
    fn bounds(&mut self) -> Result<(usize, usize), String> {
        let malformed = || "a malformed `{n,m}`".to_owned();
        self.at += 1;
        let min = self.number().ok_or_else(malformed)?;
        let max = match (self.next()?, self.peek()) {
            (b'}', _) => {
                self.at -= 1;
                return Ok((min, min));
            }
            (b',', Some(b'}')) => usize::MAX,
            (b',', _) => self.number().filter(|&max| max >= min).ok_or_else(malformed)?,
            _ => return Err(malformed()),
        };
        if self.peek() != Some(b'}') {
            return Err(malformed());
        }
        Ok((min, max))
    }

    fn number(&mut self) -> Option<usize> {
        let start = self.at;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.at += 1;
        }
        std::str::from_utf8(&self.text[start..self.at]).ok()?.parse().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::{ANSWERS, Atom, Item, Pattern, REMEMBERED, REMEMBERED_TEXT};
    use crate::testing::Rng;

    /// Remembered answers are the answers: asked again, after the memory has filled up and been
    /// forgotten, and by two patterns about the same texts, each pattern answers as it matches.
    #[test]
    fn remembered_answers_are_each_patterns_own() {
        let letters = Pattern::new("^[a-z]+$").unwrap();
        let digits = Pattern::new("^[0-9]+$").unwrap();
        let mut rng = Rng(0x0A11_CE55);
        // Texts that repeat (short ones) and texts that fill the memory (longer ones).
        let texts: Vec<String> = (0..3 * REMEMBERED)
            .map(|_| {
                let length = [rng.below(3), 4 + rng.below(6)][rng.below(2)];
                (0..length).map(|_| ['a', 'b', '1', '2', '-'][rng.below(5)]).collect()
            })
            .collect();
        let mut outcomes = [0; 2];
        for text in texts.iter().chain(&texts) {
            for pattern in [&letters, &digits] {
                let answer = pattern.matches_here(text);
                assert_eq!(pattern.matches(text), answer, "{} on {text:?}", pattern.source);
                outcomes[usize::from(answer)] += 1;
            }
        }
        assert!(outcomes[0] > 1000 && outcomes[1] > 1000, "{outcomes:?}");
        ANSWERS.with_borrow(|answers| {
            assert!(answers[letters.id].len() <= REMEMBERED && answers[digits.id].len() <= REMEMBERED);
        });
        let long = "a".repeat(REMEMBERED_TEXT + 1);
        assert!(letters.matches(&long) && !digits.matches(&long));
    }

    /// The embedded schema's patterns, and others that use the rest of the subset.
    const PATTERNS: [&str; 12] = [
        "^([A-Za-z0-9]([A-Za-z0-9._-]{0,251}[A-Za-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?$",
        "^([A-Za-z0-9]([A-Za-z0-9._-]{0,61}[A-Za-z0-9])?)?$",
        "^[0-9A-Fa-f]*$",
        "^[0-9A-Fa-f]{32}$",
        "^[0-9]+$",
        "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$",
        "^[^<>\\\\]+$",
        "^[^a]{2,3}a?[^b]{1,}$",
        "^(a(b[cd]?)?e)?\\.[-x]{0,2}$",
        "^$",
        "^a{3}(b)c?$",
        "^[^-a-c]*[a-c-]$",
    ];

    /// A string built from `items`: each repeated a few times around its bounds, each
    /// character drawn from its class (outside ASCII, too, for a negated one).
    fn sample(items: &[Item], rng: &mut Rng, out: &mut String) {
        for item in items {
            let extra = rng.below(4);
            let count = item.min.saturating_add(extra).min(item.max).max(item.min);
            for _ in 0..count {
                match &item.atom {
                    Atom::Group(inner) => sample(inner, rng, out),
                    Atom::Class(class) => {
                        let members: Vec<char> = (0..128u8)
                            .filter(|&b| class.starts(b))
                            .map(char::from)
                            .chain(class.starts(0xC3).then_some(['é', '𝄞']).into_iter().flatten())
                            .collect();
                        out.push(members[rng.below(members.len())]);
                    }
                }
            }
        }
    }

    /// Strings made of the pattern's own characters and some others (outside ASCII, a line
    /// break, a backslash), strings built to match and the same with one character changed
    /// match exactly as the `regex` crate says, and each pattern both matches and fails.
    #[test]
    fn matches_as_a_regex_engine_does() {
        let mut rng = Rng(0x5EED_CAFE);
        for source in PATTERNS {
            let pattern = Pattern::new(source).unwrap();
            let regex = regex::Regex::new(source).unwrap();
            let mut alphabet: Vec<char> = source.chars().filter(|c| !"^$[](){}?*+,".contains(*c)).collect();
            alphabet.extend(['é', '€', '𝄞', '\n', '\\', 'Z', '0', '9', '/', '.', '<']);
            let mut outcomes = [0; 2];
            for round in 0..6000 {
                let text: String = if round % 3 == 0 {
                    let length = [rng.below(8), rng.below(40), 250 + rng.below(70)][rng.below(3)];
                    (0..length).map(|_| alphabet[rng.below(alphabet.len())]).collect()
                } else {
                    let mut text = String::new();
                    sample(&pattern.items, &mut rng, &mut text);
                    if round % 3 == 2 && !text.is_empty() {
                        let mut chars: Vec<char> = text.chars().collect();
                        let at = rng.below(chars.len());
                        chars[at] = alphabet[rng.below(alphabet.len())];
                        text = chars.into_iter().collect();
                    }
                    text
                };
                let expected = regex.is_match(&text);
                assert_eq!(pattern.matches(&text), expected, "{source} on {text:?}");
                outcomes[usize::from(expected)] += 1;
            }
            assert!(outcomes[0] > 100 && outcomes[1] > 100, "{source}: {outcomes:?}");
        }
    }

    /// The cases the random strings reach rarely: label keys at their length limits, and a
    /// long run the pattern backtracks over.
    #[test]
    fn label_keys_are_matched_at_their_length_limits() {
        let key = Pattern::new(PATTERNS[0]).unwrap();
        let name = |n: usize| "a".repeat(n);
        assert!(key.matches(&name(63)));
        assert!(!key.matches(&name(64)));
        assert!(key.matches(&format!("{}/{}", name(253), name(63))));
        assert!(!key.matches(&format!("{}/{}", name(254), name(63))));
        assert!(!key.matches(&format!("{}-/x", name(20))));
        assert!(!key.matches("a/b/c"));
        let forbidden = Pattern::new("^[^<>\\\\]+$").unwrap();
        let long = format!("{}<", "x".repeat(1 << 20));
        assert!(!forbidden.matches(&long));
        assert!(forbidden.matches(&long[..long.len() - 1]));
    }

    #[test]
    fn patterns_outside_the_subset_are_refused() {
        let cases = [
            ("[a-z]+", "anchored at both ends"),
            ("^a$b$", "`$` is not supported here"),
            ("^a|b$", "`|` is not supported here"),
            ("^\\d+$", "`\\d` is not supported"),
            ("^.*$", "`.` is not supported here"),
            ("^(ab)+$", "a group may repeat at most once"),
            ("^(?:ab)$", "`(?` groups"),
            ("^(ab$", "a group is not closed"),
            ("^[z-a]$", "backwards"),
            ("^a{2,1}$", "malformed"),
            ("^a+?$", "lazy"),
            ("^é$", "printable ASCII"),
            ("^[a$", "ends inside"),
        ];
        for (source, why) in cases {
            let error = Pattern::new(source).unwrap_err();
            assert!(error.contains(why), "{source}: {error}");
        }
    }
}
