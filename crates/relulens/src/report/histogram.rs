//! The slope histogram of a function along a path: how much of the path each slope holds.

use plotters::prelude::*;

use super::curves::zero_lines;
use super::plot::Plot;
use super::style::{chart, line_color, padded_range, Axes};

/// Up to this many distinct slopes get one bar each; more are grouped into this many bins.
pub const MAX_BARS: usize = 24;

/// Draws `slopes` — (slope, length of path it holds for), as
/// [`slope_histogram`](crate::explain::slope_histogram) returns them — as bars: one `<rect>` per
/// distinct slope when there are at most [`MAX_BARS`], else one per bin of equal width.
///
/// # Examples
///
/// ```
/// use relulens::report::{plot_slope_histogram, Axes};
/// let svg = plot_slope_histogram(&Axes::new("slopes", "slope", "length"), &[(0.0, 2.0), (1.0, 3.0)]).svg();
/// assert_eq!(svg.matches("<rect").count(), 2 + 1); // two bars and the background
/// ```
pub fn plot_slope_histogram(axes: &Axes, slopes: &[(f64, f64)]) -> Plot {
    let slopes: Vec<(f64, f64)> = slopes
        .iter()
        .copied()
        .filter(|(s, l)| s.is_finite() && l.is_finite() && *l > 0.0)
        .collect();
    let x = padded_range(slopes.iter().map(|s| s.0), 0.08);
    let bars: Vec<(f64, f64, f64)> = if slopes.len() <= MAX_BARS {
        // Bars centred on each slope, as wide as a fraction of the closest gap allows.
        let mut sorted: Vec<f64> = slopes.iter().map(|s| s.0).collect();
        sorted.sort_by(f64::total_cmp);
        let gap = sorted
            .windows(2)
            .map(|w| w[1] - w[0])
            .fold(f64::INFINITY, f64::min);
        let half = (0.35 * gap)
            .min(0.02 * (x[1] - x[0]))
            .max(1e-9 * (x[1] - x[0]));
        slopes
            .iter()
            .map(|&(s, l)| (s - half, s + half, l))
            .collect()
    } else {
        let lo = slopes.iter().map(|s| s.0).fold(f64::INFINITY, f64::min);
        let hi = slopes.iter().map(|s| s.0).fold(f64::NEG_INFINITY, f64::max);
        let width = (hi - lo) / MAX_BARS as f64;
        let mut heights = [0.0; MAX_BARS];
        for &(s, l) in &slopes {
            let bin = (((s - lo) / width) as usize).min(MAX_BARS - 1);
            heights[bin] += l;
        }
        heights
            .iter()
            .enumerate()
            .filter(|(_, h)| **h > 0.0)
            .map(|(i, &h)| (lo + i as f64 * width, lo + (i + 1) as f64 * width, h))
            .collect()
    };
    let top = bars.iter().map(|b| b.2).fold(0.0, f64::max);
    let y = [0.0, if top > 0.0 { top * 1.1 } else { 1.0 }];
    chart(axes, x, y, None, |chart| {
        zero_lines(chart, x, y)?;
        let color = line_color(0);
        chart.draw_series(
            bars.iter()
                .map(|&(a, b, h)| Rectangle::new([(a, 0.0), (b, h)], color.mix(0.85).filled())),
        )?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg_check::{check_svg, count_tag};

    #[test]
    fn one_bar_per_slope_then_bins() {
        let few: Vec<(f64, f64)> = (0..5).map(|i| (f64::from(i) * 0.5, 1.0)).collect();
        let svg = plot_slope_histogram(&Axes::new("s", "slope", "length"), &few).svg();
        check_svg(&svg);
        assert_eq!(count_tag(&svg, "rect"), 5 + 1);
        let many: Vec<(f64, f64)> = (0..100).map(|i| (f64::from(i), 1.0)).collect();
        let svg = plot_slope_histogram(&Axes::new("s", "slope", "length"), &many).svg();
        check_svg(&svg);
        assert_eq!(count_tag(&svg, "rect"), MAX_BARS + 1);
    }
}
