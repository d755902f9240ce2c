//! `relulens.Neuron`: the library's single node `φ(w·x + b)` with named inputs, evaluated and
//! explained exactly at a point — each input's share of the pre-activation, on or off, the
//! gradient, and where each input would make the node switch with the others held.
//!
//! ```python
//! node = relulens.Neuron(weights={"A": 2, "B": 3}, bias=0)
//! node(A=1, B=-100)                  # 0.0
//! e = node.explain(A=1, B=-100)
//! e.pre_activation, e.active         # (-298.0, False)
//! e.switch_at                        # {'A': 150.0, 'B': -0.666...}
//! ```

use pyo3::prelude::*;
use pyo3::types::PyDict;
use relulens::activation::Activation;
use relulens::explain::{Neuron as Node, NeuronExplanation as Explanation};

use super::short;
use crate::convert::{f64_array, to_array, type_name, Number, Text};
use crate::error::{error, guard, IntoPy, Kind};
use numpy::{PyArrayMethods, PyUntypedArrayMethods};

/// One node: named inputs, their weights, a bias and a piecewise-linear activation.
#[pyclass(module = "relulens", frozen)]
pub struct Neuron {
    node: Node,
}

/// The points a call gives: one (a dict, keywords, or a 1-D sequence) or rows (a 2-D array).
enum Points {
    One(Vec<f64>),
    Rows(Vec<f64>, usize),
}

impl Neuron {
    /// `values` (a dict or an array) and `kwargs` (by name) as points, each value in the inputs'
    /// order.
    fn points(
        &self,
        op: &str,
        values: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
        rows_allowed: bool,
    ) -> PyResult<Points> {
        let names = self.node.names();
        let n = names.len();
        let mut given: Vec<Option<f64>> = vec![None; n];
        let mut by_name = |key: &Bound<'_, PyAny>, value: &Bound<'_, PyAny>| -> PyResult<()> {
            let Text(name) = key.extract::<Text>().map_err(|e| {
                error(
                    Kind::Dtype,
                    format!("{op}: an input is named by a string: {e}"),
                )
            })?;
            let i = names.iter().position(|f| *f == name).ok_or_else(|| {
                error(
                    Kind::Data,
                    format!(
                        "{op}: the neuron has no input {name:?}; its inputs are {}",
                        names.join(", ")
                    ),
                )
            })?;
            let Number(v) = value
                .extract::<Number>()
                .map_err(|e| error(Kind::Dtype, format!("{op}: {name}: {e}")))?;
            if given[i].replace(v).is_some() {
                return Err(error(
                    Kind::Argument,
                    format!("{op}: {name} is given twice"),
                ));
            }
            Ok(())
        };
        let mut named = false;
        match values {
            Some(v) if v.cast::<PyDict>().is_ok() => {
                for (key, value) in v.cast::<PyDict>()?.iter() {
                    by_name(&key, &value)?;
                }
                named = true;
            }
            Some(v) => {
                if kwargs.is_some_and(|k| !k.is_empty()) {
                    return Err(error(
                        Kind::Argument,
                        format!("{op}: give the values as one array or by name, not both"),
                    ));
                }
                let a = f64_array(op, "values", v)?;
                let shape = a.shape().to_vec();
                let values: Vec<f64> = a.readonly().as_array().iter().copied().collect();
                return match shape[..] {
                    [m] if m == n => Ok(Points::One(values)),
                    [rows, m] if m == n && rows_allowed => Ok(Points::Rows(values, rows)),
                    _ => {
                        Err(error(
                            Kind::Shape,
                            format!(
                            "{op}: values of shape {shape:?}; the neuron takes {n} input{} ({}){}",
                            if n == 1 { "" } else { "s" },
                            names.join(", "),
                            if rows_allowed { ", or rows of them" } else { "" }
                        ),
                        ))
                    }
                };
            }
            None => {}
        }
        if let Some(kwargs) = kwargs {
            for (key, value) in kwargs.iter() {
                by_name(&key, &value)?;
                named = true;
            }
        }
        let missing: Vec<&str> = (names.iter().zip(&given))
            .filter(|(_, v)| v.is_none())
            .map(|(f, _)| f.as_str())
            .collect();
        if !missing.is_empty() {
            return Err(error(
                Kind::Argument,
                if named {
                    format!(
                        "{op}: give a value for every input; missing {}",
                        missing.join(", ")
                    )
                } else {
                    format!(
                        "{op}: give the inputs' values ({}), by name or as an array",
                        names.join(", ")
                    )
                },
            ));
        }
        Ok(Points::One(given.into_iter().flatten().collect()))
    }
}

