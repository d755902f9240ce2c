//! `Mlp.neurons`: the library's `neuron_health` — which hidden units ever switch on: activation
//! rates and dead units on rows of data, and units proved dead or always active on a box of inputs
//! (by interval bounds, exactly when at most two inputs vary).
//!
//! ```python
//! health = model.neurons(data.X)
//! health.dead_on_data          # [(layer, unit), ...]: never on for any row
//! health.rates                 # [units]: the share of rows each unit is on for
//! model.neurons(bounds={"height_cm": 170}).dead_on_box   # exact along weight_kg at 170 cm
//! ```

use numpy::{PyArrayMethods, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::PyDict;
use relulens::explain::{neuron_health, ExactAnalysis, Health, UnitHealth, UnitStatus};
use relulens::model::Model;

use super::{feature, network};
use crate::convert::{f64_array, matrix, to_array, vector, Number};
use crate::error::{error, IntoPy, Kind};

/// A status as Python names it.
fn status_name(status: UnitStatus) -> &'static str {
    match status {
        UnitStatus::Dead => "dead",
        UnitStatus::AlwaysActive => "always_active",
        UnitStatus::Switching => "switching",
        UnitStatus::Unknown => "unknown",
    }
}

/// The box: `[[low, high], …]` for every input, or a dict `{feature: (low, high) or value}` that
/// narrows or fixes some inputs of the default box (each input's typical range).
fn bounds(op: &str, model: &Model, obj: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<[f64; 2]>> {
    let n = model.feature_names().len();
    let mut bounds: Vec<[f64; 2]> = (0..n).map(|i| model.typical_range(i)).collect();
    let Some(obj) = obj else {
        return Ok(bounds);
    };
    if let Ok(dict) = obj.cast::<PyDict>() {
        for (key, value) in dict.iter() {
            let i = feature(op, model, &key)?;
            bounds[i] = match value.extract::<Number>() {
                Ok(Number(v)) => [v, v],
                Err(_) => {
                    let v = vector(op, &format!("bounds[{key}]"), &value, Some(2))?;
                    [v[0], v[1]]
                }
            };
        }
        return Ok(bounds);
    }
    let a = f64_array(op, "bounds", obj)?;
    if a.shape() != [n, 2] {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: bounds must be [[low, high], …] for {n} features, or a dict of them, got \
                 shape {:?}",
                a.shape()
            ),
        ));
    }
    let v: Vec<f64> = a.readonly().as_array().iter().copied().collect();
    Ok(v.chunks_exact(2).map(|r| [r[0], r[1]]).collect())
}

