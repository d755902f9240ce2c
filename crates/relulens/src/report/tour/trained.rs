//! Sections 5 and 6 of the tour: networks trained on `height_weight` (where the truth is known)
//! and on two features of the Palmer penguins, explained exactly.

use crate::data::{builtin, height_weight, Dataset, Task};
use crate::error::Result;
use crate::explain::{
    decision_boundary, effect_curve, interactions, kinks_along, neuron_health, regions_on_slice,
    InteractionOptions, PiecewiseLinear, RegionOptions, Regions, Slice,
};
use crate::model::Model;
use crate::report::html::{Block, Cell, Figure, Section, Table};
use crate::report::{
    number, plot_effect, plot_regions, plot_training, Axes, RegionOverlay, Series,
};
use crate::train::{train_model, EarlyStopping, Recipe, Trained};

use super::{Progress, TrainedFacts};

/// The weight, kg, at which the tour compares a short and a tall person.
pub(super) const WEIGHT_KG: f64 = 80.0;
/// The short and the tall person's heights, cm.
pub(super) const HEIGHTS_CM: [f64; 2] = [160.0, 185.0];

/// What section 5 computed, for the claims.
#[derive(Debug, Clone)]
pub(super) struct HeightWeightFacts {
    /// The summary numbers.
    pub trained: TrainedFacts,
    /// The model's probability of risk at [`WEIGHT_KG`] for each of [`HEIGHTS_CM`].
    pub probability: [f64; 2],
    /// The true probability there.
    pub true_probability: [f64; 2],
}

fn sigmoid(z: f64) -> f64 {
    1.0 / (1.0 + (-z).exp())
}

/// Up to `max` rows of `data`, evenly spread, as plot points (features `x`, `y`) with class index.
pub(crate) fn sample_points(
    data: &Dataset,
    x: usize,
    y: usize,
    max: usize,
) -> Vec<([f64; 2], usize)> {
    let step = data.n_rows().div_ceil(max.max(1)).max(1);
    data.iter_rows()
        .zip(data.target())
        .step_by(step)
        .map(|(row, &t)| ([row[x], row[y]], t as usize))
        .collect()
}

/// Where output 0 first crosses 0 along the segment from `start` to `end`, as a fraction of it.
pub(crate) fn first_zero(net: &PiecewiseLinear, start: &[f64], end: &[f64]) -> Result<Option<f64>> {
    let kinks = kinks_along(net, start, end)?;
    Ok(kinks.pieces.iter().find_map(|p| {
        let (a, b) = (p.outputs_start[0], p.outputs_end[0]);
        ((a <= 0.0 && b > 0.0) || (a >= 0.0 && b < 0.0)).then(|| p.t0 + (p.t1 - p.t0) * a / (a - b))
    }))
}

/// Regions of `net` on features `x`, `y` of `model` over their typical ranges, others at their
/// typical values.
pub(crate) fn model_regions(
    model: &Model,
    net: &PiecewiseLinear,
    x: usize,
    y: usize,
) -> Result<Regions> {
    let at: Vec<f64> = (0..net.in_dim()).map(|i| model.typical_value(i)).collect();
    let slice = Slice::features(&at, x, y, [model.typical_range(x), model.typical_range(y)])?;
    regions_on_slice(net, &slice, &RegionOptions::default())
}

/// The validation accuracy of the kept weights, else the training accuracy.
fn accuracy(trained: &Trained) -> Option<f64> {
    let best = trained.history.best();
    best.validation
        .and_then(|v| v.accuracy)
        .or(best.train.accuracy)
}

/// How the tour's networks stop training.
const TOUR_EARLY_STOPPING: EarlyStopping = EarlyStopping {
    patience: 20,
    min_delta: 0.0,
};

