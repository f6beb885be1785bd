//! File selection (SPEC §2): the paths named on the command line, directories walked
//! recursively with `.gitignore`, `.ignore` and `.git/info/exclude` honoured (inside a git
//! repository or not), `*.json` and `*.jsonc` included, and reading with a size limit.

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{WalkBuilder, WalkState};

/// Files larger than this are reported instead of read, unless `--max-file-size` says otherwise.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 16 << 20;

/// Why a symbolic link cannot be followed, when `path` is one that cannot: it leads back to
/// itself, or to nothing.
fn link_problem(path: &Path) -> Option<&'static str> {
    if !fs::symlink_metadata(path).ok()?.file_type().is_symlink() || fs::metadata(path).is_ok() {
        return None;
    }
    let mut seen = vec![path.to_path_buf()];
    let mut current = path.to_path_buf();
    while let Ok(target) = fs::read_link(&current) {
        let next = current.parent().unwrap_or(Path::new(".")).join(target);
        if seen.contains(&next) || seen.len() > 40 {
            return Some("symbolic link loop: the link leads back to itself");
        }
        seen.push(next.clone());
        current = next;
    }
    Some("broken symbolic link: its target does not exist")
}

/// Directories never walked: version-control internals.
const SKIPPED_DIRS: [&str; 3] = [".git", ".hg", ".svn"];

/// A file to lint, or a path that could not be walked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A file.
    File {
        /// Where it is.
        path: PathBuf,
        /// How outputs name it: relative to the working directory, forward slashes.
        display: String,
        /// The walk saw a regular file (named files are checked when they are read).
        regular: bool,
    },
    /// Something the walk could not enter or follow (a symlink loop, an unreadable directory).
    Error {
        /// How outputs name it.
        display: String,
        /// What went wrong.
        message: String,
    },
}

impl Entry {
    /// The display name.
    pub fn display(&self) -> &str {
        match self {
            Self::File { display, .. } | Self::Error { display, .. } => display,
        }
    }
}

/// A path given on the command line that does not exist.
#[derive(Debug)]
pub struct MissingPath(pub PathBuf);

/// How outputs name `path`: relative to the working directory when under it, forward slashes,
/// no leading `./`.
pub fn display_path(path: &Path) -> String {
    static CWD: OnceLock<Option<PathBuf>> = OnceLock::new();
    // Walked paths are usually relative already: only an absolute one is made relative.
    let relative = if path.is_absolute() {
        CWD.get_or_init(|| std::env::current_dir().ok())
            .as_deref()
            .and_then(|cwd| path.strip_prefix(cwd).ok())
            .unwrap_or(path)
    } else {
        path
    };
    // `to_str` checks UTF-8 faster than `to_string_lossy` does, and paths are nearly always UTF-8.
    let text = relative
        .to_str()
        .map_or_else(|| relative.to_string_lossy(), std::borrow::Cow::Borrowed);
    let trimmed = text.trim_start_matches("./");
    if trimmed.is_empty() {
        ".".to_owned()
    } else if trimmed.contains('\\') {
        trimmed.replace('\\', "/")
    } else {
        trimmed.to_owned()
    }
}

/// The absolute form of `path`, its folder's symbolic links resolved (so configs and the files
/// they govern compare alike); a link to a file stays where it is.
pub fn resolved(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent).map_or(absolute.clone(), |dir| dir.join(name)),
        _ => absolute,
    }
}

/// Whether walking should pick up this file (by its name's extension).
pub fn is_included(path: impl AsRef<Path>) -> bool {
    path.as_ref()
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json") || e.eq_ignore_ascii_case("jsonc"))
}

/// Collects the files to lint under `paths`, sorted by display name. `keep(path, explicit)`
/// decides which files stay (`include`/`exclude`; walked files must pass it, and with no
/// config it keeps `*.json` and `*.jsonc`). Files named explicitly are kept unless
/// `force_exclude` is set and an ignore file excludes them, or `keep` refuses them.
///
/// # Errors
///
/// When a path does not exist.
pub fn collect(
    paths: &[PathBuf],
    force_exclude: bool,
    keep: &(dyn Fn(&Path, bool) -> bool + Sync),
) -> Result<Vec<Entry>, MissingPath> {
    let mut entries = Vec::new();
    for path in paths {
        let Ok(metadata) = fs::symlink_metadata(path) else {
            return Err(MissingPath(path.clone()));
        };
        let is_dir = metadata.is_dir() || metadata.file_type().is_symlink() && path.is_dir();
        if !is_dir {
            if !(force_exclude && is_ignored(path)) && keep(path, true) {
                entries.push(Entry::File {
                    path: path.clone(),
                    display: display_path(path),
                    regular: false,
                });
            }
            continue;
        }
        walk_dir(path, &mut entries, keep);
    }
    entries.sort_by(|a, b| a.display().cmp(b.display()));
    // A file both named and walked is linted once (the walk's `regular` hint aside). Names are
    // compared first: paths compare component by component, and most neighbours differ.
    entries.dedup_by(|a, b| match (&*a, &*b) {
        (
            Entry::File {
                path: p, display: d, ..
            },
            Entry::File {
                path: q, display: e, ..
            },
        ) => d == e && p == q,
        _ => a == b,
    });
    Ok(entries)
}

