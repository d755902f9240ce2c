//! Figures as PNG files (feature `png`): a [`Plot`] rasterised by plotters' bitmap backend, its
//! text set by ab_glyph from DejaVu Sans, which is bundled (`assets/fonts/`, with its licence), so
//! that no system font library is needed. The page keeps its inline SVG; a PNG is for a slide, a
//! document or a chat message.
//!
//! ```
//! use relulens::report::{plot_curves, Axes, Series};
//! let relu = Series::sample("relu", [-3.0, 3.0], 61, |x| x.max(0.0));
//! let png = plot_curves(&Axes::new("ReLU", "x", "relu(x)"), &[relu]).png(2)?;
//! assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
//! # Ok::<(), relulens::Error>(())
//! ```

use std::path::{Path, PathBuf};
use std::sync::Once;

use plotters::prelude::*;
use plotters::style::FontStyle;

use super::html::Page;
use super::plot::Plot;
use crate::error::{Error, Result};

/// DejaVu Sans 2.37 (Bitstream Vera licence, DejaVu changes in the public domain; see
/// `assets/fonts/LICENSE-DejaVu.txt`).
const FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");

/// How many times finer than the output the bitmap is drawn, for anti-aliasing.
const SUPERSAMPLE: u32 = 2;

/// The largest scale [`Plot::png`] accepts: 8 × a 640 × 420 figure is 5120 × 3360 pixels.
pub const MAX_SCALE: u32 = 8;

/// Registers the bundled font as plotters' `sans-serif`, once. Every plot names that family;
/// other styles (bold) fall back to it.
///
/// # Panics
///
/// If the bundled font does not parse, which a test rules out.
pub(crate) fn register_font() {
    static REGISTER: Once = Once::new();
    REGISTER.call_once(|| {
        if plotters::style::register_font("sans-serif", FontStyle::Normal, FONT).is_err() {
            panic!("the bundled DejaVu Sans does not parse");
        }
    });
}

impl Plot {
    /// The figure as a PNG file's bytes, `scale` times its size in pixels (2 for a sharp picture
    /// on a high-density screen or a slide): 8-bit RGB on white.
    ///
    /// # Errors
    ///
    /// [`Error::Render`] when `scale` is not in 1..=[`MAX_SCALE`], or (in principle) when plotters
    /// or the encoder fail.
    pub fn png(&self, scale: u32) -> Result<Vec<u8>> {
        if !(1..=MAX_SCALE).contains(&scale) {
            return Err(Error::Render {
                op: "png",
                reason: format!("scale {scale} is not in 1..={MAX_SCALE}"),
            });
        }
        register_font();
        let (width, height) = (self.size().0 * scale, self.size().1 * scale);
        // Plotters' bitmap backend draws lines and shapes without anti-aliasing: the drawing is
        // made SUPERSAMPLE times larger and each block of pixels averaged, so edges come out
        // smooth.
        let fine = scale * SUPERSAMPLE;
        let (fine_width, fine_height) = (self.size().0 * fine, self.size().1 * fine);
        let mut fine_pixels = vec![255u8; fine_width as usize * fine_height as usize * 3];
        {
            let mut backend =
                BitMapBackend::with_buffer(&mut fine_pixels, (fine_width, fine_height));
            self.replay(&mut backend, fine)
                .and_then(|()| backend.present())
                .map_err(|e| Error::Render {
                    op: "png",
                    reason: e.to_string(),
                })?;
        }
        let pixels = downsample(&fine_pixels, fine_width as usize, SUPERSAMPLE as usize);
        let encoding = |e: png::EncodingError| Error::Render {
            op: "png",
            reason: e.to_string(),
        };
        let mut bytes = Vec::new();
        {
            let mut encoder = png::Encoder::new(&mut bytes, width, height);
            encoder.set_color(png::ColorType::Rgb);
            encoder.set_depth(png::BitDepth::Eight);
            let mut writer = encoder.write_header().map_err(encoding)?;
            writer.write_image_data(&pixels).map_err(encoding)?;
            writer.finish().map_err(encoding)?;
        }
        Ok(bytes)
    }
}

/// RGB `pixels`, `width` wide, shrunk `factor` times in each direction: each pixel the mean of
/// a `factor` × `factor` block.
fn downsample(pixels: &[u8], width: usize, factor: usize) -> Vec<u8> {
    let height = pixels.len() / 3 / width;
    let (out_width, out_height) = (width / factor, height / factor);
    let mut out = Vec::with_capacity(out_width * out_height * 3);
    let area = (factor * factor) as u32;
    for y in 0..out_height {
        for x in 0..out_width {
            let mut sum = [0u32; 3];
            for dy in 0..factor {
                let row = (y * factor + dy) * width;
                for dx in 0..factor {
                    let i = (row + x * factor + dx) * 3;
                    for (s, &c) in sum.iter_mut().zip(&pixels[i..i + 3]) {
                        *s += u32::from(c);
                    }
                }
            }
            // Rounded to nearest, so a block of one colour keeps exactly that colour.
            out.extend(sum.map(|s| ((s + area / 2) / area) as u8));
        }
    }
    out
}

