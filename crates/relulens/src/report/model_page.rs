//! The report on any model: the same kind of page as the tour, for a network the user brings
//! (trained by relulens, or a PyTorch `Sequential` state dict) and optionally its data.
//!
//! Sections: the model; its training (when its file records it); each input on its own, with its
//! exact kinks and slopes; two inputs together, with the exact regions and decision boundary; how
//! one input's effect depends on the other; the interaction ranking (with data); neuron health.
//!
//! ```
//! use relulens::model::{Dtype, Model, ModelInfo};
//! use relulens::nn::MlpConfig;
//! use relulens::report::{explain_model, ExplainOptions};
//! // A plain network without data or history (as a PyTorch state dict would be).
//! let mlp = MlpConfig::new(vec![2, 8, 1]).seed(1).init::<f64>()?;
//! let model = Model::new(mlp, Dtype::F32, ModelInfo::default())?;
//! let report = explain_model(&model, None, &ExplainOptions::default(), &mut |_| {})?;
//! assert!(report.page.to_html().contains("<svg"));
//! assert_eq!(report.summary.pair, ["x0", "x1"]);
//! # Ok::<(), relulens::Error>(())
//! ```

use serde::Serialize;

use super::html::{Block, Cell, Figure, Page, Section, Table};
use super::tour::{model_regions, sample_points};
use super::{
    number, plot_effect, plot_function, plot_heatmap, plot_regions, plot_training, Axes,
    RegionOverlay,
};
use crate::data::{Dataset, Task};
use crate::error::{Error, Result};
use crate::explain::{
    decision_boundary, effect_curve, interactions, kinks_along, neuron_health, InteractionOptions,
    PiecewiseLinear, UnitStatus,
};
use crate::model::Model;

/// Settings of [`explain_model`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExplainOptions {
    /// The input on the horizontal axis of the 2-D views (default: the pair that interacts most,
    /// with data; else the first input).
    pub x: Option<usize>,
    /// The input on the vertical axis (default: as `x`; else the second input).
    pub y: Option<usize>,
    /// At most this many inputs get a 1-D profile (default 8).
    pub max_profiles: usize,
    /// The seed of the row sample for interactions (default 0).
    pub seed: u64,
}

impl Default for ExplainOptions {
    fn default() -> Self {
        ExplainOptions {
            x: None,
            y: None,
            max_profiles: 8,
            seed: 0,
        }
    }
}

/// The report: the page and its key numbers.
#[derive(Debug, Clone)]
pub struct ModelReport {
    /// The page.
    pub page: Page,
    /// The numbers, for a summary.
    pub summary: ModelSummary,
}

/// The key numbers of a model report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelSummary {
    /// The model, as it prints.
    pub model: String,
    /// Its inputs.
    pub inputs: Vec<String>,
    /// Per profiled input: its name and the number of kinks over its range.
    pub profiles: Vec<(String, usize)>,
    /// The pair of inputs of the 2-D views.
    pub pair: [String; 2],
    /// Linear regions on that pair's rectangle.
    pub regions: Option<usize>,
    /// Segments of the decision boundary there (classification).
    pub boundary_segments: Option<usize>,
    /// Pairs ranked by the exact gradient measure: (input, input, H, gradient strength).
    pub interactions: Vec<(String, String, f64, f64)>,
    /// Hidden units dead on the data, when there is data.
    pub dead_units: Option<usize>,
    /// The sections' titles.
    pub sections: Vec<String>,
}

/// What the outputs are called: "logit of yes", "score of Adelie", or the target's name.
fn output_name(model: &Model) -> String {
    let info = model.info();
    match info.task {
        Some(Task::Binary) => format!(
            "log-odds of {}",
            info.class_labels.get(1).map_or("class 1", String::as_str)
        ),
        Some(Task::Multiclass) => format!(
            "score of {}",
            info.class_labels.first().map_or("class 0", String::as_str)
        ),
        _ => info.target.clone().unwrap_or_else(|| "output 0".into()),
    }
}

