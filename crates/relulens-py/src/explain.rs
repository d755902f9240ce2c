//! Exact geometry and explanations from Python: `Mlp.kinks`, `Mlp.regions` and
//! `Mlp.decision_boundary` (here), `Mlp.explain_point` ([`local`]), `Mlp.effect_curve`
//! ([`effect`]), `Mlp.interactions` ([`interactions`]), `Mlp.neurons` ([`health`]) and
//! `relulens.Neuron` ([`neuron`]), as the library's `explain` modules are split. Each calls the
//! library on the model's network on raw inputs (the standardisation folded in), so every
//! coordinate is in the user's units; the results are small classes holding NumPy arrays.
//!
//! ```python
//! kinks = model.kinks(start=[150, 50], end=[200, 120])
//! kinks.points            # [k, features]: where the network bends along the segment
//! regions = model.regions(x="height_cm", y="weight_kg")
//! len(regions), regions.areas.sum()
//! ```

pub mod effect;
pub mod health;
pub mod interactions;
pub mod local;
pub mod neuron;

use pyo3::prelude::*;
use pyo3::types::PyDict;
use relulens::data::Task;
use relulens::explain::{
    decision_boundary, kinks_along, level_set, regions_on_slice, PiecewiseLinear, RegionOptions,
    Regions as Partition, Slice,
};
use relulens::model::Model;

use crate::convert::{f64_array, to_array, type_name, vector, Count, Number, Text};
use crate::error::{error, IntoPy, Kind};
use numpy::{PyArrayMethods, PyUntypedArrayMethods};

/// The model's network on raw inputs, ready for exact geometry.
fn network(model: &Model) -> PyResult<PiecewiseLinear> {
    PiecewiseLinear::new(&model.folded()).py_err()
}

/// The index of a feature given by name or position.
pub(crate) fn feature(op: &str, model: &Model, which: &Bound<'_, PyAny>) -> PyResult<usize> {
    feature_in(op, model.feature_names(), which)
}

/// The index of a feature of `names` given by name or position.
fn feature_in(op: &str, names: &[String], which: &Bound<'_, PyAny>) -> PyResult<usize> {
    if let Ok(Text(name)) = which.extract::<Text>() {
        return names.iter().position(|f| *f == name).ok_or_else(|| {
            error(
                Kind::Data,
                format!(
                    "{op}: the model has no feature {name:?}; its features are {}",
                    names.join(", ")
                ),
            )
        });
    }
    match which.extract::<Count>() {
        Ok(Count(i)) if (i as usize) < names.len() => Ok(i as usize),
        Ok(Count(i)) => Err(error(
            Kind::Argument,
            format!(
                "{op}: feature index {i} out of range for {} features",
                names.len()
            ),
        )),
        Err(_) => Err(error(
            Kind::Dtype,
            format!(
                "{op}: a feature is a name or an index, got {}",
                type_name(&which.as_borrowed())
            ),
        )),
    }
}

/// A full input: a sequence of one number per feature, or a dict `{feature: value}` with the other
/// features at their typical values (training medians).
fn point(
    op: &str,
    what: &str,
    model: &Model,
    obj: Option<&Bound<'_, PyAny>>,
) -> PyResult<Vec<f64>> {
    let n = model.feature_names().len();
    let mut values: Vec<f64> = (0..n).map(|i| model.typical_value(i)).collect();
    let Some(obj) = obj else {
        return Ok(values);
    };
    if let Ok(dict) = obj.cast::<PyDict>() {
        for (key, value) in dict.iter() {
            let i = feature(op, model, &key)?;
            values[i] = value
                .extract::<Number>()
                .map_err(|e| error(Kind::Dtype, format!("{op}: {what}[{key}]: {e}")))?
                .0;
        }
        return Ok(values);
    }
    vector(op, what, obj, Some(n))
}

