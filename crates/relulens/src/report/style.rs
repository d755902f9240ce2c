//! What every plot shares: the figure's size and titles, colours (stable ones for activation
//! patterns), number formatting, and one helper that sets up a chart on a recorded drawing.

use plotters::chart::MeshStyle;
use plotters::coord::ranged1d::ValueFormatter;
use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;

use crate::explain::ActivationPattern;

use super::plot::{record, Plot, Recorder};
pub(crate) use super::plot::{Area, DrawResult};

/// The chart type every plot draws on: f64 × f64 Cartesian coordinates on a recorded drawing.
pub(crate) type Chart<'a, 'b> =
    ChartContext<'a, Recorder<'b>, Cartesian2d<RangedCoordf64, RangedCoordf64>>;

/// A plot's title, axis labels and size in pixels (the page scales it to the screen's width).
#[derive(Debug, Clone, PartialEq)]
pub struct Axes {
    /// The title above the plot.
    pub title: String,
    /// The horizontal axis's label.
    pub x_label: String,
    /// The vertical axis's label.
    pub y_label: String,
    /// Width and height in pixels (default 640 × 420).
    pub size: (u32, u32),
}

impl Axes {
    /// Axes with a title and labels, at the default size.
    pub fn new(
        title: impl Into<String>,
        x_label: impl Into<String>,
        y_label: impl Into<String>,
    ) -> Axes {
        Axes {
            title: title.into(),
            x_label: x_label.into(),
            y_label: y_label.into(),
            size: (640, 420),
        }
    }

    /// The same axes at another size.
    pub fn with_size(mut self, width: u32, height: u32) -> Axes {
        self.size = (width.max(100), height.max(80));
        self
    }
}

/// A named curve: points joined in order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The legend's text.
    pub label: String,
    /// The points, (x, y).
    pub points: Vec<[f64; 2]>,
}

impl Series {
    /// A series from its label and points.
    pub fn new(label: impl Into<String>, points: Vec<[f64; 2]>) -> Series {
        Series {
            label: label.into(),
            points,
        }
    }

    /// `f` at `n` evenly spaced points of `[from, to]`, both ends included (n ≥ 2).
    pub fn sample(
        label: impl Into<String>,
        [from, to]: [f64; 2],
        n: usize,
        f: impl Fn(f64) -> f64,
    ) -> Series {
        let n = n.max(2);
        let points = (0..n)
            .map(|i| {
                let x = from + (to - from) * i as f64 / (n - 1) as f64;
                [x, f(x)]
            })
            .collect();
        Series::new(label, points)
    }
}

/// Lines and points: a qualitative palette that stays readable on white and on pastel regions.
pub(crate) const PALETTE: [RGBColor; 8] = [
    RGBColor(31, 119, 180),
    RGBColor(214, 39, 40),
    RGBColor(44, 160, 44),
    RGBColor(255, 127, 14),
    RGBColor(148, 103, 189),
    RGBColor(140, 86, 75),
    RGBColor(227, 119, 194),
    RGBColor(23, 190, 207),
];

/// The palette's colours in words, for captions.
pub(crate) const COLOR_NAMES: [&str; 8] = [
    "blue", "red", "green", "orange", "purple", "brown", "pink", "cyan",
];

/// The colour of the n-th line.
pub(crate) fn line_color(n: usize) -> RGBColor {
    PALETTE[n % PALETTE.len()]
}

/// The ink of text, axes and decision boundaries.
pub(crate) const INK: RGBColor = RGBColor(30, 30, 30);

/// A pale, stable colour for an activation pattern: the same pattern gets the same colour in every
/// plot and every run, because the hue comes from FNV-1a of the pattern's printed form (std's
/// hasher is not guaranteed stable across Rust versions).
pub fn pattern_color(pattern: &ActivationPattern) -> (u8, u8, u8) {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in pattern.to_string().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    let hue = (hash % 360) as f64;
    // Two lightness levels so that neighbours of similar hue still differ.
    let lightness = if (hash >> 20) & 1 == 0 { 0.80 } else { 0.88 };
    hsl_to_rgb(hue, 0.55, lightness)
}

/// HSL (hue in degrees, saturation and lightness in [0, 1]) to 8-bit RGB.
fn hsl_to_rgb(hue: f64, saturation: f64, lightness: f64) -> (u8, u8, u8) {
    let c = (1.0 - (2.0 * lightness - 1.0).abs()) * saturation;
    let h = hue / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = lightness - c / 2.0;
    let byte = |v: f64| ((v + m) * 255.0).round().clamp(0.0, 255.0) as u8;
    (byte(r), byte(g), byte(b))
}

/// The grid every chart shares: six labels a side unless the caller says otherwise, numbers
/// written as in the text, ink-coloured labels and light rules.
pub(crate) fn grid<'m, 'a, 'b, X, Y, DB>(
    mesh: &'m mut MeshStyle<'a, 'b, X, Y, DB>,
) -> &'m mut MeshStyle<'a, 'b, X, Y, DB>
where
    X: Ranged<ValueType = f64> + ValueFormatter<f64>,
    Y: Ranged<ValueType = f64> + ValueFormatter<f64>,
    DB: DrawingBackend,
{
    fn label(v: &f64) -> String {
        super::html::typeset(&number(*v))
    }
    mesh.y_labels(6)
        .x_label_formatter(&label)
        .y_label_formatter(&label)
        .label_style(("sans-serif", 17).into_font().color(&INK))
        .axis_desc_style(("sans-serif", 19).into_font().color(&INK))
        .light_line_style(RGBColor(235, 235, 235))
        .bold_line_style(RGBColor(215, 215, 215))
}

