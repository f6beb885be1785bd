//! `ctelint.toml` / `.ctelint.toml` (SPEC §9): for each file the nearest one upward wins, with
//! no implicit merge; `extend` inherits from another file explicitly. Paths and globs in a config
//! are relative to the file that holds them. Mistakes in a config are errors with the span of
//! the offending TOML, so they can be shown like any other diagnostic.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use globset::{Glob, GlobMatcher};
use serde::Deserialize;
use toml::Spanned;

use crate::diagnostic::Severity;
use crate::json::{Pointer, Span};
use crate::profile::Profile;
use crate::rules;
use crate::settings::{Selection, Selector};
use crate::source::SourceFile;

/// The file names a config may have, in order of precedence within one folder.
pub const FILE_NAMES: [&str; 2] = [".ctelint.toml", "ctelint.toml"];

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    extend: Option<Spanned<String>>,
    profile: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    include: Option<Vec<Spanned<String>>>,
    exclude: Option<Vec<Spanned<String>>>,
    jsonc: Option<Vec<Spanned<String>>>,
    unsafe_fixes: Option<bool>,
    allow_sensitive_fixes: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
    per_file_ignores: Option<BTreeMap<Spanned<String>, Vec<Spanned<String>>>>,
    overrides: Option<Vec<RawOverride>>,
    suppress: Option<Vec<Spanned<RawSuppress>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    files: Vec<Spanned<String>>,
    profile: Option<Spanned<String>>,
    select: Option<Vec<Spanned<String>>>,
    extend_select: Option<Vec<Spanned<String>>>,
    ignore: Option<Vec<Spanned<String>>>,
    severity: Option<BTreeMap<Spanned<String>, Spanned<String>>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSuppress {
    file: Spanned<String>,
    pointer: Spanned<String>,
    rules: Vec<Spanned<String>>,
    reason: Spanned<String>,
}

/// A mistake in a config file, with where it is.
#[derive(Clone, Debug)]
pub struct ConfigError {
    /// The config file, as its text and display name.
    pub source: Arc<SourceFile>,
    /// What is wrong.
    pub message: String,
    /// Where (a byte span into the TOML), when known.
    pub span: Option<Span>,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.source.name(), self.message)
    }
}

impl std::error::Error for ConfigError {}

impl miette::Diagnostic for ConfigError {
    fn code<'a>(&'a self) -> Option<Box<dyn std::fmt::Display + 'a>> {
        Some(Box::new("ctelint::config"))
    }

    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        Some(self.source.as_ref())
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = miette::LabeledSpan> + '_>> {
        let span = self.span?;
        Some(Box::new(std::iter::once(miette::LabeledSpan::new_primary_with_span(
            Some("here".to_owned()),
            span.range(),
        ))))
    }
}

/// A glob of a config, matched against paths relative to the config's folder. A pattern
/// without `/` matches a file name anywhere below it (as in `.gitignore`).
#[derive(Clone, Debug)]
pub struct Pattern {
    /// As written.
    pub text: String,
    base: PathBuf,
    matcher: GlobMatcher,
    anywhere: bool,
}

impl Pattern {
    fn new(text: &Spanned<String>, base: &Path, source: &Arc<SourceFile>) -> Result<Self, ConfigError> {
        let raw = text.get_ref();
        let anywhere = !raw.trim_end_matches('/').contains('/');
        let pattern = raw.trim_start_matches("./").trim_end_matches('/');
        let glob = Glob::new(pattern).map_err(|e| error(source, format!("invalid glob `{raw}`: {e}"), text.span()))?;
        Ok(Self {
            text: raw.clone(),
            base: base.to_path_buf(),
            matcher: glob.compile_matcher(),
            anywhere,
        })
    }

    /// Whether the pattern matches `path` (absolute), or a folder above it.
    pub fn matches(&self, path: &Path) -> bool {
        let Ok(relative) = path.strip_prefix(&self.base) else {
            return false;
        };
        if self.anywhere {
            return relative.iter().any(|part| self.matcher.is_match(part));
        }
        relative
            .ancestors()
            .filter(|a| !a.as_os_str().is_empty())
            .any(|a| self.matcher.is_match(a))
    }
}