/// `[[x0, x1], [y0, y1]]`.
fn rectangle(op: &str, obj: &Bound<'_, PyAny>) -> PyResult<[[f64; 2]; 2]> {
    let a = f64_array(op, "bounds", obj)?;
    if a.shape() != [2, 2] {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: bounds must be [[x0, x1], [y0, y1]], got shape {:?}",
                a.shape()
            ),
        ));
    }
    let v: Vec<f64> = a.readonly().as_array().iter().copied().collect();
    Ok([[v[0], v[1]], [v[2], v[3]]])
}

/// `model.kinks(start, end)`.
pub fn kinks(
    py: Python<'_>,
    model: &Model,
    start: &Bound<'_, PyAny>,
    end: &Bound<'_, PyAny>,
) -> PyResult<Py<Kinks>> {
    let op = "kinks";
    let net = network(model)?;
    let start = point(op, "start", model, Some(start))?;
    let end = point(op, "end", model, Some(end))?;
    let k = py.detach(|| kinks_along(&net, &start, &end)).py_err()?;
    let (n_in, n_out, p) = (net.in_dim(), net.out_dim(), k.pieces.len());
    let points: Vec<f64> = k.points().concat();
    let flat = |f: &dyn Fn(&relulens::explain::Piece) -> Vec<f64>| -> Vec<f64> {
        k.pieces.iter().flat_map(f).collect()
    };
    let array = |values: Vec<f64>, shape: &[usize]| to_array(py, values, shape).into_any().unbind();
    Py::new(
        py,
        Kinks {
            feature_names: model.feature_names().to_vec(),
            start: array(k.start.clone(), &[n_in]),
            end: array(k.end.clone(), &[n_in]),
            t: array(k.kinks.clone(), &[k.kinks.len()]),
            points: array(points, &[k.kinks.len(), n_in]),
            piece_bounds: array(flat(&|p| vec![p.t0, p.t1]), &[p, 2]),
            outputs_start: array(flat(&|p| p.outputs_start.clone()), &[p, n_out]),
            outputs_end: array(flat(&|p| p.outputs_end.clone()), &[p, n_out]),
            slopes: array(flat(&|p| p.slope_per_t()), &[p, n_out]),
            jacobians: array(flat(&|p| p.jacobian.clone()), &[p, n_out, n_in]),
            patterns: k.pieces.iter().map(|p| p.pattern.to_string()).collect(),
            count: k.kinks.len(),
            start_values: k.start,
            end_values: k.end,
        },
    )
}

/// The kinks of a network along a segment from `start` to `end` (x(t) = start + t·(end − start),
/// t ∈ [0, 1]), and the affine pieces between them.
#[pyclass(module = "relulens", frozen)]
pub struct Kinks {
    /// The input features' names.
    #[pyo3(get)]
    feature_names: Vec<String>,
    /// The segment's start, `[features]`.
    #[pyo3(get)]
    start: Py<PyAny>,
    /// The segment's end, `[features]`.
    #[pyo3(get)]
    end: Py<PyAny>,
    /// Where each kink lies, as t in (0, 1), increasing: `[kinks]`.
    #[pyo3(get)]
    t: Py<PyAny>,
    /// The kinks as inputs, `[kinks, features]`.
    #[pyo3(get)]
    points: Py<PyAny>,
    /// Each piece's `[t0, t1]`: `[pieces, 2]`.
    #[pyo3(get)]
    piece_bounds: Py<PyAny>,
    /// The outputs at each piece's start, `[pieces, outputs]`.
    #[pyo3(get)]
    outputs_start: Py<PyAny>,
    /// The outputs at each piece's end, `[pieces, outputs]`.
    #[pyo3(get)]
    outputs_end: Py<PyAny>,
    /// d output / d t on each piece, `[pieces, outputs]`.
    #[pyo3(get)]
    slopes: Py<PyAny>,
    /// ∂output/∂input on each piece, `[pieces, outputs, features]`.
    #[pyo3(get)]
    jacobians: Py<PyAny>,
    /// Each piece's activation pattern (per layer, how many units are on).
    #[pyo3(get)]
    patterns: Vec<String>,
    count: usize,
    start_values: Vec<f64>,
    end_values: Vec<f64>,
}