/// The inputs' names and weights: a dict `{name: weight}`, or a sequence of weights (named `x0`,
/// `x1`, …).
fn weights(op: &str, obj: &Bound<'_, PyAny>) -> PyResult<(Vec<String>, Vec<f64>)> {
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut names = Vec::with_capacity(dict.len());
        let mut weights = Vec::with_capacity(dict.len());
        for (key, value) in dict.iter() {
            let Text(name) = key.extract::<Text>().map_err(|_| {
                error(
                    Kind::Dtype,
                    format!(
                        "{op}: an input is named by a string, got {}",
                        type_name(&key.as_borrowed())
                    ),
                )
            })?;
            let Number(w) = value
                .extract::<Number>()
                .map_err(|e| error(Kind::Dtype, format!("{op}: the weight of {name}: {e}")))?;
            names.push(name);
            weights.push(w);
        }
        return Ok((names, weights));
    }
    let a = f64_array(op, "weights", obj)?;
    if a.ndim() != 1 {
        return Err(error(
            Kind::Shape,
            format!("{op}: weights must be 1-D, got shape {:?}", a.shape()),
        ));
    }
    let weights: Vec<f64> = a.readonly().as_array().iter().copied().collect();
    let names = (0..weights.len()).map(|i| format!("x{i}")).collect();
    Ok((names, weights))
}

#[pymethods]
impl Neuron {
    /// A node `activation(w·x + bias)`: `weights` a dict `{input name: weight}` (or a sequence of
    /// weights, the inputs then named `x0`, `x1`, …), `activation` ReLU or another member of the
    /// piecewise-linear family with its switch at 0 (`"leaky_relu(negative_slope=0.1)"`, `"prelu"`,
    /// `"relu6"`).
    #[new]
    #[pyo3(signature = (weights, bias = None, activation = None),
        text_signature = "(weights, bias=0.0, activation='relu')")]
    fn new(
        weights: &Bound<'_, PyAny>,
        bias: Option<Number>,
        activation: Option<Text>,
    ) -> PyResult<Self> {
        let op = "Neuron";
        guard(op, || {
            let (names, weights) = self::weights(op, weights)?;
            let mut node = Node::new(names, weights, bias.map_or(0.0, |b| b.0)).py_err()?;
            if let Some(Text(text)) = activation {
                let activation: Activation = text.parse().py_err()?;
                node = node.with_activation(activation).py_err()?;
            }
            Ok(Neuron { node })
        })
    }

    /// The inputs' names, in order.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.node.names().to_vec()
    }

    /// The weights, `{input name: weight}`.
    #[getter]
    fn weights<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        by_name(py, self.node.names(), self.node.weights().iter().copied())
    }

    /// The bias.
    #[getter]
    fn bias(&self) -> f64 {
        self.node.bias()
    }

    /// The activation, as text (`"relu"`).
    #[getter]
    fn activation(&self) -> String {
        self.node.activation().to_string()
    }

    /// The output `activation(w·x + bias)` at a point given as a dict, as keywords
    /// (`node(A=1, B=-100)`) or as a sequence in the inputs' order; or, for rows `[rows, inputs]`,
    /// the outputs `[rows]`.
    #[pyo3(signature = (values = None, /, **kwargs))]
    fn __call__<'py>(
        &self,
        py: Python<'py>,
        values: Option<&Bound<'py, PyAny>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let op = "Neuron";
        guard(op, || match self.points(op, values, kwargs, true)? {
            Points::One(x) => Ok(self
                .node
                .evaluate(&x)
                .py_err()?
                .into_pyobject(py)?
                .into_any()),
            Points::Rows(rows, n) => {
                let width = self.node.names().len();
                let outputs = rows
                    .chunks_exact(width)
                    .map(|x| self.node.evaluate(x))
                    .collect::<Result<Vec<f64>, _>>()
                    .py_err()?;
                Ok(to_array(py, outputs, &[n]).into_any())
            }
        })
    }

    /// The exact account of the node at a point (a dict, keywords or a sequence in the inputs'
    /// order): pre-activation and each input's share of it, on or off, output, gradient, and where
    /// each input would make the node switch with the others held.
    #[pyo3(signature = (values = None, /, **kwargs), text_signature = "(self, values=None, /, **kwargs)")]
    fn explain(
        &self,
        values: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<NeuronExplanation> {
        let op = "Neuron.explain";
        guard(op, || match self.points(op, values, kwargs, false)? {
            Points::One(x) => Ok(NeuronExplanation {
                inner: self.node.explain(&x).py_err()?,
            }),
            Points::Rows(..) => unreachable!("rows are refused for explain"),
        })
    }

    fn __repr__(&self) -> String {
        self.node.to_string()
    }
}

