//! Effect curves: the exact, piecewise-constant effect of one input as another sweeps its range,
//! against the true effect where it is known.

use plotters::prelude::*;

use super::curves::zero_lines;
use super::plot::Plot;
use super::style::{chart, line_color, padded_range, quiet_corner, Axes, Series, INK};
use crate::explain::EffectCurve;

/// Draws the pieces of `curve` as horizontal steps (one `<polyline>` per piece, thin dotted
/// joins between them) and, when given, `truth` as a dashed line.
///
/// # Examples
///
/// ```
/// use relulens::explain::{EffectCurve, EffectPiece};
/// use relulens::report::{plot_effect, Axes};
/// let curve = EffectCurve {
///     of: 0, along: 1, output: 0,
///     pieces: vec![
///         EffectPiece { from: -5.0, to: -2.0 / 3.0, effect: 0.0 },
///         EffectPiece { from: -2.0 / 3.0, to: 5.0, effect: 2.0 },
///     ],
/// };
/// let svg = plot_effect(&Axes::new("effect of A", "B", "∂output/∂A"), &curve, None).svg();
/// assert!(svg.contains("<polyline"));
/// ```
pub fn plot_effect(axes: &Axes, curve: &EffectCurve, truth: Option<&Series>) -> Plot {
    let truth_points = truth.map_or(&[][..], |t| &t.points[..]);
    let x = padded_range(
        curve
            .pieces
            .iter()
            .flat_map(|p| [p.from, p.to])
            .chain(truth_points.iter().map(|p| p[0])),
        0.0,
    );
    let y = padded_range(
        curve
            .pieces
            .iter()
            .map(|p| p.effect)
            .chain(truth_points.iter().map(|p| p[1]))
            .chain([0.0]),
        0.1,
    );
    let mut lines: Vec<Vec<[f64; 2]>> = curve
        .pieces
        .iter()
        .map(|p| vec![[p.from, p.effect], [p.to, p.effect]])
        .collect();
    lines.push(truth_points.to_vec());
    let legend_at = quiet_corner(&lines, x, y);
    chart(axes, x, y, Some(legend_at), |chart| {
        zero_lines(chart, x, y)?;
        for w in curve.pieces.windows(2) {
            chart.draw_series(DashedLineSeries::new(
                [(w[0].to, w[0].effect), (w[1].from, w[1].effect)],
                3,
                3,
                INK.mix(0.4).stroke_width(1),
            ))?;
        }
        let color = line_color(0);
        for (n, piece) in curve.pieces.iter().enumerate() {
            let drawn = chart.draw_series(std::iter::once(PathElement::new(
                vec![(piece.from, piece.effect), (piece.to, piece.effect)],
                color.stroke_width(4),
            )))?;
            if n == 0 {
                drawn.label("the network (exact)").legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(4))
                });
            }
        }
        if let Some(truth) = truth {
            let color = line_color(1);
            chart
                .draw_series(DashedLineSeries::new(
                    truth.points.iter().map(|p| (p[0], p[1])),
                    9,
                    6,
                    color.stroke_width(3),
                ))?
                .label(truth.label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                });
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::EffectPiece;
    use crate::report::svg_check::check_svg;

    #[test]
    fn one_step_per_piece() {
        let pieces: Vec<EffectPiece> = (0..5)
            .map(|i| EffectPiece {
                from: f64::from(i),
                to: f64::from(i + 1),
                effect: f64::from(i % 3),
            })
            .collect();
        let curve = EffectCurve {
            of: 1,
            along: 0,
            output: 0,
            pieces,
        };
        let truth = Series::sample("truth", [0.0, 5.0], 20, |x| x / 3.0);
        let svg = plot_effect(&Axes::new("e", "x0", "effect"), &curve, Some(&truth)).svg();
        check_svg(&svg);
        // Each piece is drawn as one two-point polyline at its effect's height.
        let steps = svg
            .split("<polyline")
            .skip(1)
            .filter(|p| p.contains("stroke-width=\"4\""))
            .count();
        assert_eq!(steps, 5 + 1); // the pieces and the legend's mark
        assert!(svg.contains("the network (exact)") && svg.contains("\ntruth\n"));
    }
}
