//! Sections 1 to 4 of the tour: ReLU itself, one node, the bias, and sums of hinges — small
//! networks built by hand, whose every number can be checked on paper.

use crate::activation::Activation;
use crate::error::Result;
use crate::explain::{
    effect_curve, hinges as hinge_form, kinks_along, regions_on_slice, slope_histogram,
    unit_contributions, Neuron, PiecewiseLinear, RegionOptions, Slice,
};
use crate::nn::{Dense, Mlp};
use crate::report::html::{typeset, Block, Cell, Figure, Section, Table};
use crate::report::{
    number, plot_curves, plot_effect, plot_function, plot_regions, plot_slope_histogram, Axes,
    RegionOverlay, Series,
};

use super::{BiasFacts, HingeFacts, NodeFacts};

/// What section 1 computed about ReLU, for the claims.
#[derive(Debug, Clone)]
pub(super) struct ReluFacts {
    /// (x, relu(x)) at a few points.
    pub values: Vec<(f64, f64)>,
    /// The kinks of relu on [-5, 5].
    pub kinks: Vec<f64>,
    /// The slope of each piece of relu on (0, 5].
    pub positive_slopes: Vec<f64>,
    /// Points checked against max(0, x), and how many agreed.
    pub checked: (usize, usize),
}

impl ReluFacts {
    /// relu(x) as section 1 computed it.
    pub fn at(&self, x: f64) -> f64 {
        self.values
            .iter()
            .find(|(p, _)| *p == x)
            .map(|(_, y)| *y)
            .expect("the tour asks only for points it computed")
    }
}

/// A one-hidden-layer ReLU network with identity output: `units` rows of (weights, bias), output
/// weights `out` and output bias `c`.
pub(super) fn hinge_net(units: &[(Vec<f64>, f64)], out: &[f64], c: f64) -> Result<PiecewiseLinear> {
    let weight: Vec<f64> = units.iter().flat_map(|(w, _)| w.clone()).collect();
    let bias: Vec<f64> = units.iter().map(|(_, b)| *b).collect();
    let mlp = Mlp::new(
        vec![
            Dense::new(weight, bias)?,
            Dense::new(out.to_vec(), vec![c])?,
        ],
        vec![Activation::Relu, Activation::Identity],
    )?;
    PiecewiseLinear::new(&mlp)
}

/// `w·x + b` as a person writes it: `x − 1`, `−x − 1`, `0.5·x − 1`, `x + 2`.
fn affine(w: f64, b: f64) -> String {
    let term = if w == 1.0 {
        "x".to_string()
    } else if w == -1.0 {
        "−x".to_string()
    } else {
        format!("{}·x", number(w))
    };
    if b > 0.0 {
        format!("{term} + {}", number(b))
    } else if b < 0.0 {
        format!("{term} − {}", number(-b))
    } else {
        term
    }
}

fn num_cell(x: f64) -> Cell {
    Cell::styled(number(x), "num")
}

