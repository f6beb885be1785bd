//! Rendering findings: the only module that knows output formats. Every format gets the files
//! in order with their findings, already sorted, and writes to the given writer.

mod concise;
mod full;
mod github;
mod gitlab;
mod json;
mod junit;
mod sarif;

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::diagnostic::Diagnostic;
use crate::fix::Applicability;
use crate::fix::fixer::FixPolicy;
use crate::source::SourceFile;

pub use full::{MietteDiagnostic, render_diagnostic};

/// The findings of one file, with its text for code frames and line numbers.
#[derive(Debug)]
pub struct FileReport {
    /// The file (its display name and text; empty when it could not be read).
    pub source: SourceFile,
    /// Its findings, sorted.
    pub diagnostics: Vec<Diagnostic>,
}

impl FileReport {
    /// Whether a finding is at `error`.
    pub fn failing(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == crate::diagnostic::Severity::Error)
    }
}

/// The output formats (`--output-format`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// miette's graphical report: code frame, labels, help.
    #[default]
    Full,
    /// `path:line:col: CODE [*] message`, one per line.
    Concise,
    /// A JSON array of findings.
    Json,
    /// The same objects, one per line.
    JsonLines,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations.
    Github,
    /// GitLab code quality report.
    Gitlab,
    /// JUnit XML, one test case per file.
    Junit,
}

/// How text output looks.
#[derive(Clone, Debug, Default)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// Wrap width of the graphical report.
    pub width: usize,
    /// The fixes `--fix` would apply with the flags given: those are marked `[*]`, the others
    /// say which flag would apply them.
    pub policy: FixPolicy,
}

/// How a finding's fix is offered under `policy`: `None` when `--fix` applies it, else the
/// flags that would.
pub fn fix_hint(diagnostic: &Diagnostic, policy: &FixPolicy) -> Option<String> {
    let fix = diagnostic.fix.as_ref()?;
    if policy.allows(diagnostic) {
        return None;
    }
    Some(match fix.applicability {
        Applicability::Safe => "`--fix`".to_owned(),
        Applicability::Unsafe => "`--fix --unsafe-fixes`".to_owned(),
        Applicability::Sensitive => format!("`--fix --allow-sensitive-fix {}`", diagnostic.rule.code),
        Applicability::DisplayOnly => "no flag: apply it by hand".to_owned(),
    })
}

/// The fixes that the flags given leave out, counted for the summary line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HiddenFixes {
    unsafe_count: usize,
    /// Sensitive fixes by rule code.
    sensitive: BTreeMap<&'static str, usize>,
}

impl HiddenFixes {
    /// Counts a finding whose fix the flags given leave out.
    pub fn add(&mut self, diagnostic: &Diagnostic) {
        match diagnostic.fix.as_ref().map(|f| f.applicability) {
            Some(Applicability::Unsafe) => self.unsafe_count += 1,
            Some(Applicability::Sensitive) => *self.sensitive.entry(diagnostic.rule.code).or_default() += 1,
            _ => {}
        }
    }

    /// Adds another count.
    pub fn merge(&mut self, other: &Self) {
        self.unsafe_count += other.unsafe_count;
        for (code, count) in &other.sensitive {
            *self.sensitive.entry(code).or_default() += count;
        }
    }

    /// The summary line about them, if any.
    pub fn hint(&self) -> Option<String> {
        let mut parts = Vec::new();
        if self.unsafe_count > 0 {
            parts.push(format!("{} more with `--unsafe-fixes`", self.unsafe_count));
        }
        let sensitive_count: usize = self.sensitive.values().sum();
        if sensitive_count > 0 {
            let codes: Vec<&str> = self.sensitive.keys().copied().collect();
            parts.push(format!(
                "{sensitive_count} sensitive with `--allow-sensitive-fix {}`",
                codes.join(",")
            ));
        }
        (!parts.is_empty()).then(|| format!("Fixes left out: {}.", parts.join("; ")))
    }
}