/// Numbers for a repr: short, and in full precision only where needed.
fn short(values: &[f64]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|v| {
            format!("{v:.4}")
                .trim_end_matches('0')
                .trim_end_matches('.')
                .to_string()
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

#[pymethods]
impl Kinks {
    /// The number of kinks.
    fn __len__(&self) -> usize {
        self.count
    }

    /// The number of affine pieces (kinks + 1).
    #[getter]
    fn pieces(&self) -> usize {
        self.patterns.len()
    }

    fn __repr__(&self) -> String {
        format!(
            "Kinks({} kink{} and {} affine piece{} from {} to {})",
            self.count,
            if self.count == 1 { "" } else { "s" },
            self.patterns.len(),
            if self.patterns.len() == 1 { "" } else { "s" },
            short(&self.start_values),
            short(&self.end_values)
        )
    }
}

/// `model.regions(...)`.
#[allow(clippy::too_many_arguments)]
pub fn regions(
    py: Python<'_>,
    model: &Model,
    x: Option<&Bound<'_, PyAny>>,
    y: Option<&Bound<'_, PyAny>>,
    bounds: Option<&Bound<'_, PyAny>>,
    at: Option<&Bound<'_, PyAny>>,
    max_regions: Option<Count>,
) -> PyResult<Py<Regions>> {
    let op = "regions";
    let net = network(model)?;
    if net.in_dim() < 2 {
        return Err(error(
            Kind::Geometry,
            format!("{op}: the model has one input; use kinks(start, end) for its exact pieces"),
        ));
    }
    let xi = match x {
        Some(x) => feature(op, model, x)?,
        None => 0,
    };
    let yi = match y {
        Some(y) => feature(op, model, y)?,
        None => usize::from(xi == 0),
    };
    let bounds = match bounds {
        Some(b) => rectangle(op, b)?,
        None => [model.typical_range(xi), model.typical_range(yi)],
    };
    let at = point(op, "at", model, at)?;
    let slice = Slice::features(&at, xi, yi, bounds).py_err()?;
    let options = RegionOptions {
        max_regions: max_regions.map_or(RegionOptions::default().max_regions, |c| {
            usize::try_from(c.0).unwrap_or(usize::MAX)
        }),
    };
    let partition = py
        .detach(|| regions_on_slice(&net, &slice, &options))
        .py_err()?;

    let n = partition.count();
    let outputs = net.out_dim();
    let rs = &partition.regions;
    let array = |values: Vec<f64>, shape: &[usize]| to_array(py, values, shape).into_any().unbind();
    let vertices: Vec<Py<PyAny>> = rs
        .iter()
        .map(|r| array(r.vertices.concat(), &[r.vertices.len(), 2]))
        .collect();
    let adjacency: Vec<i64> = partition
        .adjacency()
        .iter()
        .flat_map(|&(a, b)| [a as i64, b as i64])
        .collect();
    let names = model.feature_names();
    let held = PyDict::new(py);
    for (i, name) in names.iter().enumerate() {
        if i != xi && i != yi {
            held.set_item(name, at[i])?;
        }
    }
    Py::new(
        py,
        Regions {
            x: names[xi].clone(),
            y: names[yi].clone(),
            bounds: array(bounds.concat(), &[2, 2]),
            at: held.into_any().unbind(),
            vertices,
            patterns: rs.iter().map(|r| r.pattern.to_string()).collect(),
            gradients: array(
                rs.iter().flat_map(|r| r.gradient.concat()).collect(),
                &[n, outputs, 2],
            ),
            values_at_centroid: array(
                rs.iter()
                    .flat_map(|r| r.value_at_centroid.iter().copied())
                    .collect(),
                &[n, outputs],
            ),
            areas: array(rs.iter().map(|r| r.area).collect(), &[n]),
            centroids: array(rs.iter().flat_map(|r| r.centroid).collect(), &[n, 2]),
            adjacency: to_array(py, adjacency, &[partition.adjacency().len(), 2])
                .into_any()
                .unbind(),
            bounds_values: bounds,
            task: model.info().task,
            model_text: model.mlp().to_string(),
            partition,
            net,
        },
    )
}

/// The exact partition of a rectangle of a 2-D slice (features `x` and `y`, the others held at
/// `at`) into the linear regions of a network, each a convex polygon on which it is affine.
/// Coordinates are the two features' own values.
#[pyclass(module = "relulens", frozen)]
pub struct Regions {
    /// The feature along the first axis.
    #[pyo3(get)]
    x: String,
    /// The feature along the second axis.
    #[pyo3(get)]
    y: String,
    /// `[[x0, x1], [y0, y1]]`.
    #[pyo3(get)]
    bounds: Py<PyAny>,
    /// The values at which the other features are held.
    #[pyo3(get)]
    at: Py<PyAny>,
    /// Each region's vertices `[k, 2]`, counter-clockwise.
    #[pyo3(get)]
    vertices: Vec<Py<PyAny>>,
    /// Each region's activation pattern (per layer, how many units are on).
    #[pyo3(get)]
    patterns: Vec<String>,
    /// Per region and output, the gradient along (x, y): `[regions, outputs, 2]`.
    #[pyo3(get)]
    gradients: Py<PyAny>,
    /// Per region, the outputs at its centroid: `[regions, outputs]`.
    #[pyo3(get)]
    values_at_centroid: Py<PyAny>,
    /// Each region's area, `[regions]`.
    #[pyo3(get)]
    areas: Py<PyAny>,
    /// Each region's centroid, `[regions, 2]`.
    #[pyo3(get)]
    centroids: Py<PyAny>,
    /// Pairs of regions that share an edge, lower index first: `[pairs, 2]` (int64).
    #[pyo3(get)]
    adjacency: Py<PyAny>,
    bounds_values: [[f64; 2]; 2],
    task: Option<Task>,
    model_text: String,
    partition: Partition,
    net: PiecewiseLinear,
}

/// The boundary of a partition: a level set when `level` is given, else the decision boundary.
pub fn boundary_of(
    py: Python<'_>,
    regions: &Regions,
    level: Option<Number>,
    output: Option<Count>,
) -> PyResult<Py<Boundary>> {
    let op = "decision_boundary";
    let outputs = regions.net.out_dim();
    let output = output.map_or(0, |c| c.0);
    if output >= outputs as u64 {
        return Err(error(
            Kind::Argument,
            format!("{op}: output {output} out of range for {outputs} outputs"),
        ));
    }
    let partition = &regions.partition;
    let (boundary, level) = match level {
        Some(Number(level)) => {
            if !level.is_finite() {
                return Err(error(Kind::NonFinite, format!("{op}: level must be finite, got {level}")));
            }
            (py.detach(|| level_set(partition, output as usize, level)).py_err()?, Some(level))
        }
        None if regions.task == Some(Task::Regression) => {
            return Err(error(
                Kind::Geometry,
                format!("{op}: a regression model has no decision boundary; give level= for where its output equals a value"),
            ))
        }
        None => (py.detach(|| decision_boundary(partition)), None),
    };
    let polylines = boundary
        .polylines
        .iter()
        .map(|line| {
            to_array(py, line.concat(), &[line.len(), 2])
                .into_any()
                .unbind()
        })
        .collect();
    Py::new(
        py,
        Boundary {
            polylines,
            segments: boundary.segments,
            level,
            x: regions.x.clone(),
            y: regions.y.clone(),
        },
    )
}

#[pymethods]
impl Regions {
    /// The number of regions.
    fn __len__(&self) -> usize {
        self.partition.count()
    }

    /// Each region's full Jacobian ∂output/∂input, `[regions, outputs, features]` (computed on
    /// demand: a product through every layer per region).
    fn jacobians<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let n = self.partition.count();
        let values: Vec<f64> = (0..n)
            .flat_map(|i| self.partition.jacobian(&self.net, i))
            .collect();
        to_array(py, values, &[n, self.net.out_dim(), self.net.in_dim()]).into_any()
    }

    /// The index of the region containing the point (x, y) of the plane, or `None` outside.
    #[pyo3(text_signature = "(self, x, y)")]
    fn locate(&self, x: Number, y: Number) -> Option<usize> {
        let [[x0, x1], [y0, y1]] = self.bounds_values;
        if !(x0..=x1).contains(&x.0) || !(y0..=y1).contains(&y.0) {
            return None;
        }
        self.partition.locate(&self.net, x.0, y.0)
    }

    /// The decision boundary in this rectangle, or with `level` the level set of output `output`.
    #[pyo3(signature = (level = None, output = None), text_signature = "(self, level=None, output=0)")]
    fn decision_boundary(
        slf: &Bound<'_, Self>,
        level: Option<Number>,
        output: Option<Count>,
    ) -> PyResult<Py<Boundary>> {
        boundary_of(slf.py(), slf.get(), level, output)
    }

    fn __repr__(&self) -> String {
        let [[x0, x1], [y0, y1]] = self.bounds_values;
        let n = self.partition.count();
        let mut text = format!(
            "Regions({n} linear region{} of {} on {} ∈ [{}, {}] × {} ∈ [{}, {}]",
            if n == 1 { "" } else { "s" },
            self.model_text,
            self.x,
            short(&[x0]).trim_matches(['[', ']']),
            short(&[x1]).trim_matches(['[', ']']),
            self.y,
            short(&[y0]).trim_matches(['[', ']']),
            short(&[y1]).trim_matches(['[', ']']),
        );
        Python::attach(|py| {
            if let Ok(held) = self.at.bind(py).cast::<PyDict>() {
                if !held.is_empty() {
                    let parts: Vec<String> = held
                        .iter()
                        .map(|(k, v)| {
                            format!(
                                "{}={}",
                                k,
                                v.str().map(|s| s.to_string()).unwrap_or_default()
                            )
                        })
                        .collect();
                    text.push_str(&format!("; {}", parts.join(", ")));
                }
            }
        });
        text.push(')');
        text
    }
}

/// Polylines in the plane of a `Regions`: the decision boundary, or a level set.
#[pyclass(module = "relulens", frozen)]
pub struct Boundary {
    /// Each polyline's points `[k, 2]` in order; a closed one repeats its first point at the end.
    #[pyo3(get)]
    polylines: Vec<Py<PyAny>>,
    /// The number of straight segments in all.
    #[pyo3(get)]
    segments: usize,
    /// The level of a level set, `None` for a decision boundary.
    #[pyo3(get)]
    level: Option<f64>,
    /// The feature along the first axis.
    #[pyo3(get)]
    x: String,
    /// The feature along the second axis.
    #[pyo3(get)]
    y: String,
}

#[pymethods]
impl Boundary {
    /// The number of polylines.
    fn __len__(&self) -> usize {
        self.polylines.len()
    }

    fn __repr__(&self) -> String {
        let what = match self.level {
            Some(level) => format!("level set {level}"),
            None => "decision boundary".into(),
        };
        format!(
            "Boundary({what}: {} polyline{}, {} segment{} on {} × {})",
            self.polylines.len(),
            if self.polylines.len() == 1 { "" } else { "s" },
            self.segments,
            if self.segments == 1 { "" } else { "s" },
            self.x,
            self.y
        )
    }
}