/// One `[[suppress]]` entry.
#[derive(Clone, Debug)]
pub struct Suppression {
    /// Which files.
    pub file: Pattern,
    /// Which node (findings at it or below it).
    pub pointer: Pointer,
    /// Which rules.
    pub rules: Vec<Selector>,
    /// Why.
    pub reason: String,
    /// The config that holds it, and where.
    pub source: Arc<SourceFile>,
    /// The span of the entry in that config.
    pub span: Span,
}

impl Suppression {
    /// Whether the entry silences `diagnostic` (its file already matched): the finding is at
    /// the entry's pointer or below it, and of one of its rules.
    pub fn covers(&self, diagnostic: &crate::diagnostic::Diagnostic) -> bool {
        diagnostic.pointer.starts_with(&self.pointer) && self.rules.iter().any(|r| r.matches(diagnostic.rule))
    }
}

/// An `[[overrides]]` entry.
#[derive(Clone, Debug)]
pub struct Override {
    /// Which files.
    pub files: Vec<Pattern>,
    /// Profile for them.
    pub profile: Option<Profile>,
    /// Rules for them.
    pub layer: Selection,
    /// Severities for them.
    pub severity: Vec<(&'static str, Severity)>,
}

/// A loaded config, with everything it inherited through `extend`.
#[derive(Clone, Debug)]
pub struct Config {
    /// The files it was read from, nearest first (the file itself, then what it extends).
    pub chain: Vec<PathBuf>,
    /// `profile`.
    pub profile: Option<Profile>,
    /// `select`, `extend-select`, `ignore`.
    pub layer: Selection,
    /// `include` (default `*.json`, `*.jsonc`).
    pub include: Vec<Pattern>,
    /// `exclude`.
    pub exclude: Vec<Pattern>,
    /// `jsonc`: globs read as JSON with comments.
    pub jsonc: Vec<Pattern>,
    /// `unsafe-fixes`.
    pub unsafe_fixes: Option<bool>,
    /// `allow-sensitive-fixes`, as codes.
    pub allow_sensitive_fixes: Vec<&'static str>,
    /// `[severity]`.
    pub severity: Vec<(&'static str, Severity)>,
    /// `[per-file-ignores]`.
    pub per_file_ignores: Vec<(Pattern, Vec<Selector>)>,
    /// `[[overrides]]`.
    pub overrides: Vec<Override>,
    /// `[[suppress]]`.
    pub suppress: Vec<Arc<Suppression>>,
}

fn error(source: &Arc<SourceFile>, message: impl Into<String>, span: std::ops::Range<usize>) -> ConfigError {
    ConfigError {
        source: Arc::clone(source),
        message: message.into(),
        span: Some(Span::new(span.start, span.end)),
    }
}

fn selectors(list: &[Spanned<String>], source: &Arc<SourceFile>) -> Result<Vec<Selector>, ConfigError> {
    list.iter()
        .map(|s| Selector::parse(s.get_ref()).map_err(|e| error(source, e, s.span())))
        .collect()
}

fn patterns(
    list: Option<&Vec<Spanned<String>>>,
    base: &Path,
    source: &Arc<SourceFile>,
) -> Result<Vec<Pattern>, ConfigError> {
    list.into_iter()
        .flatten()
        .map(|p| Pattern::new(p, base, source))
        .collect()
}

fn profile(value: Option<&Spanned<String>>, source: &Arc<SourceFile>) -> Result<Option<Profile>, ConfigError> {
    value
        .map(|p| {
            Profile::parse(p.get_ref()).ok_or_else(|| {
                let names: Vec<&str> = Profile::ALL.iter().map(|p| p.name()).collect();
                error(
                    source,
                    format!(
                        "unknown profile `{}`: expected one of {}",
                        p.get_ref(),
                        names.join(", ")
                    ),
                    p.span(),
                )
            })
        })
        .transpose()
}

fn severities(
    map: Option<&BTreeMap<Spanned<String>, Spanned<String>>>,
    source: &Arc<SourceFile>,
) -> Result<Vec<(&'static str, Severity)>, ConfigError> {
    let mut out = Vec::new();
    for (rule, level) in map.into_iter().flatten() {
        let meta = rules::find(rule.get_ref()).ok_or_else(|| {
            error(
                source,
                format!(
                    "unknown rule `{}` in [severity]: `ctelint rules` lists them",
                    rule.get_ref()
                ),
                rule.span(),
            )
        })?;
        let severity = Severity::parse(level.get_ref()).ok_or_else(|| {
            error(
                source,
                format!(
                    "unknown severity `{}`: expected error, warning or info",
                    level.get_ref()
                ),
                level.span(),
            )
        })?;
        out.push((meta.code, severity));
    }
    Ok(out)
}

/// Reads a config file and what it extends.
///
/// # Errors
///
/// When a file cannot be read, is not valid TOML, holds an unknown setting, value or rule, or
/// extends itself.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    load_chain(path, &mut Vec::new())
}

fn load_chain(path: &Path, seen: &mut Vec<PathBuf>) -> Result<Config, ConfigError> {
    let absolute = crate::walk::resolved(path);
    let display = crate::walk::display_path(&absolute);
    let text = std::fs::read_to_string(&absolute).map_err(|e| ConfigError {
        source: Arc::new(SourceFile::new(display.clone(), String::new())),
        message: format!("cannot read the config file: {e}"),
        span: None,
    })?;
    let source = Arc::new(SourceFile::new(display, text));
    let raw: RawConfig = toml::from_str(source.text()).map_err(|e| ConfigError {
        source: Arc::clone(&source),
        message: e.message().to_owned(),
        span: e.span().map(|r| Span::new(r.start, r.end)),
    })?;
    let base = absolute.parent().unwrap_or(Path::new(".")).to_path_buf();
    seen.push(absolute.clone());
    let parent = match &raw.extend {
        Some(extend) => {
            let target = base.join(extend.get_ref());
            let target_abs = std::fs::canonicalize(&target).unwrap_or_else(|_| target.clone());
            if seen.contains(&target_abs) {
                return Err(error(
                    &source,
                    format!("`extend` makes a cycle through `{}`", extend.get_ref()),
                    extend.span(),
                ));
            }
            if !target.is_file() {
                return Err(error(
                    &source,
                    format!("`extend` names `{}`, which does not exist", extend.get_ref()),
                    extend.span(),
                ));
            }
            Some(load_chain(&target, seen)?)
        }
        None => None,
    };
    let mut config = build(&raw, &base, &source, absolute)?;
    if let Some(parent) = parent {
        config = inherit(config, parent, &raw);
    }
    Ok(config)
}

fn build(raw: &RawConfig, base: &Path, source: &Arc<SourceFile>, path: PathBuf) -> Result<Config, ConfigError> {
    let mut per_file_ignores = Vec::new();
    for (glob, codes) in raw.per_file_ignores.iter().flatten() {
        per_file_ignores.push((Pattern::new(glob, base, source)?, selectors(codes, source)?));
    }
    let mut overrides = Vec::new();
    for entry in raw.overrides.iter().flatten() {
        overrides.push(Override {
            files: patterns(Some(&entry.files), base, source)?,
            profile: profile(entry.profile.as_ref(), source)?,
            layer: Selection {
                select: entry.select.as_deref().map(|s| selectors(s, source)).transpose()?,
                extend_select: selectors(entry.extend_select.as_deref().unwrap_or_default(), source)?,
                ignore: selectors(entry.ignore.as_deref().unwrap_or_default(), source)?,
            },
            severity: severities(entry.severity.as_ref(), source)?,
        });
    }
    let mut suppress = Vec::new();
    for entry in raw.suppress.iter().flatten() {
        let span = Span::new(entry.span().start, entry.span().end);
        let entry = entry.get_ref();
        if entry.reason.get_ref().trim().is_empty() {
            return Err(error(
                source,
                "a suppression needs a `reason`: say why the finding is accepted",
                entry.reason.span(),
            ));
        }
        let pointer = Pointer::parse(entry.pointer.get_ref()).map_err(|e| error(source, e, entry.pointer.span()))?;
        suppress.push(Arc::new(Suppression {
            file: Pattern::new(&entry.file, base, source)?,
            pointer,
            rules: selectors(&entry.rules, source)?,
            reason: entry.reason.get_ref().clone(),
            source: Arc::clone(source),
            span,
        }));
    }
    let allow_sensitive_fixes = raw
        .allow_sensitive_fixes
        .iter()
        .flatten()
        .map(|name| {
            rules::find(name.get_ref()).map(|m| m.code).ok_or_else(|| {
                error(
                    source,
                    format!("unknown rule `{}`: `ctelint rules` lists them", name.get_ref()),
                    name.span(),
                )
            })
        })
        .collect::<Result<_, _>>()?;
    let include = patterns(raw.include.as_ref(), base, source)?;
    Ok(Config {
        chain: vec![path],
        profile: profile(raw.profile.as_ref(), source)?,
        layer: Selection {
            select: raw.select.as_deref().map(|s| selectors(s, source)).transpose()?,
            extend_select: selectors(raw.extend_select.as_deref().unwrap_or_default(), source)?,
            ignore: selectors(raw.ignore.as_deref().unwrap_or_default(), source)?,
        },
        include,
        exclude: patterns(raw.exclude.as_ref(), base, source)?,
        jsonc: patterns(raw.jsonc.as_ref(), base, source)?,
        unsafe_fixes: raw.unsafe_fixes,
        allow_sensitive_fixes,
        severity: severities(raw.severity.as_ref(), source)?,
        per_file_ignores,
        overrides,
        suppress,
    })
}

/// `child` extends `parent`: what the child sets wins; lists of entries (`extend-select`,
/// `[per-file-ignores]`, `[[overrides]]`, `[[suppress]]`, `[severity]`) are the parent's
/// followed by the child's.
fn inherit(mut child: Config, parent: Config, raw: &RawConfig) -> Config {
    child.chain.extend(parent.chain);
    child.profile = child.profile.or(parent.profile);
    if raw.select.is_none() {
        child.layer.select = parent.layer.select;
    }
    child.layer.extend_select = [parent.layer.extend_select, child.layer.extend_select].concat();
    if raw.ignore.is_none() {
        child.layer.ignore = parent.layer.ignore;
    }
    if raw.include.is_none() {
        child.include = parent.include;
    }
    if raw.exclude.is_none() {
        child.exclude = parent.exclude;
    }
    if raw.jsonc.is_none() {
        child.jsonc = parent.jsonc;
    }
    child.unsafe_fixes = child.unsafe_fixes.or(parent.unsafe_fixes);
    if raw.allow_sensitive_fixes.is_none() {
        child.allow_sensitive_fixes = parent.allow_sensitive_fixes;
    }
    child.severity = [parent.severity, child.severity].concat();
    child.per_file_ignores = [parent.per_file_ignores, child.per_file_ignores].concat();
    child.overrides = [parent.overrides, child.overrides].concat();
    child.suppress = [parent.suppress, child.suppress].concat();
    child
}

/// Where configs come from.
#[derive(Clone, Debug)]
pub enum Source {
    /// The nearest `ctelint.toml` or `.ctelint.toml` above each file.
    Discover,
    /// One file for everything (`--config`).
    File(Arc<Config>),
    /// None at all (`--isolated`).
    Isolated,
}

/// Finds and caches the config of each folder.
#[derive(Debug)]
pub struct Resolver {
    source: Source,
    /// By resolved folder.
    cache: Mutex<foldhash::HashMap<PathBuf, Option<Arc<Config>>>>,
    /// By folder as the path was given.
    by_given: Mutex<foldhash::HashMap<Vec<u8>, Option<Arc<Config>>>>,
    /// Folders as given (their paths' bytes), with their links resolved.
    folders: Mutex<foldhash::HashMap<Vec<u8>, PathBuf>>,
}

impl Resolver {
    /// A resolver for `source`.
    pub fn new(source: Source) -> Self {
        Self {
            source,
            cache: Mutex::default(),
            by_given: Mutex::default(),
            folders: Mutex::default(),
        }
    }