/// A number for a label or a sentence: up to four significant digits, no trailing zeros, and
/// plain integers without a decimal point (`7`, `-0.6667`, `1.25e-5`).
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == 0.0 {
        return "0".into();
    }
    let magnitude = x.abs();
    if !(1e-4..1e7).contains(&magnitude) {
        return format!("{x:.3e}");
    }
    let decimals = (3 - magnitude.log10().floor() as i32).clamp(0, 8) as usize;
    let text = format!("{x:.decimals$}");
    let text = if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    };
    if text == "-0" {
        "0".into()
    } else {
        text
    }
}

/// A range that covers `values` with a margin, never empty and always finite.
pub(crate) fn padded_range(values: impl IntoIterator<Item = f64>, margin: f64) -> [f64; 2] {
    let (mut low, mut high) = (f64::INFINITY, f64::NEG_INFINITY);
    for v in values.into_iter().filter(|v| v.is_finite()) {
        low = low.min(v);
        high = high.max(v);
    }
    if low > high {
        return [-1.0, 1.0];
    }
    let span = high - low;
    let pad = if span > 0.0 {
        margin * span
    } else {
        0.5 * low.abs().max(1.0)
    };
    [low - pad, high + pad]
}

/// Draws a chart with `axes` over `x` × `y`; `draw` adds the series, and the legend of the
/// labelled ones goes at `legend_at`.
pub(crate) fn chart(
    axes: &Axes,
    x: [f64; 2],
    y: [f64; 2],
    legend_at: Option<SeriesLabelPosition>,
    draw: impl FnOnce(&mut Chart<'_, '_>) -> DrawResult,
) -> Plot {
    record(axes.size, |root| {
        root.fill(&WHITE)?;
        let mut chart = ChartBuilder::on(root)
            .caption(&axes.title, ("sans-serif", 24).into_font().color(&INK))
            .margin(12)
            .x_label_area_size(50)
            .y_label_area_size(68)
            .build_cartesian_2d(x[0]..x[1], y[0]..y[1])?;
        let mut mesh = chart.configure_mesh();
        mesh.x_desc(axes.x_label.as_str())
            .y_desc(axes.y_label.as_str())
            .x_labels(7);
        grid(&mut mesh).draw()?;
        draw(&mut chart)?;
        if let Some(position) = legend_at {
            legend(&mut chart, position)?;
        }
        root.present()
    })
}

/// The corner of the plot that the drawn lines and points cross least, for the legend: each
/// polyline is sampled along its segments, and each corner box (40% × 40% of the plot) counts the
/// samples inside it. Ties go to the upper left, then upper right, lower left, lower right.
pub(crate) fn quiet_corner(
    polylines: &[Vec<[f64; 2]>],
    x: [f64; 2],
    y: [f64; 2],
) -> SeriesLabelPosition {
    let mut counts = [0usize; 4];
    let (w, h) = (x[1] - x[0], y[1] - y[0]);
    let mut count = |p: [f64; 2]| {
        let (u, v) = ((p[0] - x[0]) / w, (p[1] - y[0]) / h);
        let left = u < 0.4;
        let right = u > 0.6;
        let top = v > 0.6;
        let bottom = v < 0.4;
        for (i, inside) in [left && top, right && top, left && bottom, right && bottom]
            .into_iter()
            .enumerate()
        {
            counts[i] += usize::from(inside);
        }
    };
    for line in polylines {
        if line.len() == 1 {
            count(line[0]);
        }
        for pair in line.windows(2) {
            for k in 0..=16 {
                let t = f64::from(k) / 16.0;
                count([
                    pair[0][0] + t * (pair[1][0] - pair[0][0]),
                    pair[0][1] + t * (pair[1][1] - pair[0][1]),
                ]);
            }
        }
    }
    let best = (0..4).min_by_key(|&i| counts[i]).unwrap_or(0);
    [
        SeriesLabelPosition::UpperLeft,
        SeriesLabelPosition::UpperRight,
        SeriesLabelPosition::LowerLeft,
        SeriesLabelPosition::LowerRight,
    ][best]
        .clone()
}

/// Draws the legend of the series that carry labels, in the upper left corner.
pub(crate) fn legend<'a, 'b: 'a>(
    chart: &mut Chart<'a, 'b>,
    position: SeriesLabelPosition,
) -> DrawResult {
    chart
        .configure_series_labels()
        .position(position)
        .label_font(("sans-serif", 17).into_font().color(&INK))
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(180, 180, 180))
        .draw()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_well() {
        assert_eq!(number(7.0), "7");
        assert_eq!(number(-7.0), "-7");
        assert_eq!(number(-2.0 / 3.0), "-0.6667");
        assert_eq!(number(149.0), "149");
        assert_eq!(number(0.5), "0.5");
        assert_eq!(number(1234.5678), "1235");
        assert_eq!(number(0.0), "0");
        assert_eq!(number(-1e-9), "-1.000e-9");
    }

    #[test]
    fn ranges_are_never_empty() {
        assert_eq!(padded_range([], 0.1), [-1.0, 1.0]);
        assert_eq!(padded_range([2.0, 2.0], 0.1), [1.0, 3.0]);
        assert_eq!(padded_range([0.0, 10.0, f64::NAN], 0.1), [-1.0, 11.0]);
    }

    #[test]
    fn colours_are_pale() {
        for hue in [0.0, 59.0, 120.0, 200.0, 300.0, 359.0] {
            let (r, g, b) = hsl_to_rgb(hue, 0.55, 0.8);
            assert!(r.min(g).min(b) > 120, "{hue}: {r} {g} {b}");
        }
    }
}
