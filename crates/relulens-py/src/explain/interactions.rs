//! `Mlp.interactions`: the library's `interactions` over rows of data — Friedman's H-statistic and
//! the exact gradient measure for every pair of inputs, with both rankings.
//!
//! ```python
//! found = model.interactions(data.X)
//! found.by_gradient[0]           # ('height_cm', 'weight_kg'): the pair that interacts most
//! found.h_statistic              # [pairs], in the order of found.pairs
//! found.pair("height_cm", "weight_kg")["gradient_strength"]
//! ```

use numpy::{PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use relulens::explain::{interactions as interactions_of, Interaction, InteractionOptions};
use relulens::model::Model;

use super::effect::output_index;
use super::{feature_in, network, short};
use crate::convert::{f64_array, matrix, to_array, Count};
use crate::error::{error, IntoPy, Kind};

/// `[[low, high], …]`, one range per input.
fn ranges(op: &str, obj: &Bound<'_, PyAny>, n: usize) -> PyResult<Vec<[f64; 2]>> {
    let a = f64_array(op, "ranges", obj)?;
    if a.shape() != [n, 2] {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: ranges must be [[low, high], …] for {n} features, got shape {:?}",
                a.shape()
            ),
        ));
    }
    let v: Vec<f64> = a.readonly().as_array().iter().copied().collect();
    Ok(v.chunks_exact(2).map(|r| [r[0], r[1]]).collect())
}

