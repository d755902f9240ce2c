//! What `tour` and `explain` share: progress on stderr, and writing DIR/index.html (and, asked,
//! the figures as PNG) atomically.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// A spinner on stderr that shows the current step, hidden when quiet or when stderr is not a
/// terminal (logs and pipes stay clean).
pub fn spinner(quiet: bool) -> indicatif::ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .expect("a valid template"),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}

/// Writes `html` to `dir/index.html` (making `dir` if needed) atomically, and returns the path.
pub fn write_index(dir: &Path, html: &str) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot make the directory {}", dir.display()))?;
    let path = dir.join("index.html");
    relulens::io::write_atomic(&path, html.as_bytes())?;
    Ok(path)
}

/// How much larger than on the page the PNG figures are drawn: 2 keeps them sharp on a
/// high-density screen or a slide.
pub const PNG_SCALE: u32 = 2;

/// With `png`, writes every figure of `page` as a PNG into `dir` and returns the paths.
pub fn write_pngs(
    png: bool,
    page: &relulens::report::html::Page,
    dir: &Path,
) -> anyhow::Result<Vec<PathBuf>> {
    if !png {
        return Ok(Vec::new());
    }
    relulens::report::write_pngs(page, dir, PNG_SCALE)
        .with_context(|| format!("cannot write the figures as PNG into {}", dir.display()))
}

/// The path as the user can paste it: absolute when it can be resolved.
pub fn shown(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