    /// [`crate::walk::resolved`] of `path`, with each folder resolved once: from its parent's
    /// resolved form when it is not a link itself (one `lstat` instead of resolving every
    /// component of its path again).
    pub fn resolved(&self, path: &Path) -> PathBuf {
        match (path.parent(), path.file_name()) {
            (Some(parent), Some(name)) => {
                let parent = if parent.as_os_str().is_empty() {
                    Path::new(".")
                } else {
                    parent
                };
                self.resolved_folder(parent).join(name)
            }
            _ => crate::walk::resolved(path),
        }
    }

    fn resolved_folder(&self, dir: &Path) -> PathBuf {
        let key = dir.as_os_str().as_encoded_bytes();
        if let Some(known) = self.folders.lock().ok().and_then(|folders| folders.get(key).cloned()) {
            return known;
        }
        let canonical = || {
            let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            std::fs::canonicalize(&absolute).unwrap_or(absolute)
        };
        let resolved = match (dir.parent(), dir.components().next_back()) {
            (Some(parent), Some(std::path::Component::Normal(name))) if !parent.as_os_str().is_empty() => {
                let parent = self.resolved_folder(parent);
                match std::fs::symlink_metadata(dir) {
                    Ok(meta) if !meta.file_type().is_symlink() => parent.join(name),
                    _ => canonical(),
                }
            }
            _ => canonical(),
        };
        if let Ok(mut folders) = self.folders.lock() {
            folders.insert(key.to_vec(), resolved.clone());
        }
        resolved
    }

