//! A 1-D view of a network: its output along one input, drawn exactly through the kinks, with each
//! kink marked and each piece labelled with its slope.

use plotters::prelude::*;

use super::curves::zero_lines;
use super::plot::Plot;
use super::style::{chart, line_color, number, padded_range, quiet_corner, Axes, Series, INK};
use crate::explain::Kinks;

/// At most this many slope labels; narrower pieces go unlabelled first.
const MAX_SLOPE_LABELS: usize = 12;

/// Draws output `output` of the pieces in `kinks` against input `input` (the segment should run
/// along that input): a polyline through the exact breakpoints, a dot at every kink (and a dashed
/// guide line when there are few), and "slope s" over each piece wide enough to hold it
/// (s = ∂output/∂input there, from the piece's Jacobian). `extra` adds dashed lines, such as the
/// hinges that sum to the function.
///
/// # Examples
///
/// ```
/// use relulens::activation::Activation;
/// use relulens::explain::{kinks_along, PiecewiseLinear};
/// use relulens::nn::{Dense, Mlp};
/// use relulens::report::{plot_function, Axes};
/// let mlp = Mlp::new(
///     vec![Dense::new(vec![1.0], vec![7.0])?, Dense::new(vec![1.0], vec![0.0])?],
///     vec![Activation::Relu, Activation::Identity],
/// )?;
/// let kinks = kinks_along(&PiecewiseLinear::new(&mlp)?, &[-15.0], &[5.0])?;
/// let svg = plot_function(&Axes::new("relu(7 + A)", "A", "output"), &kinks, 0, 0, &[]).svg();
/// assert!(svg.contains("slope 0") && svg.contains("slope 1"));
/// # Ok::<(), relulens::Error>(())
/// ```
pub fn plot_function(
    axes: &Axes,
    kinks: &Kinks,
    input: usize,
    output: usize,
    extra: &[Series],
) -> Plot {
    let in_dim = kinks.start.len();
    let at = |t: f64| kinks.start[input] + t * (kinks.end[input] - kinks.start[input]);
    let mut line: Vec<(f64, f64)> = kinks
        .pieces
        .iter()
        .map(|p| (at(p.t0), p.outputs_start[output]))
        .collect();
    if let Some(last) = kinks.pieces.last() {
        line.push((at(last.t1), last.outputs_end[output]));
    }
    let ys = line
        .iter()
        .map(|p| p.1)
        .chain(extra.iter().flat_map(|s| s.points.iter().map(|p| p[1])));
    let x = padded_range(line.iter().map(|p| p.0), 0.0);
    let y = padded_range(ys, 0.12);

    // Label the widest pieces, in their left-to-right order.
    let mut widest: Vec<usize> = (0..kinks.pieces.len()).collect();
    let width = |i: usize| (kinks.pieces[i].t1 - kinks.pieces[i].t0).abs();
    widest.sort_by(|&a, &b| width(b).total_cmp(&width(a)));
    let plot_pixels = f64::from(axes.size.0.saturating_sub(90));
    let mut labelled: Vec<usize> = widest
        .into_iter()
        .filter(|&i| width(i) * plot_pixels >= 64.0)
        .take(MAX_SLOPE_LABELS)
        .collect();
    labelled.sort_unstable();

    let mut lines: Vec<Vec<[f64; 2]>> = extra.iter().map(|s| s.points.clone()).collect();
    lines.push(line.iter().map(|p| [p.0, p.1]).collect());
    let legend_at = (!extra.is_empty()).then(|| quiet_corner(&lines, x, y));
    chart(axes, x, y, legend_at, |chart| {
        zero_lines(chart, x, y)?;
        for (n, s) in extra.iter().enumerate() {
            let color = line_color(n + 1).mix(0.9);
            chart
                .draw_series(DashedLineSeries::new(
                    s.points.iter().map(|p| (p[0], p[1])),
                    7,
                    5,
                    color.stroke_width(2),
                ))?
                .label(s.label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(2))
                });
        }
        // A guide line per kink helps the eye with a few kinks and clutters with many.
        let guides = if kinks.kinks.len() <= MAX_SLOPE_LABELS {
            &kinks.kinks[..]
        } else {
            &[]
        };
        for &t in guides {
            chart.draw_series(DashedLineSeries::new(
                [(at(t), y[0]), (at(t), y[1])],
                4,
                4,
                INK.mix(0.35).stroke_width(1),
            ))?;
        }
        let main = line_color(0);
        chart
            .draw_series(LineSeries::new(line.iter().copied(), main.stroke_width(3)))?
            .label(axes.y_label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 22, y)], main.stroke_width(3))
            });
        let kink_points = kinks
            .pieces
            .iter()
            .skip(1)
            .map(|p| (at(p.t0), p.outputs_start[output]));
        chart.draw_series(kink_points.map(|p| Circle::new(p, 5, INK.filled())))?;
        let font = ("sans-serif", 17).into_font().color(&INK);
        for &i in &labelled {
            let piece = &kinks.pieces[i];
            let slope = piece.jacobian[output * in_dim + input];
            let mid = (
                at(0.5 * (piece.t0 + piece.t1)),
                0.5 * (piece.outputs_start[output] + piece.outputs_end[output]),
            );
            chart.draw_series(std::iter::once(
                EmptyElement::at(mid)
                    + Text::new(
                        format!("slope {}", super::html::typeset(&number(slope))),
                        (0, -22),
                        font.clone().pos(plotters::style::text_anchor::Pos::new(
                            plotters::style::text_anchor::HPos::Center,
                            plotters::style::text_anchor::VPos::Center,
                        )),
                    ),
            ))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::explain::{kinks_along, PiecewiseLinear};
    use crate::nn::{Dense, Mlp};
    use crate::report::svg_check::{check_svg, count_tag};

    #[test]
    fn one_dot_per_kink_and_one_label_per_piece() {
        // |x| − relu(x − 1): kinks at 0 and 1, slopes −1, 1, 0.
        let mlp = Mlp::new(
            vec![
                Dense::new(vec![1.0, -1.0, 1.0], vec![0.0, 0.0, -1.0]).unwrap(),
                Dense::new(vec![1.0, 1.0, -1.0], vec![0.0]).unwrap(),
            ],
            vec![Activation::Relu, Activation::Identity],
        )
        .unwrap();
        let kinks = kinks_along(&PiecewiseLinear::new(&mlp).unwrap(), &[-3.0], &[3.0]).unwrap();
        let svg = plot_function(&Axes::new("f", "x", "f(x)"), &kinks, 0, 0, &[]).svg();
        check_svg(&svg);
        assert_eq!(count_tag(&svg, "circle"), 2);
        for label in ["slope −1", "slope 1", "slope 0"] {
            assert!(svg.contains(&format!("\n{label}\n")), "{label}");
        }
        assert_eq!(svg.matches("\nslope ").count(), 3);
    }
}
