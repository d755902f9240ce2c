//! A heat map of a square matrix with named rows and columns, such as the interaction matrix.

use plotters::prelude::*;

use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::{record, Plot};
use super::style::{number, Axes, INK};

/// Draws `values` (`[n, n]` row-major; row i, column j) as n × n cells shaded from white (0) to
/// deep blue (the largest |value|), each with its value written in it; non-finite cells stay grey.
/// Row 0 is at the top; `labels` name rows and columns alike; `axes.y_label` says what the rows
/// are and `axes.x_label` what the columns are.
///
/// # Panics
///
/// If `values` does not hold `labels.len()²` numbers.
///
/// # Examples
///
/// ```
/// use relulens::report::{plot_heatmap, Axes};
/// let labels = vec!["height_cm".to_string(), "weight_kg".to_string()];
/// let svg = plot_heatmap(&Axes::new("interactions", "moves", "effect of"), &labels, &[0.1, 0.9, 0.8, 0.2]).svg();
/// assert_eq!(svg.matches("<rect").count(), 4 + 1); // four cells and the background
/// ```
pub fn plot_heatmap(axes: &Axes, labels: &[String], values: &[f64]) -> Plot {
    let n = labels.len();
    assert_eq!(values.len(), n * n, "a heat map needs labels.len()² values");
    let top = values
        .iter()
        .filter(|v| v.is_finite())
        .fold(0.0f64, |m, v| m.max(v.abs()));
    // Pixel layout: row names on the left, column names below, square cells.
    let (left, head, foot) = (170i32, 56i32, 64i32);
    let width = axes.size.0 as i32;
    let cell = ((width - left - 20) / n.max(1) as i32).clamp(24, 120);
    let height = head + cell * n as i32 + foot;
    record((axes.size.0, height as u32), |root| {
        root.fill(&WHITE)?;
        let centred = |size: u32| {
            ("sans-serif", size)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Center, VPos::Center))
        };
        root.draw(&Text::new(axes.title.clone(), (width / 2, 22), centred(20)))?;
        for i in 0..n {
            let y = head + cell * i as i32;
            let right = ("sans-serif", 14)
                .into_font()
                .color(&INK)
                .pos(Pos::new(HPos::Right, VPos::Center));
            root.draw(&Text::new(
                labels[i].clone(),
                (left - 8, y + cell / 2),
                right,
            ))?;
            for j in 0..n {
                let x = left + cell * j as i32;
                let v = values[i * n + j];
                let shade = if v.is_finite() && top > 0.0 {
                    v.abs() / top
                } else {
                    0.0
                };
                let fill = if v.is_finite() {
                    let mix =
                        |white: f64, blue: f64| (white + (blue - white) * shade).round() as u8;
                    RGBColor(mix(255.0, 8.0), mix(255.0, 69.0), mix(255.0, 148.0))
                } else {
                    RGBColor(220, 220, 220)
                };
                root.draw(&Rectangle::new(
                    [(x, y), (x + cell - 2, y + cell - 2)],
                    fill.filled(),
                ))?;
                let ink = if shade > 0.55 { WHITE } else { INK };
                let text = if v.is_finite() {
                    number(v)
                } else {
                    "–".into()
                };
                let style = ("sans-serif", 14)
                    .into_font()
                    .color(&ink)
                    .pos(Pos::new(HPos::Center, VPos::Center));
                root.draw(&Text::new(text, (x + cell / 2, y + cell / 2), style))?;
            }
        }
        let bottom = head + cell * n as i32;
        for (j, label) in labels.iter().enumerate() {
            let x = left + cell * j as i32 + cell / 2;
            root.draw(&Text::new(label.clone(), (x, bottom + 14), centred(14)))?;
        }
        let caption = format!("rows: {}; columns: {}", axes.y_label, axes.x_label);
        root.draw(&Text::new(caption, (width / 2, bottom + 44), centred(14)))?;
        root.present()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::svg_check::{check_svg, count_tag};

    #[test]
    fn one_cell_per_entry_with_its_value() {
        let labels: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let values = [0.0, 1.0, 2.0, 1.0, f64::NAN, 0.5, 2.0, 0.5, 0.25];
        let svg = plot_heatmap(&Axes::new("m", "x", "y"), &labels, &values).svg();
        check_svg(&svg);
        assert_eq!(count_tag(&svg, "rect"), 9 + 1);
        assert!(svg.contains("\n0.25\n") && svg.contains("\n–\n"));
    }
}