/// Section 1: max(0, x), its derivative, its family.
pub(super) fn relu() -> Result<(Section, ReluFacts)> {
    let relu = Activation::Relu;
    let xs = [-3.0, -2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0, 2.5, 3.0, 4.0];
    let values: Vec<(f64, f64)> = xs.iter().map(|&x| (x, relu.value(x))).collect();
    let grid: Vec<f64> = (0..=60).map(|i| -3.0 + 0.1 * f64::from(i)).collect();
    let agree = grid
        .iter()
        .filter(|&&x| relu.value(x) == x.max(0.0))
        .count();
    let net = hinge_net(&[(vec![1.0], 0.0)], &[1.0], 0.0)?;
    let pieces = kinks_along(&net, &[-5.0], &[5.0])?;
    let kinks: Vec<f64> = pieces.points().iter().map(|p| p[0]).collect();
    let positive_slopes: Vec<f64> = pieces
        .pieces
        .iter()
        .filter(|p| pieces.point(p.t1)[0] > 0.0)
        .map(|p| p.jacobian[0])
        .collect();
    let facts = ReluFacts {
        values,
        kinks,
        positive_slopes,
        checked: (grid.len(), agree),
    };

    let mut s = Section::new("relu", "What ReLU is");
    s.push(Block::text(format!(
        "ReLU, the **rectified linear unit**, is the function `relu(x) = max(0, x)`. It gives 0 for \
         every negative input and gives back the input itself otherwise. In code it is one line: \
         `if x < 0 {{ 0 }} else {{ x }}`. So relu(−2) = {}, relu(0) = {}, relu(0.5) = {} and \
         relu(3) = {}: nothing is added, and nothing is curved.",
        number(facts.at(-2.0)),
        number(facts.at(0.0)),
        number(facts.at(0.5)),
        number(facts.at(3.0)),
    )));
    s.push(Block::text(format!(
        "Its slope (derivative) is just as simple: {} on the left, {} on the right. At exactly 0 \
         the corner has no single slope; PyTorch, and relulens with it, uses {} there.",
        number(relu.derivative(-1.0)),
        number(relu.derivative(1.0)),
        number(relu.derivative(0.0)),
    )));
    let shown = [-3.0, -1.0, -0.5, 0.0, 0.5, 1.0, 3.0];
    let mut table = Table {
        header: vec!["x".into(), "relu(x)".into(), "slope at x".into()],
        rows: Vec::new(),
    };
    for x in shown {
        table.rows.push(vec![
            num_cell(x),
            num_cell(facts.at(x)),
            num_cell(relu.derivative(x)),
        ]);
    }
    s.push(Block::Table(table));

    let value = Series::sample("relu(x)", [-3.0, 3.0], 601, |x| relu.value(x));
    let slope = Series::sample("its slope", [-3.0, 3.0], 601, |x| relu.derivative(x));
    let family = [
        Activation::Relu,
        Activation::LeakyRelu {
            negative_slope: 0.1,
        },
        Activation::Elu { alpha: 1.0 },
        Activation::Gelu,
        Activation::Silu,
        Activation::Softplus {
            beta: 1.0,
            threshold: 20.0,
        },
    ];
    let overlay: Vec<Series> = family
        .iter()
        .map(|a| Series::sample(a.to_string(), [-4.0, 4.0], 321, |x| a.value(x)))
        .collect();
    s.push(Block::Figures(vec![
        Figure {
            plot: plot_curves(&Axes::new("ReLU and its slope", "x", "y"), &[value, slope]),
            caption: "The blue line is ReLU: flat at 0 on the left, then a straight line of slope 1. \
                      The red line is its slope, a step from 0 to 1 at the corner."
                .into(),
        },
        Figure {
            plot: plot_curves(&Axes::new("The ReLU family", "x", "f(x)"), &overlay),
            caption: "ReLU's relatives round the corner (GELU, SiLU, softplus) or let a little through \
                      on the left (leaky ReLU, here with slope 0.1, and ELU). Only the piecewise-linear \
                      ones allow the exact geometry in the rest of this page."
                .into(),
        },
    ]));
    Ok((s, facts))
}