/// Walks `root` on several threads (the order does not matter: entries are sorted after).
fn walk_dir(root: &Path, entries: &mut Vec<Entry>, keep: &(dyn Fn(&Path, bool) -> bool + Sync)) {
    let found = Mutex::new(Vec::new());
    WalkBuilder::new(root)
        .hidden(false)
        .require_git(false)
        .follow_links(true)
        .filter_entry(|entry| {
            !(entry.file_type().is_some_and(|t| t.is_dir())
                && SKIPPED_DIRS.iter().any(|skipped| entry.file_name() == *skipped))
        })
        .build_parallel()
        .run(|| {
            let found = &found;
            Box::new(move |item| {
                if let Some(entry) = walked(root, item, keep) {
                    found.lock().unwrap_or_else(PoisonError::into_inner).push(entry);
                }
                WalkState::Continue
            })
        });
    entries.append(&mut found.into_inner().unwrap_or_else(PoisonError::into_inner));
}

/// What one step of the walk of `root` yields: a file `keep` keeps, or a problem.
fn walked(
    root: &Path,
    item: Result<ignore::DirEntry, ignore::Error>,
    keep: &(dyn Fn(&Path, bool) -> bool + Sync),
) -> Option<Entry> {
    match item {
        Ok(entry) => {
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            if is_dir || !keep(entry.path(), false) {
                return None;
            }
            let regular = entry.file_type().is_some_and(|t| t.is_file());
            let path = entry.into_path();
            Some(Entry::File {
                display: display_path(&path),
                path,
                regular,
            })
        }
        Err(error) => {
            let path = error_path(&error);
            let display = path.map_or_else(|| display_path(root), display_path);
            let message = path
                .and_then(link_problem)
                .map_or_else(|| describe_walk_error(&error), str::to_owned);
            Some(Entry::Error { display, message })
        }
    }
}

fn error_path(error: &ignore::Error) -> Option<&Path> {
    match error {
        ignore::Error::WithPath { path, .. } => Some(path),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => error_path(err),
        ignore::Error::Loop { child, .. } => Some(child),
        _ => None,
    }
}

fn describe_walk_error(error: &ignore::Error) -> String {
    match error {
        ignore::Error::Loop { ancestor, .. } => {
            format!("symbolic link loop: it leads back to `{}`", display_path(ancestor))
        }
        ignore::Error::WithPath { err, .. }
        | ignore::Error::WithDepth { err, .. }
        | ignore::Error::WithLineNumber { err, .. } => describe_walk_error(err),
        ignore::Error::Io(io) => io.to_string().to_lowercase(),
        other => other.to_string(),
    }
}

/// Whether `.gitignore`, `.ignore` or `.git/info/exclude` files in the file's ancestors
/// exclude it (what `--force-exclude` applies to explicitly named files).
pub fn is_ignored(path: &Path) -> bool {
    let Ok(absolute) = std::path::absolute(path) else {
        return false;
    };
    let mut dir = absolute.parent();
    while let Some(current) = dir {
        let mut builder = GitignoreBuilder::new(current);
        for name in [".gitignore", ".ignore", ".git/info/exclude"] {
            let file = current.join(name);
            if file.is_file() {
                builder.add(file);
            }
        }
        let matcher: Gitignore = builder.build().unwrap_or_else(|_| Gitignore::empty());
        let verdict = matcher.matched_path_or_any_parents(&absolute, false);
        if verdict.is_ignore() {
            return true;
        }
        if verdict.is_whitelist() {
            return false;
        }
        dir = current.parent();
    }
    false
}

/// Why a file was not read.
#[derive(Debug, PartialEq, Eq)]
pub struct ReadError(pub String);

/// Reads a file of at most `max` bytes. FIFOs and devices are refused before they are opened,
/// so a named pipe in the tree cannot block the run.
///
/// # Errors
///
/// A broken link, a file that is not a regular file, a file over the limit, or an I/O error.
pub fn read_limited(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    read(path, max, false)
}

/// [`read_limited`] for a file the walk saw as a regular file: it is opened without looking the
/// path up first.
///
/// # Errors
///
/// As [`read_limited`].
pub fn read_walked(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    read(path, max, true)
}

fn read(path: &Path, max: u64, regular: bool) -> Result<Vec<u8>, ReadError> {
    let unreadable =
        |error: &std::io::Error| ReadError(link_problem(path).map_or_else(|| describe_io(error), str::to_owned));
    let not_regular = || ReadError("not a regular file (a directory, FIFO, socket or device)".to_owned());
    if !regular && !fs::metadata(path).map_err(|e| unreadable(&e))?.is_file() {
        return Err(not_regular());
    }
    let file = fs::File::open(path).map_err(|e| unreadable(&e))?;
    // The descriptor's size, not the path's: one lookup fewer, and it is the file being read.
    let metadata = file.metadata().map_err(|e| unreadable(&e))?;
    if !metadata.is_file() {
        return Err(not_regular());
    }
    if metadata.len() > max {
        return Err(ReadError(format!(
            "file is {} bytes, over the size limit of {max} bytes (raise it with `--max-file-size`)",
            metadata.len()
        )));
    }
    let size = metadata.len();
    // The file as it was when its size was taken: reading it to its end would ask the system a
    // second time, to learn that there is nothing more. Files whose size the system does not
    // know (`/proc`'s) are read to the end, within the limit.
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(if size > 0 { size } else { max + 1 })
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError(describe_io(&e)))?;
    if bytes.len() as u64 > max {
        return Err(ReadError(format!(
            "file grew past the size limit of {max} bytes while being read"
        )));
    }
    Ok(bytes)
}

fn describe_io(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::PermissionDenied => "cannot read the file: permission denied".to_owned(),
        std::io::ErrorKind::NotFound => "the file disappeared before it could be read".to_owned(),
        _ => format!("cannot read the file: {}", error.to_string().to_lowercase()),
    }
}