/// Explains `model` (on `data`, if given, whose features must be the model's, in order), calling
/// `progress` before each step that takes a moment.
///
/// # Errors
///
/// [`Error::NotPiecewiseLinear`] for a model with a smooth activation (the exact geometry needs
/// piecewise-linear ones); [`Error::FeatureMismatch`] when `data` has other features than the
/// model; [`Error::InvalidGeometry`] for an `x`/`y` out of range or equal; errors of the
/// explanations (such as [`Error::RegionBudget`]) are passed on.
pub fn explain_model(
    model: &Model,
    data: Option<&Dataset>,
    options: &ExplainOptions,
    progress: &mut dyn FnMut(&str),
) -> Result<ModelReport> {
    let net = PiecewiseLinear::new(&model.folded())?;
    let names = model.feature_names().to_vec();
    let n = net.in_dim();
    if let Some(d) = data {
        if d.feature_names() != names.as_slice() {
            return Err(Error::FeatureMismatch {
                op: "explain",
                expected: names.join(", "),
                got: d.feature_names().join(", "),
            });
        }
    }
    let output = output_name(model);
    let title = match &model.info().dataset {
        Some(d) => format!("A network trained on {d}, explained exactly"),
        None => "A network, explained exactly".to_string(),
    };
    let mut page = Page::new(
        title,
        "Every number and picture below was computed by relulens from the model's weights when \
         this page was made.",
    );

    // 1. The model.
    let info = model.info();
    let mut s = Section::new("model", "The model");
    let mut facts = vec![
        ("architecture".to_string(), format!("`{}`", model.mlp())),
        (
            "parameters".to_string(),
            model.mlp().num_params().to_string(),
        ),
        ("inputs".to_string(), names.join(", ")),
    ];
    if let Some(task) = info.task {
        facts.push(("task".into(), task.to_string()));
    }
    if let Some(target) = &info.target {
        facts.push(("target".into(), target.clone()));
    }
    if !info.class_labels.is_empty() {
        facts.push(("classes".into(), info.class_labels.join(", ")));
    }
    if let Some(d) = data {
        // Rows, and the target only when the data holds the model's: a file of features alone
        // carries a stand-in target that is not worth naming (nor its task).
        let rows = format!("{}: {} rows", d.name(), d.n_rows());
        let fact = match &info.target {
            Some(target) if target == d.target_name() => format!("{rows}, with {target}"),
            _ => rows,
        };
        facts.push(("data".into(), fact));
    }
    s.push(Block::Facts(facts));
    s.push(Block::text(
        "Every hidden unit computes ReLU of a weighted sum of the layer below plus a bias, so the \
         whole network is a continuous function made of flat (affine) pieces. relulens finds those \
         pieces exactly, in the inputs' own units — the standardisation used in training is folded \
         into the first layer.",
    ));
    page.sections.push(s);

    // 2. Training.
    let mut s = Section::new("training", "Training");
    if info.history.is_empty() {
        s.push(Block::text(
            "This model file records no training history (a plain PyTorch state dict, for example), \
             so there is no training curve to show.",
        ));
    } else {
        let last = info.history.last().expect("not empty");
        let score = |m: &crate::train::Metrics| match (m.accuracy, m.r2) {
            (Some(a), _) => format!("accuracy {:.1}%", 100.0 * a),
            (None, Some(r2)) => format!("R² {}", number(r2)),
            _ => format!("loss {}", number(m.loss)),
        };
        s.push(Block::text(format!(
            "Trained for {} epochs; after the last, {} on the training rows{}.",
            info.history.len(),
            score(&last.train),
            last.validation.map_or(String::new(), |v| format!(
                " and {} on the held-out rows",
                score(&v)
            ))
        )));
        s.push(Block::figure(
            plot_training(&Axes::new("How training went", "", ""), &info.history),
            super::training::describe_training(&info.history, None),
        ));
    }
    page.sections.push(s);

    // 3. Each input on its own.
    progress("the inputs one at a time");
    let typical: Vec<f64> = (0..n).map(|i| model.typical_value(i)).collect();
    let mut s = Section::new("profiles", "Each input on its own");
    s.push(Block::text(format!(
        "Hold every input at its typical value (the training median) and move one across its range: \
         the {output} follows a chain of straight pieces. The dots are its exact kinks, where some \
         unit switches on or off; each piece is labelled with its exact slope."
    )));
    let mut profiles = Vec::new();
    let mut figures = Vec::new();
    for i in 0..n.min(options.max_profiles.max(1)) {
        let [lo, hi] = model.typical_range(i);
        let (mut from, mut to) = (typical.clone(), typical.clone());
        from[i] = lo;
        to[i] = hi;
        let kinks = kinks_along(&net, &from, &to)?;
        let slopes: Vec<f64> = kinks.pieces.iter().map(|p| p.jacobian[i]).collect();
        let (smin, smax) = slopes
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        figures.push(Figure {
            plot: plot_function(
                &Axes::new(names[i].clone(), names[i].clone(), output.clone()),
                &kinks,
                i,
                0,
                &[],
            ),
            caption: format!(
                "{}: {} kinks between {} and {}; slopes from {} to {}.",
                names[i],
                kinks.kinks.len(),
                number(lo),
                number(hi),
                number(smin),
                number(smax)
            ),
        });
        profiles.push((names[i].clone(), kinks.kinks.len()));
    }
    s.push(Block::Figures(figures));
    if n > options.max_profiles {
        s.push(Block::Note(format!(
            "Only the first {} of {} inputs are shown.",
            options.max_profiles, n
        )));
    }
    page.sections.push(s);

    // Interactions, which also choose the default pair.
    let mut ranking = Vec::new();
    let mut found = None;
    if let (Some(d), true) = (data, n >= 2) {
        progress("interactions between inputs");
        let f = interactions(
            &net,
            d.rows(),
            &InteractionOptions {
                seed: options.seed,
                ..InteractionOptions::default()
            },
        )?;
        ranking = f
            .by_gradient()
            .iter()
            .map(|p| {
                (
                    names[p.features[0]].clone(),
                    names[p.features[1]].clone(),
                    p.h_statistic,
                    p.gradient_strength,
                )
            })
            .collect();
        found = Some(f);
    }
    let mut pair = None;
    let mut regions_count = None;
    let mut boundary_segments = None;
    if n >= 2 {
        let (x, y) = match (options.x, options.y) {
            (Some(x), Some(y)) => (x, y),
            (Some(x), None) => (x, usize::from(x == 0)),
            (None, Some(y)) => (usize::from(y == 0), y),
            (None, None) => found
                .as_ref()
                .and_then(|f| {
                    f.by_gradient()
                        .first()
                        .map(|p| (p.features[0], p.features[1]))
                })
                .unwrap_or((0, 1)),
        };
        if x >= n || y >= n || x == y {
            let name = |i: usize| {
                names
                    .get(i)
                    .map_or(format!("input {i}"), |f| format!("{f:?}"))
            };
            return Err(Error::InvalidGeometry {
                op: "explain",
                reason: format!(
                    "the axes {} and {} must be two different inputs of {n}",
                    name(x),
                    name(y)
                ),
            });
        }
        pair = Some((x, y));

        // 4. Two inputs together.
        progress("linear regions on two inputs");
        let regions = model_regions(model, &net, x, y)?;
        // A state dict without a task and with several outputs is taken as a classifier: its
        // boundary is where the largest output changes.
        let classification = match info.task {
            Some(task) => task != Task::Regression,
            None => net.out_dim() > 1,
        };
        let boundary = classification.then(|| decision_boundary(&regions));
        regions_count = Some(regions.count());
        boundary_segments = boundary.as_ref().map(|b| b.segments);
        let held: Vec<String> = (0..n)
            .filter(|&i| i != x && i != y)
            .map(|i| format!("{} = {}", names[i], number(typical[i])))
            .collect();
        let mut s = Section::new("regions", format!("{} and {} together", names[x], names[y]));
        s.push(Block::text(format!(
            "On the plane of {} and {}{}, the network is affine on each of {} convex regions{}.",
            names[x],
            names[y],
            if held.is_empty() {
                String::new()
            } else {
                format!(" (with {})", held.join(", "))
            },
            regions.count(),
            boundary.as_ref().map_or(String::new(), |b| format!(
                ", and its decision boundary is {} straight segments",
                b.segments
            ))
        )));
        let overlay = RegionOverlay {
            boundary,
            points: match data {
                // Data without the model's target (a file of features only) has no classes.
                Some(d) if classification && d.task().is_classification() => {
                    sample_points(d, x, y, 400)
                }
                Some(d) => sample_points(d, x, y, 400)
                    .into_iter()
                    .map(|(p, _)| (p, 0))
                    .collect(),
                None => Vec::new(),
            },
            class_names: if classification && data.is_none_or(|d| d.task().is_classification()) {
                info.class_labels.clone()
            } else {
                Vec::new()
            },
            ..RegionOverlay::default()
        };
        s.push(Block::figure(
            plot_regions(
                &Axes::new("Linear regions", names[x].clone(), names[y].clone())
                    .with_size(760, 560),
                &regions,
                &overlay,
            ),
            "Each coloured patch is one linear region; its colour names which units are on there. \
             The black line, for a classifier, is the exact decision boundary; the dots are data \
             rows.",
        ));
        page.sections.push(s);

        // 5. Effects.
        let mut s = Section::new("effects", "How one input's effect depends on the other");
        s.push(Block::text(format!(
            "The slope of the {output} with respect to one input is constant on each piece, so as \
             another input sweeps its range the slope steps from one exact value to the next. A flat \
             line would mean no interaction along that sweep."
        )));
        let mut figures = Vec::new();
        for (of, along) in [(x, y), (y, x)] {
            let curve = effect_curve(&net, &typical, of, along, model.typical_range(along), 0)?;
            figures.push(Figure {
                plot: plot_effect(
                    &Axes::new(
                        format!("Effect of {} as {} varies", names[of], names[along]),
                        names[along].clone(),
                        format!("∂/∂{}", names[of]),
                    ),
                    &curve,
                    None,
                ),
                caption: format!(
                    "The exact effect of {} on the {output}, in {} pieces as {} sweeps its range.",
                    names[of],
                    curve.pieces.len(),
                    names[along]
                ),
            });
        }
        s.push(Block::Figures(figures));
        page.sections.push(s);
    }

    // 6. Interactions.
    if let Some(f) = &found {
        let mut s = Section::new("interactions", "Which inputs interact");
        s.push(Block::text(format!(
            "Two measures over {} data rows: Friedman's H-statistic (0 when the pair's joint effect is \
             the sum of their separate effects) and the exact gradient measure (how much the output's \
             response to sweeping one input changes as the other sweeps, in output units). Pairs are \
             ranked by the second.",
            f.rows_used
        )));
        let rows = ranking
            .iter()
            .take(15)
            .map(|(a, b, h, g)| {
                vec![
                    Cell::new(format!("{a} × {b}")),
                    Cell::styled(number(*g), "num"),
                    Cell::styled(number(*h), "num"),
                ]
            })
            .collect();
        s.push(Block::Table(Table {
            header: vec![
                "pair".into(),
                "gradient measure".into(),
                "H-statistic".into(),
            ],
            rows,
        }));
        if n <= 12 {
            s.push(Block::figure(
                plot_heatmap(
                    &Axes::new(
                        "Exact gradient interaction",
                        "the input that moves",
                        "the effect of",
                    ),
                    &names,
                    &f.gradient_matrix,
                ),
                "Row i, column j: how much the effect of input i changes, on average, as input j \
                 sweeps its range. The diagonal says how much an input's own effect bends.",
            ));
        }
        page.sections.push(s);
    }

    // 7. Neuron health.
    progress("neuron health");
    let bounds: Vec<[f64; 2]> = (0..n).map(|i| model.typical_range(i)).collect();
    let health = neuron_health(&net, data.map(Dataset::rows), Some(&bounds))?;
    let mut s = Section::new("health", "Neuron health");
    let mut sentence = format!("The network has {} hidden units.", health.units.len());
    if health.rows.is_some() {
        sentence.push_str(&format!(
            " On the data, {} are dead (never on for any row) and {} always on.",
            health.dead_on_data().len(),
            health.always_active_on_data().len()
        ));
    }
    sentence.push_str(&format!(
        " Over the box of every input's range, {} are proved dead and {} proved always on{}.",
        health.dead_on_box().len(),
        health.always_active_on_box().len(),
        if n <= 2 {
            " (exactly)"
        } else {
            " (by interval bounds, which cannot decide every unit)"
        }
    ));
    s.push(Block::text(sentence));
    let layers = health
        .units
        .iter()
        .map(|u| u.layer)
        .max()
        .map_or(0, |l| l + 1);
    let mut rows = Vec::new();
    for layer in 0..layers {
        let units: Vec<_> = health.units.iter().filter(|u| u.layer == layer).collect();
        let on_data = |status| units.iter().filter(|u| u.on_data == Some(status)).count();
        let on_box = |status| units.iter().filter(|u| u.on_box() == Some(status)).count();
        let rates: Vec<f64> = units.iter().filter_map(|u| u.rate).collect();
        rows.push(vec![
            Cell::new(format!("{}", layer + 1)),
            Cell::styled(units.len().to_string(), "num"),
            Cell::styled(
                if health.rows.is_some() {
                    on_data(UnitStatus::Dead).to_string()
                } else {
                    "—".into()
                },
                "num",
            ),
            Cell::styled(on_box(UnitStatus::Dead).to_string(), "num"),
            Cell::styled(on_box(UnitStatus::AlwaysActive).to_string(), "num"),
            Cell::styled(
                if rates.is_empty() {
                    "—".into()
                } else {
                    format!(
                        "{:.0}%",
                        100.0 * rates.iter().sum::<f64>() / rates.len() as f64
                    )
                },
                "num",
            ),
        ]);
    }
    s.push(Block::Table(Table {
        header: vec![
            "hidden layer".into(),
            "units".into(),
            "dead on the data".into(),
            "dead on the box".into(),
            "always on, box".into(),
            "mean share of rows on".into(),
        ],
        rows,
    }));
    page.sections.push(s);

    page.footer = format!(
        "Made by relulens {}. Exact: regions, boundaries, kinks and slopes are computed from the \
         weights in f64, not sampled.",
        env!("CARGO_PKG_VERSION")
    );
    let summary = ModelSummary {
        model: model.to_string(),
        inputs: names.clone(),
        profiles,
        pair: pair.map_or_else(
            || [names[0].clone(), String::new()],
            |(x, y)| [names[x].clone(), names[y].clone()],
        ),
        regions: regions_count,
        boundary_segments,
        interactions: ranking,
        dead_units: health.rows.map(|_| health.dead_on_data().len()),
        sections: page.sections.iter().map(|s| s.title.clone()).collect(),
    };
    Ok(ModelReport { page, summary })
}