/// The counts a report's frame depends on.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// Files reported (every input, and configs or baselines with findings of their own).
    pub files: usize,
    /// Of those, files with a finding at `error`.
    pub failing: usize,
    /// No file contributed anything.
    pub empty: bool,
}

/// What surrounds the files' parts of a report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frame {
    /// Before the first part.
    pub head: Vec<u8>,
    /// Between two non-empty parts.
    pub separator: &'static [u8],
    /// After the last part.
    pub tail: Vec<u8>,
}

impl Format {
    /// How many sections the report has. Every file contributes to each, in file order; the
    /// GitHub format puts errors, then warnings, then notices, because GitHub shows only the first
    /// 50 annotations of a job.
    pub fn sections(self) -> usize {
        if self == Self::Github { 3 } else { 1 }
    }

    /// One file's part of the report, one buffer per section. Files are rendered where they are
    /// linted, in parallel, and only the bytes are kept.
    pub fn render(self, file: &FileReport, style: &Style) -> Vec<Vec<u8>> {
        match self {
            Self::Full => vec![full::render(file, style)],
            Self::Concise => vec![concise::render(file, style)],
            Self::Json => vec![json::render(file)],
            Self::JsonLines => vec![json::render_lines(file)],
            Self::Sarif => vec![sarif::render(file)],
            Self::Github => github::render(file),
            Self::Gitlab => vec![gitlab::render(file)],
            Self::Junit => vec![junit::render(file)],
        }
    }

    /// The frame of a report with these totals.
    pub fn frame(self, totals: &Totals) -> Frame {
        match self {
            Self::Json | Self::Gitlab => json::frame(totals),
            Self::Sarif => sarif::frame(totals),
            Self::Junit => junit::frame(totals),
            Self::Full | Self::Concise | Self::JsonLines | Self::Github => Frame::default(),
        }
    }
}

/// Writes the frame around a report's parts as they come: the head before the first one
/// (computed once), the separator between two, the tail (or the empty report) at the end.
#[derive(Debug)]
pub struct Framing {
    format: Format,
    /// The separator between two parts, once the head is written.
    separator: Option<&'static [u8]>,
}

impl Framing {
    /// Nothing written yet.
    pub fn new(format: Format) -> Self {
        Self {
            format,
            separator: None,
        }
    }

    /// Before a non-empty part: the head if it is the first, else the separator. `totals` are
    /// the counts so far (a format whose head counts the files writes its parts at the end).
    ///
    /// # Errors
    ///
    /// When writing fails.
    pub fn before_part(&mut self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        if let Some(separator) = self.separator {
            return out.write_all(separator);
        }
        let frame = self.format.frame(totals);
        self.separator = Some(frame.separator);
        out.write_all(&frame.head)
    }

    /// After the last part: the tail, or the whole frame of a report with no parts.
    ///
    /// # Errors
    ///
    /// When writing fails.
    pub fn end(self, out: &mut dyn Write, totals: &Totals) -> io::Result<()> {
        let empty = self.separator.is_none();
        let frame = self.format.frame(&Totals { empty, ..*totals });
        if empty {
            out.write_all(&frame.head)?;
        }
        out.write_all(&frame.tail)
    }
}

/// Writes a whole report: the frame around every file's sections.
///
/// # Errors
///
/// When writing fails (a closed pipe, for instance).
pub fn write(out: &mut dyn Write, format: Format, files: &[&FileReport], style: &Style) -> io::Result<()> {
    let parts: Vec<Vec<Vec<u8>>> = files.iter().map(|file| format.render(file, style)).collect();
    let totals = Totals {
        files: files.len(),
        failing: files.iter().filter(|f| f.failing()).count(),
        empty: false,
    };
    let mut framing = Framing::new(format);
    for section in 0..format.sections() {
        for part in parts.iter().map(|p| &p[section]).filter(|p| !p.is_empty()) {
            framing.before_part(out, &totals)?;
            out.write_all(part)?;
        }
    }
    framing.end(out, &totals)
}

