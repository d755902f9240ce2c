//! Training curves: the loss and the accuracy (or R²) after each epoch, on the training and the
//! validation rows, side by side.

use plotters::prelude::*;

use super::plot::{record, Plot};
use super::style::{
    grid, legend, line_color, number, padded_range, quiet_corner, Area, Axes, DrawResult, INK,
};
use crate::train::EpochMetrics;

/// Draws two panels: the loss per epoch, and the accuracy (classification) or R² (regression) per
/// epoch, each for the training rows and, where recorded, the validation rows. `axes.title` heads
/// the figure; the axis labels are fixed.
///
/// # Panics
///
/// Only if plotters fails to draw into a `String`, which it cannot.
///
/// # Examples
///
/// ```
/// use relulens::report::{plot_training, Axes};
/// use relulens::train::{EpochMetrics, Metrics};
/// let epochs: Vec<EpochMetrics> = (1..=3)
///     .map(|epoch| EpochMetrics {
///         epoch,
///         train: Metrics { loss: 1.0 / epoch as f64, accuracy: Some(0.5), r2: None },
///         validation: None,
///     })
///     .collect();
/// let svg = plot_training(&Axes::new("training", "", ""), &epochs).svg();
/// assert!(svg.contains("loss"));
/// ```
pub fn plot_training(axes: &Axes, epochs: &[EpochMetrics]) -> Plot {
    let epoch = |m: &EpochMetrics| m.epoch as f64;
    let loss = [
        series(epochs, |m| Some(m.train.loss)),
        series(epochs, |m| m.validation.map(|v| v.loss)),
    ];
    let is_accuracy = epochs.iter().any(|m| m.train.accuracy.is_some());
    let score = if is_accuracy {
        [
            series(epochs, |m| m.train.accuracy),
            series(epochs, |m| m.validation.and_then(|v| v.accuracy)),
        ]
    } else {
        [
            series(epochs, |m| m.train.r2),
            series(epochs, |m| m.validation.and_then(|v| v.r2)),
        ]
    };
    let x = padded_range(epochs.iter().map(epoch), 0.0);
    record(axes.size, |root| {
        root.fill(&WHITE)?;
        let root = root.titled(&axes.title, ("sans-serif", 24).into_font().color(&INK))?;
        let (left, right) = root.split_horizontally(axes.size.0 / 2);
        let score_name = if is_accuracy { "accuracy" } else { "R²" };
        panel(&left, "loss", x, &loss)?;
        panel(&right, score_name, x, &score)?;
        left.present()
    })
}

/// A caption that says what the training curves show, from the numbers: where each loss started,
/// where the held-out loss was lowest, and whether it rose again after (the network beginning to
/// memorise its training rows).
pub(crate) fn describe_training(epochs: &[EpochMetrics], kept_epoch: Option<usize>) -> String {
    let (Some(first), Some(last)) = (epochs.first(), epochs.last()) else {
        return "No epochs were recorded.".into();
    };
    let mut text = format!(
        "Over {} epochs the loss on the training rows went from {} to {}.",
        epochs.len(),
        number(first.train.loss),
        number(last.train.loss)
    );
    let held: Vec<(usize, f64)> = epochs
        .iter()
        .filter_map(|m| m.validation.map(|v| (m.epoch, v.loss)))
        .collect();
    if let (Some(&(_, start)), Some(&(_, end))) = (held.first(), held.last()) {
        let &(best_epoch, best) = held
            .iter()
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .expect("not empty");
        text.push_str(&format!(
            " On the held-out rows it went from {} to {}, lowest ({}) after epoch {}",
            number(start),
            number(end),
            number(best),
            best_epoch
        ));
        if kept_epoch.is_some_and(|kept| kept < last.epoch) {
            text.push_str(&format!(
                ": it rose after that, so training stopped {} epochs later and kept the weights of \
                 epoch {} (early stopping). Those are the weights explained here.",
                last.epoch - kept_epoch.unwrap_or(last.epoch),
                kept_epoch.unwrap_or(last.epoch)
            ));
        } else if end > best * 1.05 && best_epoch < last.epoch {
            text.push_str(
                ": it rose again after that, so the network began to fit noise in its training \
                 rows (early stopping would keep the weights of the best epoch).",
            );
        } else {
            text.push('.');
        }
    }
    text
}