/// `model.interactions(X, output, max_rows, seed, ranges)`.
#[allow(clippy::too_many_arguments)]
pub fn interactions(
    py: Python<'_>,
    model: &Model,
    x: &Bound<'_, PyAny>,
    output: Option<Count>,
    max_rows: Option<Count>,
    seed: Option<Count>,
    given_ranges: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<Interactions>> {
    let op = "interactions";
    let net = network(model)?;
    let n = net.in_dim();
    let (rows, _, _, _) = matrix(op, "X", x, Some(n))?;
    let defaults = InteractionOptions::default();
    let options = InteractionOptions {
        max_rows: max_rows.map_or(defaults.max_rows, |c| {
            usize::try_from(c.0).unwrap_or(usize::MAX)
        }),
        seed: seed.map_or(defaults.seed, |c| c.0),
        output: output_index(op, output, net.out_dim())?,
        ranges: given_ranges.map(|r| ranges(op, r, n)).transpose()?,
    };
    let found = py
        .detach(|| interactions_of(&net, &rows, &options))
        .py_err()?;
    let names = model.feature_names().to_vec();
    let p = found.pairs.len();
    let column = |f: fn(&Interaction) -> f64| -> Py<PyAny> {
        let values: Vec<f64> = found.pairs.iter().map(f).collect();
        to_array(py, values, &[p]).into_any().unbind()
    };
    let pair_names = |i: &Interaction| (names[i.features[0]].clone(), names[i.features[1]].clone());
    let strongest = |ranked: Vec<&Interaction>, value: fn(&Interaction) -> f64| {
        ranked.first().map(|i| {
            let (a, b) = pair_names(i);
            format!("{a} × {b} {}", short(&[value(i)]).trim_matches(['[', ']']))
        })
    };
    let summary = match (
        strongest(found.by_h(), |i| i.h_statistic),
        strongest(found.by_gradient(), |i| i.gradient_strength),
    ) {
        (Some(h), Some(g)) => format!("; strongest by H {h}, by gradient {g}"),
        _ => String::new(),
    };
    Py::new(
        py,
        Interactions {
            pairs: found.pairs.iter().map(pair_names).collect(),
            by_h: found.by_h().into_iter().map(pair_names).collect(),
            by_gradient: found.by_gradient().into_iter().map(pair_names).collect(),
            h_statistic: column(|i| i.h_statistic),
            h_squared: column(|i| i.h_squared),
            h_unnormalized: column(|i| i.h_unnormalized),
            gradient: to_array(
                py,
                found.pairs.iter().flat_map(|i| i.gradient).collect(),
                &[p, 2],
            )
            .into_any()
            .unbind(),
            gradient_strength: column(|i| i.gradient_strength),
            gradient_matrix: to_array(py, found.gradient_matrix.clone(), &[n, n])
                .into_any()
                .unbind(),
            ranges: to_array(py, found.ranges.concat(), &[n, 2])
                .into_any()
                .unbind(),
            rows_used: found.rows_used,
            rows_given: found.rows_given,
            output: found.output,
            summary,
            names,
            found: found.pairs,
        },
    )
}

/// The interaction of every pair of inputs over rows of data: Friedman's H-statistic (0 when the
/// pair's joint effect is the sum of its parts) and the exact gradient measure (how much the
/// output's response to sweeping one input changes as the other sweeps, in output units). The
/// per-pair arrays follow the order of `pairs`: (0, 1), (0, 2), …, (1, 2), ….
#[pyclass(module = "relulens", frozen)]
pub struct Interactions {
    /// Each pair of feature names, lower index first.
    #[pyo3(get)]
    pairs: Vec<(String, String)>,
    /// The pairs, strongest H-statistic first.
    #[pyo3(get)]
    by_h: Vec<(String, String)>,
    /// The pairs, strongest gradient measure first.
    #[pyo3(get)]
    by_gradient: Vec<(String, String)>,
    /// Friedman's H = √H², `[pairs]`.
    #[pyo3(get)]
    h_statistic: Py<PyAny>,
    /// H², `[pairs]`.
    #[pyo3(get)]
    h_squared: Py<PyAny>,
    /// The interaction's own size in output units, without H's division by the joint effect:
    /// `[pairs]`.
    #[pyo3(get)]
    h_unnormalized: Py<PyAny>,
    /// Per pair (i, j): [Gᵢⱼ, Gⱼᵢ], the mean total variation of ∂f/∂xᵢ along xⱼ and of ∂f/∂xⱼ
    /// along xᵢ, `[pairs, 2]`.
    #[pyo3(get)]
    gradient: Py<PyAny>,
    /// The exact gradient measure ½ (Gᵢⱼ·wᵢ + Gⱼᵢ·wⱼ) with w each range's width, in output units:
    /// `[pairs]`.
    #[pyo3(get)]
    gradient_strength: Py<PyAny>,
    /// Gᵢⱼ for every i (the effect of xᵢ, row) and j (the input that moves, column):
    /// `[features, features]`.
    #[pyo3(get)]
    gradient_matrix: Py<PyAny>,
    /// Each input's swept range, `[features, 2]`.
    #[pyo3(get)]
    ranges: Py<PyAny>,
    /// The rows used (at most `max_rows`, sampled with `seed`).
    #[pyo3(get)]
    rows_used: usize,
    /// The rows given.
    #[pyo3(get)]
    rows_given: usize,
    /// The output explained.
    #[pyo3(get)]
    output: usize,
    summary: String,
    names: Vec<String>,
    found: Vec<Interaction>,
}

#[pymethods]
impl Interactions {
    /// The number of pairs.
    fn __len__(&self) -> usize {
        self.found.len()
    }

    /// The numbers of the pair of features `a` and `b` (names or indices, in either order): a dict
    /// with `h_statistic`, `h_squared`, `h_unnormalized`, `gradient` (a pair of floats) and
    /// `gradient_strength`.
    #[pyo3(text_signature = "(self, a, b)")]
    fn pair<'py>(
        &self,
        py: Python<'py>,
        a: &Bound<'py, PyAny>,
        b: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyDict>> {
        let op = "Interactions.pair";
        let (i, j) = (
            feature_in(op, &self.names, a)?,
            feature_in(op, &self.names, b)?,
        );
        let found = self
            .found
            .iter()
            .find(|p| p.features == [i.min(j), i.max(j)])
            .ok_or_else(|| {
                error(
                    Kind::Argument,
                    format!(
                        "{op}: {} and {} are not two different features",
                        self.names[i], self.names[j]
                    ),
                )
            })?;
        let d = PyDict::new(py);
        d.set_item("h_statistic", found.h_statistic)?;
        d.set_item("h_squared", found.h_squared)?;
        d.set_item("h_unnormalized", found.h_unnormalized)?;
        d.set_item("gradient", (found.gradient[0], found.gradient[1]))?;
        d.set_item("gradient_strength", found.gradient_strength)?;
        Ok(d)
    }

    fn __repr__(&self) -> String {
        let n = self.found.len();
        format!(
            "Interactions({n} pair{} over {} of {} rows{})",
            if n == 1 { "" } else { "s" },
            self.rows_used,
            self.rows_given,
            self.summary
        )
    }
}
