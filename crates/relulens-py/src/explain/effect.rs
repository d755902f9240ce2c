//! `Mlp.effect_curve`: the library's `effect_curve` — the exact effect ∂output/∂x_of as x_along
//! sweeps a range, the other inputs held. Along the sweep the network is piecewise linear, so the
//! effect is piecewise constant; its pieces come back as three arrays.
//!
//! ```python
//! curve = model.effect_curve(of="weight_kg", along="height_cm")
//! curve.starts, curve.ends, curve.effects   # [pieces] each: on [starts[i], ends[i]] the effect is effects[i]
//! ```

use pyo3::prelude::*;
use pyo3::types::PyDict;
use relulens::explain::effect_curve as curve_of;
use relulens::model::Model;

use super::{feature, network, point, short};
use crate::convert::{to_array, vector, Count};
use crate::error::{error, IntoPy, Kind};

/// Checks an output index against the network's outputs.
pub(crate) fn output_index(op: &str, output: Option<Count>, outputs: usize) -> PyResult<usize> {
    let output = output.map_or(0, |c| c.0);
    if output >= outputs as u64 {
        return Err(error(
            Kind::Argument,
            format!("{op}: output {output} out of range for {outputs} outputs"),
        ));
    }
    Ok(output as usize)
}

/// `model.effect_curve(of, along, at, range, output)`.
#[allow(clippy::too_many_arguments)]
pub fn effect_curve(
    py: Python<'_>,
    model: &Model,
    of: &Bound<'_, PyAny>,
    along: &Bound<'_, PyAny>,
    at: Option<&Bound<'_, PyAny>>,
    range: Option<&Bound<'_, PyAny>>,
    output: Option<Count>,
) -> PyResult<Py<EffectCurve>> {
    let op = "effect_curve";
    let net = network(model)?;
    let of = feature(op, model, of)?;
    let along = feature(op, model, along)?;
    let output = output_index(op, output, net.out_dim())?;
    let range = match range {
        Some(r) => {
            let v = vector(op, "range", r, Some(2))?;
            [v[0], v[1]]
        }
        None => model.typical_range(along),
    };
    let at = point(op, "at", model, at)?;
    let curve = py
        .detach(|| curve_of(&net, &at, of, along, range, output))
        .py_err()?;
    let names = model.feature_names();
    let held = PyDict::new(py);
    for (i, name) in names.iter().enumerate() {
        if i != along {
            held.set_item(name, at[i])?;
        }
    }
    let pieces = curve.pieces.len();
    let column = |f: fn(&relulens::explain::EffectPiece) -> f64| -> Py<PyAny> {
        let values: Vec<f64> = curve.pieces.iter().map(f).collect();
        to_array(py, values, &[pieces]).into_any().unbind()
    };
    Py::new(
        py,
        EffectCurve {
            of: names[of].clone(),
            along: names[along].clone(),
            output,
            at: held.into_any().unbind(),
            range: to_array(py, range.to_vec(), &[2]).into_any().unbind(),
            starts: column(|p| p.from),
            ends: column(|p| p.to),
            effects: column(|p| p.effect),
            range_values: range,
            effect_values: curve.pieces.iter().map(|p| p.effect).collect(),
        },
    )
}

/// The exact effect of one input (∂output/∂x_of) as another input sweeps a range, the rest held:
/// piecewise constant, as pieces `[starts[i], ends[i]]` with effect `effects[i]`, increasing and
/// contiguous (`ends[i] == starts[i + 1]`); adjacent pieces differ in effect.
#[pyclass(module = "relulens", frozen)]
pub struct EffectCurve {
    /// The input whose effect is measured.
    #[pyo3(get)]
    of: String,
    /// The input that sweeps.
    #[pyo3(get)]
    along: String,
    /// The output whose derivative it is.
    #[pyo3(get)]
    output: usize,
    /// The values at which the other inputs (`of` among them) are held.
    #[pyo3(get)]
    at: Py<PyAny>,
    /// The swept range `[low, high]`.
    #[pyo3(get)]
    range: Py<PyAny>,
    /// Where each piece starts, in `along`'s units: `[pieces]`.
    #[pyo3(get)]
    starts: Py<PyAny>,
    /// Where each piece ends: `[pieces]`.
    #[pyo3(get)]
    ends: Py<PyAny>,
    /// ∂output/∂x_of on each piece: `[pieces]`.
    #[pyo3(get)]
    effects: Py<PyAny>,
    range_values: [f64; 2],
    effect_values: Vec<f64>,
}

#[pymethods]
impl EffectCurve {
    /// The number of pieces.
    fn __len__(&self) -> usize {
        self.effect_values.len()
    }

    fn __repr__(&self) -> String {
        let (low, high) = self
            .effect_values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        let n = self.effect_values.len();
        let number = |v: f64| short(&[v]).trim_matches(['[', ']']).to_string();
        format!(
            "EffectCurve(∂output{}/∂{} as {} ∈ [{}, {}]: {n} piece{}, effects from {} to {})",
            self.output,
            self.of,
            self.along,
            number(self.range_values[0]),
            number(self.range_values[1]),
            if n == 1 { "" } else { "s" },
            number(low),
            number(high)
        )
    }
}
