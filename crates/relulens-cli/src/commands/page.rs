//! What `tour` and `explain` share: progress on stderr, and writing DIR/index.html (and, asked,
//! the figures as PNG) atomically.

use std::cell::Cell;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;

/// Progress on stderr: a spinner with the current step, which turns into a bar while a network
/// trains (one tick per epoch). Hidden when quiet or when stderr is not a terminal, so logs, pipes
/// and `--json` output stay clean.
pub struct Feedback {
    bar: indicatif::ProgressBar,
    /// Whether the bar is counting epochs (else it spins).
    counting: Cell<bool>,
}

impl Feedback {
    /// A spinner, or a hidden one when `quiet` or when stderr is not a terminal.
    pub fn new(quiet: bool) -> Feedback {
        let feedback = Feedback {
            bar: indicatif::ProgressBar::hidden(),
            counting: Cell::new(false),
        };
        if quiet || !std::io::stderr().is_terminal() {
            return feedback;
        }
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(spinner_style());
        bar.enable_steady_tick(Duration::from_millis(120));
        Feedback { bar, ..feedback }
    }

    /// A bar for training only: `epochs` long, its prefix `prefix` (`training on penguins`).
    pub fn epochs(quiet: bool, prefix: String, epochs: usize) -> Feedback {
        let feedback = Feedback::new(quiet);
        feedback.epoch(&prefix, 0, epochs);
        feedback
    }

    /// A step begins: the spinner shows `words`.
    pub fn step(&self, words: impl Into<std::borrow::Cow<'static, str>>) {
        if self.counting.replace(false) {
            self.bar.set_style(spinner_style());
            self.bar.set_length(0);
            self.bar.set_position(0);
        }
        self.bar.set_message(words);
    }

    /// `epoch` of `epochs` has ended, training what `prefix` says.
    pub fn epoch(&self, prefix: &str, epoch: usize, epochs: usize) {
        if !self.counting.replace(true) || self.bar.length() != Some(epochs as u64) {
            self.bar.set_style(bar_style());
            self.bar.set_length(epochs as u64);
            self.bar.set_message("");
        }
        if self.bar.prefix() != prefix {
            self.bar.set_prefix(prefix.to_string());
        }
        self.bar.set_position(epoch as u64);
    }

    /// A note after the count (`loss 0.1234`).
    pub fn note(&self, words: String) {
        self.bar.set_message(format!(" {words}"));
    }

    /// Clears the line, before the summary is printed.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

fn spinner_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
        .expect("a valid template")
}

fn bar_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(
        "{prefix} [{bar:30}] {pos}/{len} epochs{msg} ({elapsed})",
    )
    .expect("a valid template")
    .progress_chars("=> ")
}

/// How much larger than on the page the PNG figures are drawn: 2 keeps them sharp on a
/// high-density screen or a slide.
pub const PNG_SCALE: u32 = 2;

/// Writes `page` to `dir/index.html` (making `dir` if needed) atomically and, with `png`, every
/// figure as a PNG beside it; returns the page's path and the PNGs'.
pub fn write_page(
    feedback: &Feedback,
    page: &relulens::report::html::Page,
    dir: &Path,
    png: bool,
) -> anyhow::Result<(PathBuf, Vec<PathBuf>)> {
    feedback.step("writing the page");
    std::fs::create_dir_all(dir).with_context(|| {
        format!(
            "cannot make the directory {} for the page; choose another with --out",
            dir.display()
        )
    })?;
    let path = dir.join("index.html");
    relulens::io::write_atomic(&path, page.to_html().as_bytes())?;
    if !png {
        return Ok((path, Vec::new()));
    }
    feedback.step("drawing the figures as PNG");
    let pngs = relulens::report::write_pngs(page, dir, PNG_SCALE)
        .with_context(|| format!("cannot write the figures as PNG into {}", dir.display()))?;
    Ok((path, pngs))
}

/// `--json`: one line `{"path": …, "png": […], "summary": …}`.
pub fn print_json(
    out: &mut impl std::io::Write,
    path: &Path,
    pngs: &[PathBuf],
    summary: &impl serde::Serialize,
) -> anyhow::Result<()> {
    let pngs: Vec<String> = pngs.iter().map(|p| shown(p)).collect();
    let doc = serde_json::json!({ "path": shown(path), "png": pngs, "summary": summary });
    serde_json::to_writer(&mut *out, &doc)?;
    writeln!(out)?;
    Ok(())
}

/// The text summary's last lines: where the PNG figures went, if any, and the page to open.
pub fn print_where(
    out: &mut impl std::io::Write,
    dir: &Path,
    path: &Path,
    pngs: &[PathBuf],
) -> anyhow::Result<()> {
    if !pngs.is_empty() {
        writeln!(
            out,
            "  {} figures also written as PNG in {}",
            pngs.len(),
            shown(dir)
        )?;
    }
    writeln!(out, "Open {} in a browser.", shown(path))?;
    Ok(())
}

/// The path as the user can paste it: absolute when it can be resolved.
pub fn shown(path: &Path) -> String {
    std::fs::canonicalize(path)
        .unwrap_or_else(|_| path.to_path_buf())
        .display()
        .to_string()
}
