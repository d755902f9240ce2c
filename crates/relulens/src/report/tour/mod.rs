//! The tour: ReLU explained to a person in one page, every number and picture computed by the
//! library when the page is made.
//!
//! Seven sections: what ReLU is; one node relu(2A + 3B) and how B switches A off; the bias in
//! relu(7 + A); sums of hinges; a network trained on `height_weight` held against the true BMI
//! rule; a network on the Palmer penguins; and a table of claims — the article's wrong statements
//! and its right ones — each with a verdict the library computed and its evidence.
//!
//! ```no_run
//! use relulens::report::{tour, TourOptions};
//! let made = tour(&TourOptions::default(), &mut |step| eprintln!("{step}"))?;
//! std::fs::write("index.html", made.page.to_html()).unwrap();
//! assert_eq!(made.page.sections.len(), 7);
//! # Ok::<(), relulens::Error>(())
//! ```

mod basics;
mod claims;
mod trained;

use std::time::Instant;

use serde::Serialize;

use super::html::Page;
use crate::error::Result;

pub use claims::{Claim, Verdict};

/// Settings of the tour.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TourOptions {
    /// The seed of the data and of training (default 0).
    pub seed: u64,
}

/// The tour: the page, and the numbers it rests on.
#[derive(Debug, Clone)]
pub struct Tour {
    /// The page.
    pub page: Page,
    /// The numbers, for a summary (`relulens tour --json`).
    pub summary: TourSummary,
}

/// The key numbers of the tour, all computed when it was made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TourSummary {
    /// The sections' titles.
    pub sections: Vec<String>,
    /// The claims checked, with their verdicts.
    pub claims: Vec<Claim>,
    /// relu(2A + 3B) at A = 1, B = -100.
    pub node: NodeFacts,
    /// Where relu(7 + A) bends, and its slopes on either side.
    pub bias: BiasFacts,
    /// The sum of hinges: its kinks and the slope of each piece.
    pub hinges: HingeFacts,
    /// The network trained on `height_weight`.
    pub height_weight: TrainedFacts,
    /// The network trained on two features of `penguins`.
    pub penguins: TrainedFacts,
    /// How long the tour took to make.
    pub seconds: f64,
}

/// The single node's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeFacts {
    /// 2A + 3B.
    pub pre_activation: f64,
    /// relu(2A + 3B).
    pub output: f64,
    /// ∂output/∂A and ∂output/∂B.
    pub gradient: Vec<f64>,
    /// Where each input would switch the node (the other held).
    pub switch_at: Vec<Option<f64>>,
    /// The linear regions of the node on [-4, 4]².
    pub regions: usize,
}

/// The biased node's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BiasFacts {
    /// The kinks of relu(7 + A) on [-15, 5].
    pub kinks: Vec<f64>,
    /// The slope on each piece.
    pub slopes: Vec<f64>,
    /// relu(7 + A) at A = -5.
    pub output_at_minus_5: f64,
}

/// The sum of hinges' numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HingeFacts {
    /// The number of hinges (hidden units).
    pub units: usize,
    /// Its kinks on [-4, 4].
    pub kinks: Vec<f64>,
    /// The slope of each piece.
    pub slopes: Vec<f64>,
}

/// A trained network's numbers.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TrainedFacts {
    /// The architecture, as the model prints it.
    pub model: String,
    /// Accuracy on the held-out rows.
    pub validation_accuracy: Option<f64>,
    /// Linear regions on the plotted rectangle.
    pub regions: usize,
    /// Straight segments of the decision boundary there.
    pub boundary_segments: usize,
    /// Extra numbers by name (for `height_weight`: the probabilities at 160 and 185 cm, the
    /// boundary's weight at those heights, model and truth).
    pub numbers: Vec<(String, f64)>,
}

/// What [`tour`] reports as it goes, for a progress display; its `Display` is a short line
/// (`training on penguins: epoch 12/200`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress<'a> {
    /// A step that takes a moment begins; a few words say what it is.
    Step(&'a str),
    /// An epoch of training ended.
    Epoch {
        /// The data set trained on.
        dataset: &'a str,
        /// The epoch just ended, from 1.
        epoch: usize,
        /// The epochs the training runs.
        epochs: usize,
    },
}

impl core::fmt::Display for Progress<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            Progress::Step(words) => f.write_str(words),
            Progress::Epoch {
                dataset,
                epoch,
                epochs,
            } => write!(f, "training on {dataset}: epoch {epoch}/{epochs}"),
        }
    }
}

/// Makes the tour, calling `progress` before each step that takes a moment and after each epoch
/// of training.
///
/// # Errors
///
/// None in practice: the tour runs on built-in data and networks. An error from the library (a
/// data set that fails to load, a region budget exceeded) is passed on.
pub fn tour(options: &TourOptions, progress: &mut dyn FnMut(Progress<'_>)) -> Result<Tour> {
    let start = Instant::now();
    let mut page = Page::new(
        "ReLU, explained exactly",
        "A guided tour of the rectified linear unit and the networks built from it. Every number \
         and picture below was computed by relulens when this page was made.",
    );
    progress(Progress::Step(
        "the basics: ReLU, one node, the bias, sums of hinges",
    ));
    let (relu, relu_facts) = basics::relu()?;
    let (node, node_facts) = basics::node()?;
    let (bias, bias_facts) = basics::bias()?;
    let (hinges, hinge_facts) = basics::hinges()?;
    progress(Progress::Step("training a network on height_weight"));
    let (height_weight, hw_facts) = trained::height_weight(options.seed, progress)?;
    progress(Progress::Step("training a network on penguins"));
    let (penguins, penguin_facts) = trained::penguins(options.seed, progress)?;
    let claims = claims::check(
        &relu_facts,
        &node_facts,
        &bias_facts,
        &hinge_facts,
        &hw_facts,
    );
    page.sections = vec![
        relu,
        node,
        bias,
        hinges,
        height_weight,
        penguins,
        claims::section(&claims),
    ];
    let seconds = start.elapsed().as_secs_f64();
    page.footer = format!(
        "Made by relulens {} in {:.1} s (seed {}). Run `relulens tour` to make it again, or \
         `relulens explain` to get the same kind of page for your own model.",
        env!("CARGO_PKG_VERSION"),
        seconds,
        options.seed
    );
    let summary = TourSummary {
        sections: page.sections.iter().map(|s| s.title.clone()).collect(),
        claims,
        node: node_facts,
        bias: bias_facts,
        hinges: hinge_facts,
        height_weight: hw_facts.trained,
        penguins: penguin_facts,
        seconds,
    };
    Ok(Tour { page, summary })
}
pub(crate) use trained::{model_regions, sample_points};