    /// The config that applies to `path` (a file), if any.
    ///
    /// # Errors
    ///
    /// When the nearest config is broken.
    pub fn config_for(&self, path: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        match &self.source {
            Source::Isolated => Ok(None),
            Source::File(config) => Ok(Some(Arc::clone(config))),
            Source::Discover => {
                // Most files share a folder: look the folder up as given (the path up to and
                // with its last separator) before resolving links.
                let bytes = path.as_os_str().as_encoded_bytes();
                let folder = bytes.iter().rposition(|&b| std::path::is_separator(char::from(b)));
                let given = &bytes[..folder.map_or(0, |at| at + 1)];
                if let Some(found) = self.by_given.lock().map_err(|_| poisoned())?.get(given) {
                    return Ok(found.clone());
                }
                let absolute = self.resolved(path);
                let Some(dir) = absolute.parent() else { return Ok(None) };
                let found = self.discover(dir)?;
                self.by_given
                    .lock()
                    .map_err(|_| poisoned())?
                    .insert(given.to_vec(), found.clone());
                Ok(found)
            }
        }
    }

    fn discover(&self, dir: &Path) -> Result<Option<Arc<Config>>, ConfigError> {
        if let Some(found) = self.cache.lock().map_err(|_| poisoned())?.get(dir) {
            return Ok(found.clone());
        }
        let here = FILE_NAMES
            .iter()
            .map(|name| dir.join(name))
            .find(|candidate| candidate.is_file());
        let found = match here {
            Some(file) => Some(Arc::new(load(&file)?)),
            None => match dir.parent() {
                Some(parent) => self.discover(parent)?,
                None => None,
            },
        };
        self.cache
            .lock()
            .map_err(|_| poisoned())?
            .insert(dir.to_path_buf(), found.clone());
        Ok(found)
    }
}

fn poisoned() -> ConfigError {
    ConfigError {
        source: Arc::new(SourceFile::new("ctelint.toml", String::new())),
        message: "config cache poisoned".to_owned(),
        span: None,
    }
}
