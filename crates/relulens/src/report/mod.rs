//! Plots and pages: what [`explain`](crate::explain) computed, drawn as SVG and gathered into one
//! self-contained HTML page (behind the `report` feature).
//!
//! Every `plot_*` function takes data that the library already computed — kinks, regions,
//! boundaries, effect curves, slope histograms, training history — and only draws it, returning
//! a [`Plot`]: the drawing, recorded once. [`Plot::svg`] plays it back through plotters' SVG
//! backend, used without its `ttf` feature, so no system font library is needed: text stays SVG
//! `<text>` for the browser to set. With the `png` feature, `Plot::png` rasterises the same drawing
//! through plotters' bitmap backend, its text set by ab_glyph from a bundled DejaVu Sans, and
//! `write_pngs` writes every figure of a page as a PNG file.
//! [`html`] assembles figures, prose and tables into a page with no script and no external URL;
//! [`tour`] and [`explain_model`] build the two pages the command line writes.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{kinks_along, PiecewiseLinear};
//! use relulens::nn::{Dense, Mlp};
//! use relulens::report::{plot_function, Axes};
//! // relu(7 + A): one kink, at A = -7, drawn with its two slopes.
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![1.0], vec![7.0])?, Dense::new(vec![1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let kinks = kinks_along(&PiecewiseLinear::new(&mlp)?, &[-15.0], &[5.0])?;
//! let svg = plot_function(&Axes::new("relu(7 + A)", "A", "output"), &kinks, 0, 0, &[]).svg();
//! assert!(svg.starts_with("<svg") && svg.matches("<circle").count() == 1);
//! # Ok::<(), relulens::Error>(())
//! ```

mod curves;
mod effect;
mod function;
mod heatmap;
mod histogram;
pub mod html;
mod plot;
#[cfg(feature = "png")]
mod png;
mod regions;
mod style;
#[cfg(test)]
pub(crate) mod svg_check;

pub use curves::plot_curves;
pub use effect::plot_effect;
pub use function::plot_function;
pub use heatmap::plot_heatmap;
pub use histogram::{plot_slope_histogram, MAX_BARS};
pub use plot::Plot;
#[cfg(feature = "png")]
pub use png::{write_pngs, MAX_SCALE};
pub use regions::{plot_regions, RegionOverlay};
pub use style::{number, pattern_color, Axes, Series};
pub use training::plot_training;

mod training;
pub use tour::{
    tour, BiasFacts, Claim, HingeFacts, NodeFacts, Progress, Tour, TourOptions, TourSummary,
    TrainedFacts, Verdict,
};

mod tour;
pub use model_page::{explain_model, ExplainOptions, ModelReport, ModelSummary};

mod model_page;
