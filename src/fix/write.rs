//! Writing a fixed file: atomically (a temporary file in the same folder, then a rename), through
//! symbolic links, keeping the file's permissions and, where allowed, its owner.

use std::fs;
use std::io::{self, Write};
use std::path::Path;

/// Replaces the contents of `path` with `contents`. A symbolic link is followed, so the link
/// stays a link and its target is rewritten; the target's mode is kept. Either the whole new
/// text is in place or the old file is untouched.
///
/// # Errors
///
/// When the file or its folder cannot be read or written.
pub fn write_atomic(path: &Path, contents: &[u8]) -> io::Result<()> {
    let target = fs::canonicalize(path)?;
    let metadata = fs::metadata(&target)?;
    replace(&target, contents, Some(&metadata))
}

/// Writes `contents` to `path` atomically, creating the file when it does not exist (a
/// baseline, for instance) with mode 0644; an existing file is written as by [`write_atomic`].
///
/// # Errors
///
/// When the folder cannot be written.
pub fn write_new(path: &Path, contents: &[u8]) -> io::Result<()> {
    if path.exists() {
        return write_atomic(path, contents);
    }
    replace(&std::path::absolute(path)?, contents, None)
}

/// Writes a temporary file beside `target` with the permissions and owner of `existing` (or
/// 0644 for a new file), then renames it over `target`.
fn replace(target: &Path, contents: &[u8], existing: Option<&fs::Metadata>) -> io::Result<()> {
    let dir = target
        .parent()
        .ok_or_else(|| io::Error::other("the file has no parent folder"))?;
    let mut temporary = tempfile::Builder::new()
        .prefix(".ctelint-")
        .suffix(".tmp")
        .tempfile_in(dir)?;
    temporary.write_all(contents)?;
    match existing {
        Some(metadata) => {
            temporary.as_file().set_permissions(metadata.permissions())?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::MetadataExt;
                // Best effort: only root may give a file away, and keeping our own uid is fine.
                let _ = std::os::unix::fs::fchown(temporary.as_file(), Some(metadata.uid()), Some(metadata.gid()));
            }
        }
        None => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                // A new file gets the usual 0644 rather than tempfile's 0600.
                temporary.as_file().set_permissions(fs::Permissions::from_mode(0o644))?;
            }
        }
    }
    temporary.as_file().sync_all()?;
    temporary.persist(target).map_err(|e| e.error)?;
    if let Ok(folder) = fs::File::open(dir) {
        let _ = folder.sync_all();
    }
    Ok(())
}