/// (epoch, value) for the epochs where `value` is known.
fn series(
    epochs: &[EpochMetrics],
    value: impl Fn(&EpochMetrics) -> Option<f64>,
) -> Vec<(f64, f64)> {
    epochs
        .iter()
        .filter_map(|m| {
            value(m)
                .filter(|v| v.is_finite())
                .map(|v| (m.epoch as f64, v))
        })
        .collect()
}

/// One panel: the training and validation lines of one metric.
fn panel(area: &Area<'_>, name: &str, x: [f64; 2], lines: &[Vec<(f64, f64)>; 2]) -> DrawResult {
    let y = padded_range(lines.iter().flatten().map(|p| p.1), 0.08);
    let mut chart = ChartBuilder::on(area)
        .margin(10)
        .x_label_area_size(44)
        .y_label_area_size(60)
        .build_cartesian_2d(x[0]..x[1], y[0]..y[1])?;
    let mut mesh = chart.configure_mesh();
    mesh.x_desc("epoch").y_desc(name).x_labels(6);
    grid(&mut mesh).draw()?;
    for (n, (label, line)) in ["training rows", "validation rows"]
        .iter()
        .zip(lines)
        .enumerate()
    {
        if line.is_empty() {
            continue;
        }
        let color = line_color(n);
        chart
            .draw_series(LineSeries::new(line.iter().copied(), color.stroke_width(2)))?
            .label(*label)
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(2))
            });
    }
    let drawn: Vec<Vec<[f64; 2]>> = lines
        .iter()
        .map(|l| l.iter().map(|p| [p.0, p.1]).collect())
        .collect();
    legend(&mut chart, quiet_corner(&drawn, x, y))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg_check::check_svg;
    use crate::train::Metrics;

    #[test]
    fn the_caption_notices_a_held_out_loss_that_rises_again() {
        let epochs: Vec<EpochMetrics> = (1..=10)
            .map(|epoch| EpochMetrics {
                epoch,
                train: Metrics {
                    loss: 1.0 / epoch as f64,
                    accuracy: None,
                    r2: Some(0.5),
                },
                validation: Some(Metrics {
                    loss: 1.0 + (epoch as f64 - 4.0).powi(2) / 10.0,
                    accuracy: None,
                    r2: Some(0.4),
                }),
            })
            .collect();
        let caption = describe_training(&epochs, None);
        assert!(
            caption.starts_with("Over 10 epochs the loss on the training rows went from 1 to 0.1.")
        );
        assert!(
            caption.contains("lowest (1) after epoch 4: it rose again"),
            "{caption}"
        );
    }

    #[test]
    fn two_panels_with_two_lines_each() {
        let epochs: Vec<EpochMetrics> = (1..=20)
            .map(|epoch| {
                let e = epoch as f64;
                EpochMetrics {
                    epoch,
                    train: Metrics {
                        loss: 1.0 / e,
                        accuracy: Some(1.0 - 0.5 / e),
                        r2: None,
                    },
                    validation: Some(Metrics {
                        loss: 1.2 / e,
                        accuracy: Some(0.9 - 0.5 / e),
                        r2: None,
                    }),
                }
            })
            .collect();
        let svg = plot_training(&Axes::new("how training went", "", ""), &epochs).svg();
        assert!(describe_training(&epochs, None).ends_with("lowest (0.06) after epoch 20."));
        check_svg(&svg);
        assert!(svg.contains("\nloss\n") && svg.contains("\naccuracy\n"));
        assert_eq!(svg.matches("\nvalidation rows\n").count(), 2);
        // Two lines per panel, each with a legend mark.
        assert!(svg.matches("stroke-width=\"2\"").count() >= 8);
    }
}