/// Writes every figure of `page` as `DIR/NAME.png` (names from [`Page::figures`]: the section's
/// id and the figure's number in it, `relu-1.png`), `scale` times its size, each file atomically;
/// returns the paths in page order.
///
/// # Errors
///
/// [`Error::Render`] for a bad `scale`; [`Error::Io`] when `dir` does not exist or a file cannot
/// be written.
///
/// # Examples
///
/// ```
/// use relulens::report::html::{Block, Page, Section};
/// use relulens::report::{plot_curves, write_pngs, Axes, Series};
/// let relu = Series::sample("relu", [-3.0, 3.0], 61, |x| x.max(0.0));
/// let mut page = Page::new("ReLU", "");
/// let plot = plot_curves(&Axes::new("ReLU", "x", "relu(x)"), &[relu]);
/// page.sections.push(Section::new("relu", "ReLU").with(Block::figure(plot, "the hinge")));
/// let dir = tempfile::tempdir().unwrap();
/// let written = write_pngs(&page, dir.path(), 1)?;
/// assert_eq!(written, vec![dir.path().join("relu-1.png")]);
/// # Ok::<(), relulens::Error>(())
/// ```
pub fn write_pngs(page: &Page, dir: &Path, scale: u32) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for (name, figure) in page.figures() {
        let path = dir.join(format!("{name}.png"));
        crate::io::write_atomic(&path, &figure.plot.png(scale)?)?;
        written.push(path);
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{plot_curves, plot_heatmap, Axes, Series};

    /// The PNG's width, height and RGB pixels.
    fn decode(bytes: &[u8]) -> (u32, u32, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a sane size")];
        let info = reader.next_frame(&mut pixels).expect("PNG data");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    fn count(pixels: &[u8], what: impl Fn([u8; 3]) -> bool) -> usize {
        pixels
            .chunks_exact(3)
            .filter(|p| what([p[0], p[1], p[2]]))
            .count()
    }

    #[test]
    fn a_png_decodes_at_its_size_and_shows_the_drawing() {
        let relu = Series::sample("relu", [-3.0, 3.0], 61, |x| x.max(0.0));
        let plot = plot_curves(&Axes::new("ReLU", "x", "relu(x)"), &[relu]);
        for scale in [1, 2] {
            let (width, height, pixels) = decode(&plot.png(scale).unwrap());
            assert_eq!((width, height), (640 * scale, 420 * scale));
            let all = (width * height) as usize;
            // Mostly white paper, but not blank: the blue line (palette 0, #1F77B4) and dark text.
            let white = count(&pixels, |p| p == [255, 255, 255]);
            assert!(white > all / 2 && white < all, "{white} of {all} white");
            let blue = count(&pixels, |p| p == [31, 119, 180]);
            assert!(blue > 300 * scale as usize, "{blue} blue pixels");
            let ink = count(&pixels, |p| p.iter().all(|&c| c < 90));
            assert!(ink > 500 * scale as usize, "{ink} dark pixels: no text?");
        }
    }

    #[test]
    fn text_is_set_from_the_bundled_font() {
        // A heat map's cells hold numbers; with no font there would be no dark pixels in them.
        let labels = vec!["a".to_string(), "b".to_string()];
        let plot = plot_heatmap(&Axes::new("m", "x", "y"), &labels, &[0.0, 0.1, 0.1, 0.0]);
        let (width, _, pixels) = decode(&plot.png(1).unwrap());
        // The first cell (white, value 0) spans x 170.., y 56..; its centre holds a "0".
        let cell = |x: u32, y: u32| {
            let i = ((y * width + x) * 3) as usize;
            [pixels[i], pixels[i + 1], pixels[i + 2]]
        };
        let dark = (200..260)
            .flat_map(|x| (80..120).map(move |y| (x, y)))
            .filter(|&(x, y)| cell(x, y).iter().all(|&c| c < 128))
            .count();
        assert!(dark > 10, "{dark} dark pixels in the first cell");
    }

    #[test]
    fn downsampling_averages_blocks() {
        // 4 × 2 pixels: a white block and a block of two black and two grey (100) pixels.
        let mut pixels = Vec::new();
        for row in [[255, 255, 0, 100], [255, 255, 100, 0]] {
            for v in row {
                pixels.extend([v, v, v]);
            }
        }
        assert_eq!(downsample(&pixels, 4, 2), vec![255, 255, 255, 50, 50, 50]);
    }

    #[test]
    fn a_scale_out_of_range_is_refused() {
        let plot = plot_curves(&Axes::new("t", "x", "y"), &[]);
        for scale in [0, MAX_SCALE + 1] {
            assert!(matches!(plot.png(scale), Err(Error::Render { .. })));
        }
    }
}