/// serde_json's pretty layout (two spaces a level), written directly, for documents whose
/// member names are our own (written as they are): string values are written by
/// [`crate::escape::push_json_string`]. Members are written in name order, the order
/// serde_json's maps print them in, so that an element reads as the frame around it (printed
/// from a map) does.
struct Pretty<'a> {
    out: &'a mut Vec<u8>,
    depth: usize,
    /// Nothing is written yet in the innermost object or array.
    empty: bool,
}

impl<'a> Pretty<'a> {
    /// A writer for the next element of a part of a JSON array whose elements are `depth`
    /// levels in: elements of one part are indented and separated like those of the whole
    /// array.
    fn element(part: &'a mut Vec<u8>, depth: usize) -> Self {
        if !part.is_empty() {
            part.extend_from_slice(b",\n");
        }
        part.resize(part.len() + 2 * depth, b' ');
        Self {
            out: part,
            depth,
            empty: true,
        }
    }

    fn newline(&mut self) {
        // A line break and the indentation, in one piece for the depths reports reach.
        const LINE: &[u8; 41] = b"\n                                        ";
        let width = 2 * self.depth;
        if let Some(line) = LINE.get(..=width) {
            self.out.extend_from_slice(line);
        } else {
            self.out.push(b'\n');
            self.out.resize(self.out.len() + width, b' ');
        }
    }

    fn open(&mut self, bracket: u8) {
        self.out.push(bracket);
        self.depth += 1;
        self.empty = true;
    }

    fn close(&mut self, bracket: u8) {
        self.depth -= 1;
        if !self.empty {
            self.newline();
        }
        self.out.push(bracket);
        self.empty = false;
    }

    /// Starts an element of an array.
    fn item(&mut self) {
        if !self.empty {
            self.out.push(b',');
        }
        self.newline();
        self.empty = false;
    }

    /// Starts the member `name` of an object.
    fn key(&mut self, name: &str) {
        self.item();
        self.out.push(b'"');
        self.out.extend_from_slice(name.as_bytes());
        self.out.extend_from_slice(b"\": ");
    }

    fn string(&mut self, name: &str, value: &str) {
        self.key(name);
        crate::escape::push_json_string(self.out, value);
    }

    fn number(&mut self, name: &str, value: usize) {
        self.key(name);
        push_number(self.out, value);
    }

    /// The member `name` holding an object written by `write`.
    fn object(&mut self, name: &str, write: impl FnOnce(&mut Self)) {
        self.key(name);
        self.open(b'{');
        write(self);
        self.close(b'}');
    }

    /// The member `name` holding an array of `items`, each an object written by `write`.
    fn objects<T>(&mut self, name: &str, items: impl IntoIterator<Item = T>, mut write: impl FnMut(&mut Self, T)) {
        self.key(name);
        self.open(b'[');
        for each in items {
            self.item();
            self.open(b'{');
            write(self, each);
            self.close(b'}');
        }
        self.close(b']');
    }

    /// An element object written by `write` (see [`Pretty::element`]).
    fn top(mut self, write: impl FnOnce(&mut Self)) {
        self.open(b'{');
        write(&mut self);
        self.close(b'}');
    }
}

/// Appends `value` in decimal. Lines, columns and lengths are mostly below 1,000: their digits
/// are written as an array of known length, which the compiler copies with a move or two, where
/// a slice of `itoa`'s buffer is copied by a call.
pub(crate) fn push_number(out: &mut Vec<u8>, value: usize) {
    let digit = |n: usize| b"0123456789"[n % 10];
    match value {
        0..10 => out.push(digit(value)),
        10..100 => out.extend_from_slice(&[digit(value / 10), digit(value)]),
        100..1000 => out.extend_from_slice(&[digit(value / 100), digit(value / 10), digit(value)]),
        _ => out.extend_from_slice(itoa::Buffer::new().format(value).as_bytes()),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_as_display_writes_them() {
        let mut out = Vec::new();
        for value in (0..20_000).chain([99_999, 100_000, 4_294_967_295, usize::MAX]) {
            out.clear();
            super::push_number(&mut out, value);
            assert_eq!(out, value.to_string().as_bytes());
        }
    }
}