/// A dict `{name: value}` in the inputs' order.
fn by_name<'py, T: IntoPyObject<'py>>(
    py: Python<'py>,
    names: &[String],
    values: impl Iterator<Item = T>,
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (name, value) in names.iter().zip(values) {
        d.set_item(name, value)?;
    }
    Ok(d)
}

/// What a `Neuron` does at one point, exactly. Per-input values are dicts in the inputs' order;
/// `str()` gives the account in words.
#[pyclass(module = "relulens", frozen)]
pub struct NeuronExplanation {
    inner: Explanation,
}

#[pymethods]
impl NeuronExplanation {
    /// The inputs' names.
    #[getter]
    fn names(&self) -> Vec<String> {
        self.inner.names.clone()
    }

    /// The point, `{input: value}`.
    #[getter]
    fn point<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        by_name(py, &self.inner.names, self.inner.point.iter().copied())
    }

    /// z = sum(contributions) + bias.
    #[getter]
    fn pre_activation(&self) -> f64 {
        self.inner.pre_activation
    }

    /// The output, activation(z).
    #[getter]
    fn output(&self) -> f64 {
        self.inner.output
    }

    /// Whether the node is on: z > 0 (z = 0 is off, PyTorch's convention at the kink).
    #[getter]
    fn active(&self) -> bool {
        self.inner.active
    }

    /// Each input's share of z, `{input: weight · value}`.
    #[getter]
    fn contributions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        by_name(
            py,
            &self.inner.names,
            self.inner.contributions.iter().copied(),
        )
    }

    /// The bias's share of z.
    #[getter]
    fn bias(&self) -> f64 {
        self.inner.bias
    }

    /// ∂output/∂input, `{input: slope · weight}` with the slope of the piece z lies on (0 for ReLU
    /// when off).
    #[getter]
    fn gradient<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        by_name(py, &self.inner.names, self.inner.gradient.iter().copied())
    }

    /// For each input, the value at which z crosses 0 with the other inputs held, `None` when its
    /// weight is 0.
    #[getter]
    fn switch_at<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        by_name(py, &self.inner.names, self.inner.switch_at.iter().copied())
    }

    /// For each input, how far it must move from the point to reach `switch_at` (`None` for a
    /// weight of 0).
    #[getter]
    fn change_to_switch<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        by_name(
            py,
            &self.inner.names,
            self.inner.change_to_switch.iter().copied(),
        )
    }

    /// For each input, whether the node is on above `switch_at` (weight > 0) rather than below.
    #[getter]
    fn on_above<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        by_name(py, &self.inner.names, self.inner.on_above.iter().copied())
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __repr__(&self) -> String {
        let e = &self.inner;
        let number = |v: f64| short(&[v]).trim_matches(['[', ']']).to_string();
        let at: Vec<String> = (e.names.iter().zip(&e.point))
            .map(|(n, v)| format!("{n}={}", number(*v)))
            .collect();
        format!(
            "NeuronExplanation(at {}: pre-activation {}, {}, output {})",
            at.join(", "),
            number(e.pre_activation),
            if e.active { "on" } else { "off" },
            number(e.output)
        )
    }
}
