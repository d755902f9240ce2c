//! `Mlp.explain_point`: the library's `explain_point` on the model's network on raw inputs — the
//! outputs at a point, the exact affine map of its linear region, which units are on, and how far
//! each input can move alone before the network bends.
//!
//! ```python
//! e = model.explain_point({"height_cm": 170, "weight_kg": 95})
//! e.jacobian            # [outputs, features]: each input's exact local slope
//! e.distance_above      # [features]: how far each input can rise before a kink (NaN: none near)
//! ```

use pyo3::prelude::*;
use relulens::explain::explain_point as explain;
use relulens::model::Model;

use super::{network, point, short};
use crate::convert::{to_array, vector, Number};
use crate::error::IntoPy;

/// Per input, how far from the point to search for kinks: `radius` (one number for every input,
/// or one per input), else twice each input's typical width, as `relulens explain-point` searches.
fn radii(op: &str, model: &Model, radius: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<f64>> {
    let n = model.feature_names().len();
    match radius {
        None => Ok((0..n)
            .map(|i| {
                let [low, high] = model.typical_range(i);
                2.0 * (high - low).max(1e-9)
            })
            .collect()),
        Some(r) => match r.extract::<Number>() {
            Ok(Number(v)) => Ok(vec![v; n]),
            Err(_) => vector(op, "radius", r, Some(n)),
        },
    }
}

/// `model.explain_point(at, radius)`.
pub fn explain_point(
    py: Python<'_>,
    model: &Model,
    at: &Bound<'_, PyAny>,
    radius: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<LocalExplanation>> {
    let op = "explain_point";
    let net = network(model)?;
    let at = point(op, "at", model, Some(at))?;
    let radius = radii(op, model, radius)?;
    let e = py.detach(|| explain(&net, &at, &radius)).py_err()?;
    let (n, outputs) = (net.in_dim(), net.out_dim());
    let array = |values: Vec<f64>, shape: &[usize]| to_array(py, values, shape).into_any().unbind();
    // NaN where no kink lies within the searched radius: a NumPy array has no None.
    let or_nan = |v: &[Option<f64>]| v.iter().map(|k| k.unwrap_or(f64::NAN)).collect::<Vec<_>>();
    let below = or_nan(&e.kink_below);
    let above = or_nan(&e.kink_above);
    let distance_below: Vec<f64> = below.iter().zip(&at).map(|(k, x)| x - k).collect();
    let distance_above: Vec<f64> = above.iter().zip(&at).map(|(k, x)| k - x).collect();
    Py::new(
        py,
        LocalExplanation {
            feature_names: model.feature_names().to_vec(),
            point: array(e.point.clone(), &[n]),
            outputs: array(e.outputs.clone(), &[outputs]),
            jacobian: array(e.jacobian, &[outputs, n]),
            offset: array(e.offset, &[outputs]),
            pattern: e.pattern.to_string(),
            active: e
                .active
                .iter()
                .map(|layer| {
                    to_array(py, layer.clone(), &[layer.len()])
                        .into_any()
                        .unbind()
                })
                .collect(),
            kink_below: array(below, &[n]),
            kink_above: array(above, &[n]),
            distance_below: array(distance_below, &[n]),
            distance_above: array(distance_above, &[n]),
            radius: array(radius, &[n]),
            point_values: e.point,
            output_values: e.outputs,
            on_per_layer: e
                .active
                .iter()
                .map(|l| (l.iter().filter(|&&a| a).count(), l.len()))
                .collect(),
        },
    )
}

/// A network explained at one point: its outputs, the exact affine map of the linear region the
/// point lies in (`outputs = jacobian @ x + offset` on the whole region), which hidden units are on,
/// and, per input moved alone, the nearest kinks below and above.
#[pyclass(module = "relulens", frozen)]
pub struct LocalExplanation {
    /// The input features' names.
    #[pyo3(get)]
    feature_names: Vec<String>,
    /// The point, `[features]`.
    #[pyo3(get)]
    point: Py<PyAny>,
    /// The outputs there, `[outputs]` (logits for a classifier).
    #[pyo3(get)]
    outputs: Py<PyAny>,
    /// ∂output/∂input on the point's region, `[outputs, features]`: every input's exact local slope.
    #[pyo3(get)]
    jacobian: Py<PyAny>,
    /// The affine map's constant, `[outputs]`.
    #[pyo3(get)]
    offset: Py<PyAny>,
    /// The activation pattern (per hidden unit whether it is on, layers split by `|`).
    #[pyo3(get)]
    pattern: String,
    /// Per hidden layer, which units are on: a bool array `[units]` each.
    #[pyo3(get)]
    active: Vec<Py<PyAny>>,
    /// Per input moved alone, the nearest value below the point's where the network bends, NaN when
    /// none lies within `radius`: `[features]`.
    #[pyo3(get)]
    kink_below: Py<PyAny>,
    /// Per input, the nearest such value above, NaN when none lies within `radius`.
    #[pyo3(get)]
    kink_above: Py<PyAny>,
    /// `point - kink_below`: how far each input can fall before the network bends (NaN: no kink
    /// within `radius`).
    #[pyo3(get)]
    distance_below: Py<PyAny>,
    /// `kink_above - point`: how far each input can rise before the network bends.
    #[pyo3(get)]
    distance_above: Py<PyAny>,
    /// How far from the point each input's kinks were searched, `[features]`.
    #[pyo3(get)]
    radius: Py<PyAny>,
    point_values: Vec<f64>,
    output_values: Vec<f64>,
    on_per_layer: Vec<(usize, usize)>,
}

#[pymethods]
impl LocalExplanation {
    fn __repr__(&self) -> String {
        let at: Vec<String> = (self.feature_names.iter().zip(&self.point_values))
            .map(|(f, v)| format!("{f}={}", short(&[*v]).trim_matches(['[', ']'])))
            .collect();
        let on: Vec<String> = self
            .on_per_layer
            .iter()
            .map(|(on, units)| format!("{on}/{units}"))
            .collect();
        format!(
            "LocalExplanation(at {}: outputs {}; units on per layer {})",
            at.join(", "),
            short(&self.output_values),
            if on.is_empty() {
                "none".to_string()
            } else {
                on.join(", ")
            }
        )
    }
}