/// `model.neurons(X, bounds)`.
pub fn neurons(
    py: Python<'_>,
    model: &Model,
    x: Option<&Bound<'_, PyAny>>,
    given_bounds: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<NeuronHealth>> {
    let op = "neurons";
    let net = network(model)?;
    let rows = x
        .map(|x| matrix(op, "X", x, Some(net.in_dim())).map(|m| m.0))
        .transpose()?;
    let bounds = bounds(op, model, given_bounds)?;
    let health = py
        .detach(|| neuron_health(&net, rows.as_deref(), Some(&bounds)))
        .py_err()?;
    NeuronHealth::new(py, health)
}

/// The health of every hidden unit with a switch, one entry per unit, layer by layer: on the rows
/// of `X` (when given), and on the box `bounds`. A unit is on where its pre-activation is above 0.
/// Statuses are `"dead"`, `"always_active"`, `"switching"` and, for interval bounds that cannot
/// decide, `"unknown"`.
#[pyclass(module = "relulens", frozen)]
pub struct NeuronHealth {
    /// Each unit's hidden layer, from 0: `[units]` (int64).
    #[pyo3(get)]
    layers: Py<PyAny>,
    /// Each unit's index within its layer, from 0: `[units]` (int64).
    #[pyo3(get)]
    units: Py<PyAny>,
    /// The share of the rows each unit is on for, `[units]`; `None` without data.
    #[pyo3(get)]
    rates: Option<Py<PyAny>>,
    /// Each unit's status on the data; `None` without data.
    #[pyo3(get)]
    on_data: Option<Vec<&'static str>>,
    /// Interval bound propagation's bounds on each unit's pre-activation over the box,
    /// `[units, 2]`.
    #[pyo3(get)]
    intervals: Option<Py<PyAny>>,
    /// Each unit's status by interval bounds: `"dead"`, `"always_active"` or `"unknown"`.
    #[pyo3(get)]
    by_bounds: Option<Vec<&'static str>>,
    /// Each unit's exact status on the box, when at most two of its inputs vary; else `None`.
    #[pyo3(get)]
    exact: Option<Vec<&'static str>>,
    /// Each unit's best-known status on the box: the exact one when there is one, else the bounds'.
    #[pyo3(get)]
    on_box: Option<Vec<&'static str>>,
    /// `(layer, unit)` of the units never on for any row; `None` without data.
    #[pyo3(get)]
    dead_on_data: Option<Vec<(usize, usize)>>,
    /// `(layer, unit)` of the units on for every row; `None` without data.
    #[pyo3(get)]
    always_active_on_data: Option<Vec<(usize, usize)>>,
    /// `(layer, unit)` of the units proved dead on the whole box.
    #[pyo3(get)]
    dead_on_box: Option<Vec<(usize, usize)>>,
    /// `(layer, unit)` of the units proved on over the whole box.
    #[pyo3(get)]
    always_active_on_box: Option<Vec<(usize, usize)>>,
    /// The number of data rows; `None` without data.
    #[pyo3(get)]
    rows: Option<usize>,
    /// The box, `[features, 2]`.
    #[pyo3(get)]
    bounds: Option<Py<PyAny>>,
    /// How the box was analysed exactly: `"point"`, `"segment"` or `"slice"`; `None` when more than
    /// two inputs vary (interval bounds only).
    #[pyo3(get)]
    analysis: Option<&'static str>,
    count: usize,
    text: String,
}

impl NeuronHealth {
    fn new(py: Python<'_>, health: Health) -> PyResult<Py<NeuronHealth>> {
        let n = health.units.len();
        let units = &health.units;
        let statuses = |f: fn(&UnitHealth) -> Option<UnitStatus>| -> Option<Vec<&'static str>> {
            units.iter().map(|u| f(u).map(status_name)).collect()
        };
        let ids = |list: Vec<&UnitHealth>| list.iter().map(|u| (u.layer, u.unit)).collect();
        let has_data = health.rows.is_some();
        let has_box = health.bounds.is_some();
        let index = |f: fn(&UnitHealth) -> usize| -> Py<PyAny> {
            let values: Vec<i64> = units.iter().map(|u| f(u) as i64).collect();
            to_array(py, values, &[n]).into_any().unbind()
        };
        Py::new(
            py,
            NeuronHealth {
                layers: index(|u| u.layer),
                units: index(|u| u.unit),
                rates: units
                    .iter()
                    .map(|u| u.rate)
                    .collect::<Option<Vec<f64>>>()
                    .filter(|_| has_data)
                    .map(|r| to_array(py, r, &[n]).into_any().unbind()),
                on_data: statuses(|u| u.on_data).filter(|_| has_data),
                intervals: units
                    .iter()
                    .map(|u| u.interval)
                    .collect::<Option<Vec<[f64; 2]>>>()
                    .filter(|_| has_box)
                    .map(|i| to_array(py, i.concat(), &[n, 2]).into_any().unbind()),
                by_bounds: statuses(|u| u.by_bounds).filter(|_| has_box),
                exact: statuses(|u| u.exact).filter(|_| health.exact.is_some()),
                on_box: statuses(|u| u.on_box()).filter(|_| has_box),
                dead_on_data: has_data.then(|| ids(health.dead_on_data())),
                always_active_on_data: has_data.then(|| ids(health.always_active_on_data())),
                dead_on_box: has_box.then(|| ids(health.dead_on_box())),
                always_active_on_box: has_box.then(|| ids(health.always_active_on_box())),
                rows: health.rows,
                bounds: health
                    .bounds
                    .as_ref()
                    .map(|b| to_array(py, b.concat(), &[b.len(), 2]).into_any().unbind()),
                analysis: health.exact.map(|a| match a {
                    ExactAnalysis::Point => "point",
                    ExactAnalysis::Segment { .. } => "segment",
                    ExactAnalysis::Slice { .. } => "slice",
                }),
                count: n,
                // The library's summary, under the Python class's name.
                text: health.to_string().replacen("Health(", "NeuronHealth(", 1),
            },
        )
    }
}

#[pymethods]
impl NeuronHealth {
    /// The number of hidden units.
    fn __len__(&self) -> usize {
        self.count
    }

    fn __repr__(&self) -> String {
        self.text.clone()
    }
}