/// Section 2: relu(2A + 3B), the grid, the switch, the two regions.
pub(super) fn node() -> Result<(Section, NodeFacts)> {
    let neuron = Neuron::new(vec!["A".into(), "B".into()], vec![2.0, 3.0], 0.0)?;
    let off = neuron.explain(&[1.0, -100.0])?;
    let on = neuron.explain(&[1.0, 1.0])?;
    let net = hinge_net(&[(vec![2.0, 3.0], 0.0)], &[1.0], 0.0)?;
    let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-4.0, 4.0], [-4.0, 4.0]])?;
    let regions = regions_on_slice(&net, &slice, &RegionOptions::default())?;
    let effect = effect_curve(&net, &[1.0, 0.0], 0, 1, [-4.0, 4.0], 0)?;
    let facts = NodeFacts {
        pre_activation: off.pre_activation,
        output: off.output,
        gradient: off.gradient.clone(),
        switch_at: off.switch_at.clone(),
        regions: regions.count(),
    };

    let mut s = Section::new("node", "One node: relu(2A + 3B)");
    s.push(Block::text(
        "A node in a network multiplies each input by a weight, adds the products (and a bias, \
         here 0), and passes the sum through ReLU. Take two inputs, A and B, with weights 2 and 3: \
         the node computes `relu(2A + 3B)`. Here is its output on a grid of inputs.",
    ));
    let a_values = [-2.0, -1.0, 0.0, 1.0, 2.0, 3.0];
    let b_values = [2.0, 1.0, 0.0, -1.0, -2.0, -100.0];
    let mut header = vec!["B \\ A".to_string()];
    header.extend(a_values.iter().map(|a| format!("A = {}", number(*a))));
    let mut rows = Vec::new();
    for b in b_values {
        let mut row = vec![Cell::new(format!("B = {}", number(b)))];
        for a in a_values {
            row.push(num_cell(neuron.evaluate(&[a, b])?));
        }
        rows.push(row);
    }
    s.push(Block::Table(Table { header, rows }));
    s.push(Block::text(format!(
        "Look at the last row. At A = 1 and B = −100 the weighted sum is 2·1 + 3·(−100) = {} \
         (A contributes {}, B contributes {}). It is negative, so the node is **off**: the output \
         is {} and its slope with respect to A is {}. Nudging A changes nothing at all — B has \
         switched A off. At A = 1 and B = 1 the same node is on, its output is {} and its slope \
         with respect to A is {}. This is an **interaction**: how much A matters depends on B.",
        number(off.pre_activation),
        number(off.contributions[0]),
        number(off.contributions[1]),
        number(off.output),
        number(off.gradient[0]),
        number(on.output),
        number(on.gradient[0]),
    )));
    let switch = |i: usize| off.switch_at[i].map_or("never".to_string(), number);
    s.push(Block::Note(format!(
        "The exact switching point: holding B at −100, the node turns on once A exceeds {}; \
         holding A at 1, it turns on once B exceeds {} (that is, −2/3).",
        switch(0),
        switch(1)
    )));
    let overlay = RegionOverlay {
        markers: vec![
            (format!("on: output {}", number(on.output)), [1.0, 1.0]),
            (
                format!("off: output {}", number(neuron.evaluate(&[1.0, -2.0])?)),
                [1.0, -2.0],
            ),
        ],
        ..RegionOverlay::default()
    };
    let pieces: Vec<String> = effect
        .pieces
        .iter()
        .map(|p| {
            format!(
                "{} for B from {} to {}",
                number(p.effect),
                number(p.from),
                number(p.to)
            )
        })
        .collect();
    s.push(Block::Figures(vec![
        Figure {
            plot: plot_regions(
                &Axes::new("relu(2A + 3B) on the (A, B) plane", "A", "B"),
                &regions,
                &overlay,
            ),
            caption: format!(
                "The line 2A + 3B = 0 cuts the plane into {} regions. On one side the node is off \
                 and outputs 0 whatever A and B are; on the other it is the plane 2A + 3B.",
                regions.count()
            ),
        },
        Figure {
            plot: plot_effect(
                &Axes::new("How much A matters, as B varies (A = 1)", "B", "∂output/∂A"),
                &effect,
                None,
            ),
            caption: format!(
                "The effect of A is exactly {}: B decides whether A matters.",
                pieces.join(", then ")
            ),
        },
    ]));
    Ok((s, facts))
}

/// Section 3: relu(7 + A).
pub(super) fn bias() -> Result<(Section, BiasFacts)> {
    let net = hinge_net(&[(vec![1.0], 7.0)], &[1.0], 0.0)?;
    let pieces = kinks_along(&net, &[-15.0], &[5.0])?;
    let kinks: Vec<f64> = pieces.points().iter().map(|p| p[0]).collect();
    let slopes: Vec<f64> = pieces.pieces.iter().map(|p| p.jacobian[0]).collect();
    let output_at = |a: f64| -> Result<f64> { Ok(net.outputs(&[a])?[0]) };
    let facts = BiasFacts {
        kinks: kinks.clone(),
        slopes: slopes.clone(),
        output_at_minus_5: output_at(-5.0)?,
    };
    let kink = kinks.first().copied().unwrap_or(f64::NAN);

    let mut s = Section::new("bias", "The bias moves the kink: relu(7 + A)");
    s.push(Block::text(format!(
        "A **bias** is a constant added before ReLU. In `relu(7 + A)` the sum 7 + A is negative \
         exactly when A is below −7, so the corner moves from 0 to A = {}. Left of it the output is \
         0 and its slope is {}; right of it the output is 7 + A and its slope is {}.",
        number(kink),
        number(slopes.first().copied().unwrap_or(f64::NAN)),
        number(slopes.last().copied().unwrap_or(f64::NAN)),
    )));
    let mut table = Table {
        header: vec!["A".into(), "7 + A".into(), "relu(7 + A)".into()],
        rows: Vec::new(),
    };
    for a in [-10.0, -7.0, -5.0, 0.0, 3.0] {
        table.rows.push(vec![
            num_cell(a),
            num_cell(7.0 + a),
            num_cell(output_at(a)?),
        ]);
    }
    s.push(Block::Table(table));
    s.push(Block::text(format!(
        "So a node with A above −7 is **on**, and its output is positive: at A = −5 it is {}, and it \
         grows one for one with A. The output is 0 only where A is at or below −7, and there the \
         slope is 0 too.",
        number(facts.output_at_minus_5)
    )));
    s.push(Block::figure(
        plot_function(
            &Axes::new("relu(7 + A)", "A", "relu(7 + A)"),
            &pieces,
            0,
            0,
            &[],
        ),
        format!(
            "The exact pieces of relu(7 + A) from A = −15 to 5: one kink (the dot) at A = {}, \
             slope {} before it and {} after it.",
            number(kink),
            number(slopes[0]),
            number(slopes[slopes.len() - 1])
        ),
    ));
    Ok((s, facts))
}

