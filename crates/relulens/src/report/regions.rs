//! Linear regions on a 2-D slice, each a polygon coloured by its activation pattern, with the
//! decision boundary, reference curves and data points drawn over them.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::plot::Plot;
use super::style::{chart, line_color, pattern_color, quiet_corner, Axes, Series, INK};
use crate::explain::{Boundary, Regions};

/// What [`plot_regions`] draws over the regions; everything is optional.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RegionOverlay {
    /// The decision boundary or a level set, in slice coordinates: drawn as thick dark lines.
    pub boundary: Option<Boundary>,
    /// The boundary's legend text (default "decision boundary").
    pub boundary_label: Option<String>,
    /// Reference curves such as the true boundary: drawn dashed.
    pub curves: Vec<Series>,
    /// Data points in slice coordinates with their class index.
    pub points: Vec<([f64; 2], usize)>,
    /// The class names, for the legend of the points.
    pub class_names: Vec<String>,
    /// Labelled points to call out, such as "160 cm, 80 kg".
    pub markers: Vec<(String, [f64; 2])>,
}

/// Draws every region of `regions` as a filled polygon (one `<polygon>` per region, its colour
/// fixed by its activation pattern, see [`pattern_color`](super::pattern_color)) with its edges in
/// white, then the overlay. Axes are the slice's coordinates over its rectangle.
///
/// # Examples
///
/// ```
/// use relulens::activation::Activation;
/// use relulens::explain::{regions_on_slice, PiecewiseLinear, RegionOptions, Slice};
/// use relulens::nn::{Dense, Mlp};
/// use relulens::report::{plot_regions, Axes, RegionOverlay};
/// let mlp = Mlp::new(
///     vec![Dense::new(vec![2.0, 3.0], vec![0.0])?, Dense::new(vec![1.0], vec![0.0])?],
///     vec![Activation::Relu, Activation::Identity],
/// )?;
/// let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-4.0, 4.0], [-4.0, 4.0]])?;
/// let regions = regions_on_slice(&PiecewiseLinear::new(&mlp)?, &slice, &RegionOptions::default())?;
/// let svg = plot_regions(&Axes::new("relu(2A + 3B)", "A", "B"), &regions, &RegionOverlay::default()).svg();
/// assert_eq!(svg.matches("<polygon").count(), regions.count());
/// # Ok::<(), relulens::Error>(())
/// ```
pub fn plot_regions(axes: &Axes, regions: &Regions, overlay: &RegionOverlay) -> Plot {
    let [x, y] = regions.slice.bounds;
    let labelled =
        overlay.boundary.is_some() || !overlay.curves.is_empty() || !overlay.class_names.is_empty();
    let mut lines: Vec<Vec<[f64; 2]>> = overlay.curves.iter().map(|s| s.points.clone()).collect();
    lines.extend(
        overlay
            .boundary
            .iter()
            .flat_map(|b| b.polylines.iter().cloned()),
    );
    lines.extend(overlay.points.iter().map(|(p, _)| vec![*p]));
    lines.extend(overlay.markers.iter().map(|(_, p)| vec![*p]));
    let legend_at = labelled.then(|| quiet_corner(&lines, x, y));
    chart(axes, x, y, legend_at, |chart| {
        for region in &regions.regions {
            let (r, g, b) = pattern_color(&region.pattern);
            let corners: Vec<(f64, f64)> = region.vertices.iter().map(|v| (v[0], v[1])).collect();
            chart.draw_series(std::iter::once(Polygon::new(
                corners.clone(),
                RGBColor(r, g, b).filled(),
            )))?;
            let mut outline = corners;
            if let Some(&first) = outline.first() {
                outline.push(first);
            }
            chart.draw_series(std::iter::once(PathElement::new(
                outline,
                WHITE.stroke_width(1),
            )))?;
        }
        for (n, s) in overlay.curves.iter().enumerate() {
            let color = line_color(n + 1);
            chart
                .draw_series(DashedLineSeries::new(
                    s.points.iter().map(|p| (p[0], p[1])),
                    9,
                    6,
                    color.stroke_width(3),
                ))?
                .label(s.label.as_str())
                .legend(move |(x, y)| {
                    PathElement::new(vec![(x, y), (x + 22, y)], color.stroke_width(3))
                });
        }
        if let Some(boundary) = &overlay.boundary {
            for (n, polyline) in boundary.polylines.iter().enumerate() {
                let drawn = chart.draw_series(std::iter::once(PathElement::new(
                    polyline.iter().map(|p| (p[0], p[1])).collect::<Vec<_>>(),
                    INK.stroke_width(3),
                )))?;
                if n == 0 {
                    let label = overlay
                        .boundary_label
                        .as_deref()
                        .unwrap_or("decision boundary");
                    drawn.label(label).legend(|(x, y)| {
                        PathElement::new(vec![(x, y), (x + 22, y)], INK.stroke_width(3))
                    });
                }
            }
        }
        let classes = overlay
            .points
            .iter()
            .map(|p| p.1)
            .max()
            .map_or(0, |m| m + 1);
        for class in 0..classes {
            let color = line_color(class);
            let drawn = chart.draw_series(
                overlay
                    .points
                    .iter()
                    .filter(|p| p.1 == class)
                    .map(|(p, _)| Circle::new((p[0], p[1]), 3, color.mix(0.8).filled())),
            )?;
            if let Some(name) = overlay.class_names.get(class) {
                drawn
                    .label(name.as_str())
                    .legend(move |(x, y)| Circle::new((x + 11, y), 4, color.filled()));
            }
        }
        let pixels_wide = f64::from(chart.plotting_area().dim_in_pixel().0.max(1));
        for (label, p) in &overlay.markers {
            // The label sits above and to the right of its point; one that would run off the
            // right edge sits below and to the left instead (clear of a neighbour's label too).
            let width = 8 * label.chars().count() as i32;
            let reach = f64::from(14 + width) * (x[1] - x[0]) / pixels_wide;
            let (plate, at, anchor) = if p[0] + reach > x[1] {
                ([(-14 - width, 6), (-6, 28)], (-10, 10), HPos::Right)
            } else {
                ([(6, -22), (14 + width, 0)], (10, -18), HPos::Left)
            };
            let font = ("sans-serif", 17)
                .into_font()
                .color(&INK)
                .pos(Pos::new(anchor, VPos::Top));
            chart.draw_series(std::iter::once(
                EmptyElement::at((p[0], p[1]))
                    + Circle::new((0, 0), 6, BLACK.filled())
                    + Circle::new((0, 0), 6, WHITE.stroke_width(2))
                    // A pale plate under the label keeps it readable over dots and lines; its
                    // width is estimated, as SVG text is measured only by the browser.
                    + Rectangle::new(plate, WHITE.mix(0.8).filled())
                    + Text::new(label.clone(), at, font),
            ))?;
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::explain::{decision_boundary, regions_on_slice, PiecewiseLinear};
    use crate::explain::{RegionOptions, Slice};
    use crate::nn::MlpConfig;
    use crate::report::svg_check::{check_svg, count_lines, count_tag};

    #[test]
    fn one_polygon_per_region_and_the_points_over_them() {
        let mlp = MlpConfig::new(vec![2, 8, 8, 1])
            .seed(4)
            .init::<f64>()
            .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-3.0, 3.0], [-3.0, 3.0]]).unwrap();
        let regions = regions_on_slice(&net, &slice, &RegionOptions::default()).unwrap();
        assert!(regions.count() > 5);
        let overlay = RegionOverlay {
            boundary: Some(decision_boundary(&regions)),
            points: vec![([0.0, 0.0], 0), ([1.0, 1.0], 1), ([2.0, -1.0], 1)],
            class_names: vec!["no".into(), "yes".into()],
            markers: vec![("here".into(), [0.5, 0.5])],
            ..RegionOverlay::default()
        };
        let svg = plot_regions(&Axes::new("regions", "x0", "x1"), &regions, &overlay).svg();
        check_svg(&svg);
        assert_eq!(count_tag(&svg, "polygon"), regions.count());
        // Three points, two legend dots, and the marker's two circles.
        assert_eq!(count_tag(&svg, "circle"), 3 + 2 + 2);
        assert_eq!(count_lines(&svg, "#FFFFFF", 1), regions.count());
        assert!(svg.contains("\nhere\n"));
    }

    #[test]
    fn the_boundary_is_drawn_over_the_regions() {
        // logit = relu(x) + relu(−x) − y: the boundary is y = |x|, one polyline with a bend.
        let mlp = crate::nn::Mlp::new(
            vec![
                crate::nn::Dense::new(vec![1.0, 0.0, -1.0, 0.0, 0.0, 1.0], vec![0.0; 3]).unwrap(),
                crate::nn::Dense::new(vec![1.0, 1.0, -1.0], vec![0.0]).unwrap(),
            ],
            vec![
                crate::activation::Activation::Relu,
                crate::activation::Activation::Identity,
            ],
        )
        .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-0.5, 2.0]]).unwrap();
        let regions = regions_on_slice(&net, &slice, &RegionOptions::default()).unwrap();
        let boundary = decision_boundary(&regions);
        assert_eq!(boundary.polylines.len(), 1);
        let overlay = RegionOverlay {
            boundary: Some(boundary),
            curves: vec![Series::new(
                "truth",
                vec![[-1.0, 1.0], [0.0, 0.0], [1.0, 1.0]],
            )],
            ..RegionOverlay::default()
        };
        let svg = plot_regions(&Axes::new("|x|", "x", "y"), &regions, &overlay).svg();
        check_svg(&svg);
        assert_eq!(count_tag(&svg, "polygon"), regions.count());
        // A white outline per region; the boundary and its legend mark in ink.
        assert_eq!(count_lines(&svg, "#FFFFFF", 1), regions.count());
        assert_eq!(count_lines(&svg, "#1E1E1E", 3), 1 + 1);
        assert!(svg.contains("\ndecision boundary\n") && svg.contains("\ntruth\n"));
    }

    #[test]
    fn a_pattern_keeps_its_colour() {
        let mlp = MlpConfig::new(vec![2, 6, 1]).seed(1).init::<f64>().unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-2.0, 2.0], [-2.0, 2.0]]).unwrap();
        let a = regions_on_slice(&net, &slice, &RegionOptions::default()).unwrap();
        let b = regions_on_slice(&net, &slice, &RegionOptions::default()).unwrap();
        let colours = |r: &Regions| -> Vec<_> {
            r.regions
                .iter()
                .map(|x| pattern_color(&x.pattern))
                .collect()
        };
        assert_eq!(colours(&a), colours(&b));
    }
}
