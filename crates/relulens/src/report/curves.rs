//! Curves: activation functions, their derivatives, or any named lines, overlaid.

use plotters::prelude::*;

use super::plot::Plot;
use super::style::{chart, line_color, padded_range, quiet_corner, Axes, Series, INK};

/// Draws each series as a line, with the axes through 0 and a legend. For activation functions
/// and their derivatives, sampled by the caller (for example with [`Series::sample`]).
///
/// # Examples
///
/// ```
/// use relulens::activation::Activation;
/// use relulens::report::{plot_curves, Axes, Series};
/// let relu = Series::sample("relu", [-3.0, 3.0], 61, |x| Activation::Relu.value(x));
/// let svg = plot_curves(&Axes::new("ReLU", "x", "relu(x)"), &[relu]).svg();
/// assert!(svg.starts_with("<svg") && svg.contains("relu"));
/// ```
pub fn plot_curves(axes: &Axes, series: &[Series]) -> Plot {
    let points = || series.iter().flat_map(|s| s.points.iter());
    let x = padded_range(points().map(|p| p[0]), 0.0);
    let y = padded_range(points().map(|p| p[1]), 0.06);
    let lines: Vec<Vec<[f64; 2]>> = series.iter().map(|s| s.points.clone()).collect();
    let legend_at = series
        .iter()
        .any(|s| !s.label.is_empty())
        .then(|| quiet_corner(&lines, x, y));
    chart(axes, x, y, legend_at, |chart| {
        zero_lines(chart, x, y)?;
        for (n, s) in series.iter().enumerate() {
            let color = line_color(n);
            let finite = s
                .points
                .iter()
                .filter(|p| p[0].is_finite() && p[1].is_finite());
            chart
                .draw_series(LineSeries::new(
                    finite.map(|p| (p[0], p[1])),
                    color.stroke_width(3),
                ))?
                .label(s.label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                });
        }
        Ok(())
    })
}

/// Thin lines along x = 0 and y = 0 where they fall inside the plot.
pub(crate) fn zero_lines(
    chart: &mut super::style::Chart<'_, '_>,
    x: [f64; 2],
    y: [f64; 2],
) -> super::style::DrawResult {
    let style = INK.mix(0.45).stroke_width(1);
    if x[0] < 0.0 && x[1] > 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(0.0, y[0]), (0.0, y[1])],
            style,
        )))?;
    }
    if y[0] < 0.0 && y[1] > 0.0 {
        chart.draw_series(std::iter::once(PathElement::new(
            vec![(x[0], 0.0), (x[1], 0.0)],
            style,
        )))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::report::svg_check::{check_svg, count_lines};

    #[test]
    fn one_line_per_series_and_a_legend() {
        let family = [Activation::Relu, Activation::Gelu, Activation::Silu];
        let series: Vec<Series> = family
            .iter()
            .map(|a| Series::sample(a.name(), [-3.0, 3.0], 50, |x| a.value(x)))
            .collect();
        let svg = plot_curves(&Axes::new("family", "x", "f(x)"), &series).svg();
        check_svg(&svg);
        for a in family {
            assert!(
                svg.contains(&format!(">\n{}\n</text>", a.name())),
                "{}",
                a.name()
            );
        }
        // Each curve and its legend mark, in the palette's first three colours; the zero lines.
        for color in ["#1F77B4", "#D62728", "#2CA02C"] {
            assert_eq!(count_lines(&svg, color, 3), 2, "{color}");
        }
        assert_eq!(count_lines(&svg, "#1E1E1E", 1), 2);
    }

    #[test]
    fn an_empty_plot_is_still_a_valid_svg() {
        check_svg(&plot_curves(&Axes::new("nothing", "x", "y"), &[]).svg());
    }
}