/// Section 4: five hinges summed.
pub(super) fn hinges() -> Result<(Section, HingeFacts)> {
    // (w, b, v): v·relu(w·x + b); kinks at −2, 0, 1, −1 and 2.
    let units = [
        (1.0, 2.0, 1.0),
        (1.0, 0.0, -2.0),
        (1.0, -1.0, 1.5),
        (-1.0, -1.0, 0.8),
        (0.5, -1.0, -1.0),
    ];
    let constant = 0.5;
    let rows: Vec<(Vec<f64>, f64)> = units.iter().map(|&(w, b, _)| (vec![w], b)).collect();
    let out: Vec<f64> = units.iter().map(|u| u.2).collect();
    let net = hinge_net(&rows, &out, constant)?;
    let (from, to) = ([-4.0], [4.0]);
    let pieces = kinks_along(&net, &from, &to)?;
    let form = hinge_form(&net, 0, &[0.0])?;
    let parts = unit_contributions(&net, &from, &to, 0)?;
    let histogram = slope_histogram(&net, &from, &to, 0)?;
    let kinks: Vec<f64> = pieces.points().iter().map(|p| p[0]).collect();
    let slopes: Vec<f64> = pieces.pieces.iter().map(|p| p.jacobian[0]).collect();
    let facts = HingeFacts {
        units: units.len(),
        kinks: kinks.clone(),
        slopes: slopes.clone(),
    };

    let mut s = Section::new("hinges", "Sums of hinges: many kinks, many slopes");
    s.push(Block::text(
        "One ReLU unit, `v·relu(w·x + b)`, is a **hinge**: flat on one side of its kink, a straight \
         line on the other. A layer of units followed by a weighted sum adds hinges up, and adding \
         straight lines adds their slopes. Here are five hinges and their sum.",
    ));
    let mut table = Table {
        header: vec![
            "unit".into(),
            "hinge".into(),
            "kink at x =".into(),
            "slope change there".into(),
        ],
        rows: Vec::new(),
    };
    for h in &form.hinges {
        table.rows.push(vec![
            Cell::new(format!("{}", h.unit + 1)),
            // A formula to read, not a command to copy: its signs are set as minus signs too.
            Cell::new(format!(
                "`{}`",
                typeset(&format!(
                    "{}·relu({})",
                    number(h.output_weights[0]),
                    affine(h.weights[0], h.bias)
                ))
            )),
            h.kink.map_or(Cell::new("none"), num_cell),
            num_cell(h.slope_change[0]),
        ]);
    }
    s.push(Block::Table(table));
    let slope_list: Vec<String> = slopes.iter().map(|v| number(*v)).collect();
    let kink_list: Vec<String> = kinks.iter().map(|v| number(*v)).collect();
    s.push(Block::text(format!(
        "The sum, {} plus the five hinges, has {} kinks (at x = {}) and {} straight pieces whose \
         slopes are, from left to right, {}. Each unit on its own only ever has slope 0 or its \
         weight; together they make a broad spread of slopes — and a wide enough layer can follow \
         any curve this way, one straight piece at a time.",
        number(constant),
        kinks.len(),
        kink_list.join(", "),
        slopes.len(),
        slope_list.join(", "),
    )));
    let x_at = |t: f64| from[0] + t * (to[0] - from[0]);
    let hinge_lines: Vec<Series> = parts
        .contributions
        .iter()
        .enumerate()
        .map(|(k, c)| {
            Series::new(
                format!("unit {}", k + 1),
                parts.t.iter().zip(c).map(|(&t, &y)| [x_at(t), y]).collect(),
            )
        })
        .collect();
    s.push(Block::Figures(vec![
        Figure {
            plot: plot_function(
                &Axes::new("Five hinges and their sum", "x", "sum"),
                &pieces,
                0,
                0,
                &hinge_lines,
            ),
            caption:
                "Dashed: the five hinges. Solid: their sum, with its exact kinks (dots) and the \
                      slope of each piece."
                    .into(),
        },
        Figure {
            plot: plot_slope_histogram(
                &Axes::new("Slopes of the sum", "slope", "length of x it holds for"),
                &histogram,
            ),
            caption: format!(
                "How much of the interval from −4 to 4 each slope covers: {} different slopes from \
                 units whose own slopes are 0 or 1 before their output weight.",
                histogram.len()
            ),
        },
    ]));
    Ok((s, facts))
}