/// The default recipe with `seed` and early stopping (patience 20 on the validation loss, the
/// best epoch's weights kept), reporting each epoch as `dataset`'s. Without it the 200 epochs
/// overfit `height_weight`: the logit grows about twice as steep as the truth, and the effect
/// curves shown against the true effect drift away from it.
fn train(
    data: &Dataset,
    dataset: &str,
    seed: u64,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<Trained> {
    let recipe = Recipe {
        seed,
        early_stopping: Some(TOUR_EARLY_STOPPING),
        ..Recipe::default()
    };
    train_model(data, &recipe, &mut |m| {
        progress(Progress::Epoch {
            dataset,
            epoch: m.epoch,
            epochs: recipe.epochs,
        })
    })
}

/// Section 5: height, weight and risk.
pub(super) fn height_weight(
    seed: u64,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(Section, HeightWeightFacts)> {
    let data = builtin::load("height_weight", seed)?;
    let trained = train(&data, "height_weight", seed, progress)?;
    let model = &trained.model;
    let net = PiecewiseLinear::new(&model.folded())?;
    let regions = model_regions(model, &net, 0, 1)?;
    let boundary = decision_boundary(&regions);
    let [heights, weights] = regions.slice.bounds;

    let logit = |h: f64| -> Result<f64> { Ok(net.outputs(&[h, WEIGHT_KG])?[0]) };
    let probability = [
        sigmoid(logit(HEIGHTS_CM[0])?),
        sigmoid(logit(HEIGHTS_CM[1])?),
    ];
    let true_probability = HEIGHTS_CM.map(|h| height_weight::true_probability(h, WEIGHT_KG));
    let mut boundary_at = Vec::new();
    for h in HEIGHTS_CM {
        let t = first_zero(&net, &[h, weights[0]], &[h, weights[1]])?;
        boundary_at.push(t.map(|t| weights[0] + t * (weights[1] - weights[0])));
    }
    let accuracy = accuracy(&trained);
    let mut numbers = vec![
        ("probability_at_160cm_80kg".to_string(), probability[0]),
        ("probability_at_185cm_80kg".to_string(), probability[1]),
        (
            "bayes_accuracy".to_string(),
            height_weight::bayes_accuracy(),
        ),
    ];
    for (h, b) in HEIGHTS_CM.iter().zip(&boundary_at) {
        if let Some(w) = b {
            numbers.push((format!("boundary_weight_at_{h}cm"), *w));
        }
        numbers.push((
            format!("true_boundary_weight_at_{h}cm"),
            height_weight::boundary_weight(*h),
        ));
    }

    let mut s = Section::new(
        "height-weight",
        "A trained network: height, weight and risk",
    );
    s.push(Block::text(format!(
        "Now a real network. relulens trained one with two hidden layers of 16 ReLU units \
         (`{}`, Adam, up to 200 epochs with early stopping, seed {seed}) on {} made-up adults \
         whose risk label follows their body-mass index, BMI = weight / height². The truth is known: the risk is even at BMI 27, so \
         the true boundary is the curve weight = 27 · height². The network scored {} on the \
         held-out rows; the best any model can expect is {}.",
        model.mlp(),
        data.n_rows(),
        accuracy.map_or("—".to_string(), |a| format!("{:.1}%", 100.0 * a)),
        format_args!("{:.1}%", 100.0 * height_weight::bayes_accuracy()),
    )));
    s.push(Block::text(format!(
        "Because every unit is a ReLU, the network is **exactly** piecewise linear: on the plane \
         of heights and weights below it is a flat (affine) function on each of {} regions, and \
         its decision boundary is a chain of {} straight segments. relulens computed them all.",
        regions.count(),
        boundary.segments
    )));
    let truth: Vec<[f64; 2]> = (0..=120)
        .map(|i| heights[0] + (heights[1] - heights[0]) * f64::from(i) / 120.0)
        .map(|h| [h, height_weight::boundary_weight(h)])
        .filter(|p| p[1] >= weights[0] && p[1] <= weights[1])
        .collect();
    let markers = HEIGHTS_CM
        .iter()
        .zip(probability)
        .map(|(&h, p)| {
            (
                format!(
                    "{} cm, {} kg: risk {:.0}%",
                    number(h),
                    number(WEIGHT_KG),
                    100.0 * p
                ),
                [h, WEIGHT_KG],
            )
        })
        .collect();
    let overlay = RegionOverlay {
        boundary: Some(boundary.clone()),
        boundary_label: Some("the network's boundary".into()),
        curves: vec![Series::new("true boundary (BMI 27)", truth)],
        points: sample_points(&data, 0, 1, 400),
        class_names: data
            .class_labels()
            .iter()
            .map(|c| format!("{}: {c}", data.target_name()))
            .collect(),
        markers,
    };
    let effect_range = heights;
    let held_weight = model.typical_value(1);
    let effect = effect_curve(
        &net,
        &[model.typical_value(0), held_weight],
        1,
        0,
        effect_range,
        0,
    )?;
    let true_effect = Series::sample(
        "true effect, 1.5 / height²",
        effect_range,
        120,
        height_weight::weight_effect,
    );
    // The mean gap between the network's effect and the truth, weighted by length along height.
    let gap = effect
        .pieces
        .iter()
        .map(|p| {
            let mid = 0.5 * (p.from + p.to);
            (p.to - p.from) * (p.effect - height_weight::weight_effect(mid)).abs()
        })
        .sum::<f64>()
        / (effect_range[1] - effect_range[0]);
    s.push(Block::Figures(vec![Figure {
        plot: plot_regions(
            &Axes::new("Regions and decision boundary", "height_cm", "weight_kg").with_size(760, 560),
            &regions,
            &overlay,
        ),
        caption: "Each coloured patch is one linear region (the colour names which units are on). The \
                  solid black line is the network's exact decision boundary, the dashed line the true \
                  BMI-27 curve; the dots are people, coloured by their label."
            .into(),
    }]));
    let fmt_boundary = |b: Option<f64>| {
        b.map_or("outside the plot".to_string(), |w| {
            format!("{} kg", number(w))
        })
    };
    s.push(Block::text(format!(
        "The same weight means different things at different heights, as the article says. At {} kg \
         the network gives a {:.0}% risk to someone {} cm tall and {:.0}% to someone {} cm tall (the \
         true rule: {:.0}% and {:.0}%). Its boundary lies at {} for {} cm (truth {}) and at {} for \
         {} cm (truth {}).",
        number(WEIGHT_KG),
        100.0 * probability[0],
        number(HEIGHTS_CM[0]),
        100.0 * probability[1],
        number(HEIGHTS_CM[1]),
        100.0 * true_probability[0],
        100.0 * true_probability[1],
        fmt_boundary(boundary_at[0]),
        number(HEIGHTS_CM[0]),
        fmt_boundary(Some(height_weight::boundary_weight(HEIGHTS_CM[0]))),
        fmt_boundary(boundary_at[1]),
        number(HEIGHTS_CM[1]),
        fmt_boundary(Some(height_weight::boundary_weight(HEIGHTS_CM[1]))),
    )));
    s.push(Block::Figures(vec![
        Figure {
            plot: plot_effect(
                &Axes::new("The effect of weight, as height varies", "height_cm", "∂ log-odds / ∂ weight_kg"),
                &effect,
                Some(&true_effect),
            ),
            caption: format!(
                "How much one more kilogram raises the log-odds of risk, at each height (weight held \
                 at {} kg). The network's effect is exactly piecewise constant — it changes only where \
                 a unit switches — in {} pieces; on average it is {} away from the truth. The boundary \
                 above is the better test of fidelity.",
                number(held_weight),
                effect.pieces.len(),
                number(gap)
            ),
        },
        Figure {
            plot: plot_training(&Axes::new("How training went", "", ""), &trained.history.epochs),
            caption: crate::report::training::describe_training(
                &trained.history.epochs,
                Some(trained.history.best_epoch),
            ),
        },
    ]));

    let found = interactions(
        &net,
        data.rows(),
        &InteractionOptions {
            seed,
            ..InteractionOptions::default()
        },
    )?;
    if let Some(pair) = found.by_gradient().first() {
        s.push(Block::text(format!(
            "How strongly do height and weight interact in this network? Over {} of the people, \
             Friedman's H-statistic is {} (0 would mean their effects simply add up; 1 that nothing \
             of their joint effect is additive), and the exact gradient measure is {}: how much the \
             log-odds' response to sweeping one feature changes as the other sweeps its range.",
            found.rows_used,
            number(pair.h_statistic),
            number(pair.gradient_strength),
        )));
    }
    let bounds = [heights, weights];
    let health = neuron_health(&net, Some(data.rows()), Some(&bounds))?;
    let mut table = Table {
        header: vec![
            "hidden layer".into(),
            "units".into(),
            "dead on the data".into(),
            "always on".into(),
            "switching".into(),
            "mean share of rows on".into(),
        ],
        rows: Vec::new(),
    };
    let layers = health
        .units
        .iter()
        .map(|u| u.layer)
        .max()
        .map_or(0, |l| l + 1);
    for layer in 0..layers {
        let units: Vec<_> = health.units.iter().filter(|u| u.layer == layer).collect();
        let count = |status: crate::explain::UnitStatus| {
            units.iter().filter(|u| u.on_data == Some(status)).count()
        };
        let rate = units.iter().filter_map(|u| u.rate).sum::<f64>() / units.len().max(1) as f64;
        table.rows.push(vec![
            Cell::new(format!("{}", layer + 1)),
            Cell::styled(units.len().to_string(), "num"),
            Cell::styled(count(crate::explain::UnitStatus::Dead).to_string(), "num"),
            Cell::styled(
                count(crate::explain::UnitStatus::AlwaysActive).to_string(),
                "num",
            ),
            Cell::styled(
                count(crate::explain::UnitStatus::Switching).to_string(),
                "num",
            ),
            Cell::styled(format!("{:.0}%", 100.0 * rate), "num"),
        ]);
    }
    s.push(Block::text(format!(
        "Neuron health: a unit that is never on for any person is **dead** — it contributes nothing \
         and could be removed; one that is always on is just a linear function. On this network, \
         {} of {} units are dead on the data and {} always on; on the whole plotted rectangle, \
         exactly, {} are dead.",
        health.dead_on_data().len(),
        health.units.len(),
        health.always_active_on_data().len(),
        health.dead_on_box().len(),
    )));
    s.push(Block::Table(table));

    let facts = HeightWeightFacts {
        trained: TrainedFacts {
            model: model.to_string(),
            validation_accuracy: accuracy,
            regions: regions.count(),
            boundary_segments: boundary.segments,
            numbers,
        },
        probability,
        true_probability,
    };
    Ok((s, facts))
}

/// Section 6: penguins on bill length and flipper length.
pub(super) fn penguins(
    seed: u64,
    progress: &mut dyn FnMut(Progress<'_>),
) -> Result<(Section, TrainedFacts)> {
    let features = ["bill_length_mm", "flipper_length_mm"];
    let data = builtin::load("penguins", seed)?.select_features(&features)?;
    let trained = train(&data, "penguins", seed, progress)?;
    let model = &trained.model;
    let net = PiecewiseLinear::new(&model.folded())?;
    let regions = model_regions(model, &net, 0, 1)?;
    let boundary = decision_boundary(&regions);
    let accuracy = accuracy(&trained);
    debug_assert_eq!(data.task(), Task::Multiclass);
    let overlay = RegionOverlay {
        boundary: Some(boundary.clone()),
        boundary_label: Some("where the predicted species changes".into()),
        points: sample_points(&data, 0, 1, 400),
        class_names: data.class_labels().to_vec(),
        ..RegionOverlay::default()
    };
    let mut s = Section::new("penguins", "Real data: the Palmer penguins");
    s.push(Block::text(format!(
        "The same machinery on real measurements: {} penguins of three species from Palmer \
         Station, Antarctica, described by bill length and flipper length. The network (`{}`) has \
         one output per species and predicts the species with the highest score. It scored {} on \
         held-out penguins.",
        data.n_rows(),
        model.mlp(),
        accuracy.map_or("—".to_string(), |a| format!("{:.1}%", 100.0 * a)),
    )));
    s.push(Block::text(format!(
        "Inside each of its {} linear regions all three scores are flat functions, so the borders \
         where the top score changes are straight too: {} segments in all. Where two species' \
         measurements overlap, the boundary has to bend between them.",
        regions.count(),
        boundary.segments
    )));
    s.push(Block::figure(
        plot_regions(
            &Axes::new(
                "Penguins: regions and species boundaries",
                "bill_length_mm",
                "flipper_length_mm",
            )
            .with_size(760, 560),
            &regions,
            &overlay,
        ),
        format!(
            "Coloured patches: linear regions. Black lines: where the predicted species changes. \
             Dots: the penguins, coloured by species ({}).",
            data.class_labels()
                .iter()
                .zip(super::super::style::COLOR_NAMES)
                .map(|(label, color)| format!("{color}: {label}"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ));
    Ok((
        s,
        TrainedFacts {
            model: model.to_string(),
            validation_accuracy: accuracy,
            regions: regions.count(),
            boundary_segments: boundary.segments,
            numbers: Vec::new(),
        },
    ))
}
