//! Atomic file writes: the bytes go to a fresh temporary file in the target's directory, are flushed
//! to disk, and the temporary file is renamed over the target. A reader sees the old file or the new
//! one, never a partial one; on any error the temporary file is removed.
//!
//! The temporary file must sit in the same directory: a rename is atomic only within one file system.
//!
//! ```
//! # let dir = std::env::temp_dir().join(format!("relulens-atomic-doc-{}", std::process::id()));
//! # std::fs::create_dir_all(&dir).unwrap();
//! let path = dir.join("hello.txt");
//! relulens::io::write_atomic(&path, b"hello")?;
//! assert_eq!(std::fs::read(&path).unwrap(), b"hello");
//! # std::fs::remove_dir_all(&dir).unwrap();
//! # Ok::<(), relulens::Error>(())
//! ```

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use super::io_error;
use crate::error::Result;

/// Distinguishes temporary files of one process; the process id distinguishes processes.
static COUNTER: AtomicU64 = AtomicU64::new(0);

/// Removes the temporary file when dropped, unless it was renamed into place.
struct TempFile {
    path: PathBuf,
    done: bool,
}

impl Drop for TempFile {
    fn drop(&mut self) {
        if !self.done {
            // Best effort: the error being returned matters more than a failed clean-up.
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Writes `bytes` to `path` atomically, replacing any file there.
///
/// The new file gets the permissions a newly created file gets, not those of the file it replaces.
///
/// # Errors
///
/// [`Error::Io`](crate::Error::Io) when the directory does not exist or is not writable, the disk is
/// full, or the rename fails (for example when `path` is a directory). Nothing is left behind then.
pub fn write_atomic(path: impl AsRef<Path>, bytes: &[u8]) -> Result<()> {
    let path = path.as_ref();
    let name = path
        .file_name()
        .ok_or_else(|| {
            io_error(
                "write",
                path,
                &std::io::Error::new(std::io::ErrorKind::InvalidInput, "the path names no file"),
            )
        })?
        .to_string_lossy();
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let (file, mut temp) = create_temp(dir, &name).map_err(|e| io_error("write", path, &e))?;
    write_and_sync(file, bytes).map_err(|e| io_error("write", &temp.path, &e))?;
    std::fs::rename(&temp.path, path).map_err(|e| io_error("replace", path, &e))?;
    temp.done = true;
    sync_dir(dir);
    Ok(())
}

/// A new file `.{name}.{pid}.{n}.tmp` in `dir`, created exclusively so no other file is overwritten.
fn create_temp(dir: &Path, name: &str) -> std::io::Result<(File, TempFile)> {
    loop {
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".{name}.{}.{n}.tmp", std::process::id()));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(file) => return Ok((file, TempFile { path, done: false })),
            // A stale file from a crashed process with the same id: try the next number.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
}

fn write_and_sync(mut file: File, bytes: &[u8]) -> std::io::Result<()> {
    file.write_all(bytes)?;
    file.sync_all()
}

/// Flushes the directory entry of the rename, so it survives a crash. Not every platform or file
/// system can sync a directory, and the file itself is already safe, so failures are ignored.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.bin");
        write_atomic(&path, &[1u8; 1000]).unwrap();
        write_atomic(&path, b"short").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1);
    }

    #[test]
    fn a_failed_rename_removes_the_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("sub");
        std::fs::create_dir(&target).unwrap();
        std::fs::write(target.join("keep"), b"x").unwrap();
        // Renaming a file over a non-empty directory fails.
        let err = write_atomic(&target, b"data").unwrap_err();
        assert!(err.to_string().contains("sub"), "{err}");
        let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
        assert_eq!(names.len(), 1, "only the directory remains");
    }
}
