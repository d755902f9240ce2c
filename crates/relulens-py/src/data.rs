//! Data sets across the boundary: the built-in sets as `Dataset` objects holding NumPy arrays and
//! feature names (`relulens.datasets.load`, `relulens.datasets.list`), and the library's checked
//! `Dataset` made from the arrays given to `Mlp.fit`.
//!
//! Class targets given as labels (strings, or numbers such as 3 and 7) are numbered in sorted
//! order, as `numpy.unique` numbers them.
//!
//! ```python
//! data = relulens.datasets.load("height_weight")
//! X, y = data                     # float64 [2000, 2] and int64 [2000]
//! data.feature_names              # ['height_cm', 'weight_kg']
//! ```

use numpy::{PyArrayDescrMethods, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use relulens::data::{builtin, Dataset as Data, DatasetParts, Task};

use crate::convert::{matrix, numpy, to_array, Count, Text};
use crate::error::{error, guard, IntoPy, Kind};
use crate::nn::strings;

/// A data set: features `X` `[rows, features]` (float64) with their names, and the target `y`
/// (float64 for regression, int64 class indices into `class_labels` for classification).
/// Unpacks as `X, y = data`.
#[pyclass(module = "relulens.datasets", name = "Dataset", frozen)]
pub struct Dataset {
    pub(crate) inner: Data,
}

#[pymethods]
impl Dataset {
    /// The features, `[rows, features]`.
    #[getter(X)]
    fn x<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let d = &self.inner;
        to_array(py, d.rows().to_vec(), &[d.n_rows(), d.n_features()]).into_any()
    }

    /// The target: values (regression) or class indices (classification).
    #[getter]
    fn y<'py>(&self, py: Python<'py>) -> Bound<'py, PyAny> {
        let d = &self.inner;
        if d.task().is_classification() {
            let classes: Vec<i64> = d.target().iter().map(|&v| v as i64).collect();
            to_array(py, classes, &[d.n_rows()]).into_any()
        } else {
            to_array(py, d.target().to_vec(), &[d.n_rows()]).into_any()
        }
    }

    #[getter]
    fn feature_names(&self) -> Vec<String> {
        self.inner.feature_names().to_vec()
    }

    #[getter]
    fn target_name(&self) -> String {
        self.inner.target_name().to_string()
    }

    /// `"regression"`, `"binary"` or `"multiclass"`.
    #[getter]
    fn task(&self) -> String {
        self.inner.task().to_string()
    }

    #[getter]
    fn class_labels(&self) -> Vec<String> {
        self.inner.class_labels().to_vec()
    }

    #[getter]
    fn name(&self) -> String {
        self.inner.name().to_string()
    }

    #[getter]
    fn description(&self) -> String {
        self.inner.description().to_string()
    }

    fn __len__(&self) -> usize {
        self.inner.n_rows()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyTuple::new(py, [self.x(py), self.y(py)])?
            .try_iter()?
            .into_any())
    }

    fn __repr__(&self) -> String {
        self.inner.to_string()
    }
}

/// The built-in data set `name`, drawn with `seed` where it is synthetic.
#[pyfunction]
#[pyo3(signature = (name, seed = None), text_signature = "(name, seed=0)")]
pub fn load_dataset(name: Text, seed: Option<Count>) -> PyResult<Dataset> {
    guard("datasets.load", || {
        let inner = builtin::load(&name.0, seed.map_or(0, |s| s.0)).py_err()?;
        Ok(Dataset { inner })
    })
}

/// Every built-in data set, described: name, rows, features, task, description and, where known
/// exactly, the Bayes accuracy.
#[pyfunction]
pub fn list_datasets(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
    builtin::list()
        .iter()
        .map(|info| {
            let d = PyDict::new(py);
            d.set_item("name", info.name)?;
            d.set_item("rows", info.rows)?;
            d.set_item("features", info.features)?;
            d.set_item("task", info.task.to_string())?;
            d.set_item("description", info.description)?;
            d.set_item("bayes_accuracy", info.bayes_accuracy)?;
            Ok(d)
        })
        .collect()
}

/// A number as a class label: `3` rather than `3.0` for whole numbers.
fn label(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// The target as values, or as class indices with their labels (sorted, as `numpy.unique`).
struct Target {
    values: Vec<f64>,
    /// The numbers as given, for numeric targets.
    raw: Option<Vec<f64>>,
    labels: Vec<String>,
    /// Whether the dtype says classes (integers, booleans, strings).
    categorical: bool,
}

fn target(op: &str, y: &Bound<'_, PyAny>, task: Option<Task>) -> PyResult<Target> {
    let py = y.py();
    let np = numpy(py)?;
    let array = np
        .call_method1("asarray", (y,))
        .map_err(|e| {
            error(
                Kind::Dtype,
                format!("{op}: y cannot be read as an array: {e}"),
            )
        })?
        .cast_into::<PyUntypedArray>()?;
    let shape = array.shape().to_vec();
    let array = match shape[..] {
        [_] => array,
        [n, 1] => array.call_method1("reshape", (n,))?.cast_into()?,
        _ => {
            return Err(error(
                Kind::Shape,
                format!("{op}: y must be 1-D (one target per row), got shape {shape:?}"),
            ))
        }
    };
    let kind = array.dtype().kind();
    match kind {
        b'U' | b'S' | b'O' => {
            if task == Some(Task::Regression) {
                return Err(error(
                    Kind::Dtype,
                    format!("{op}: a regression target must be numbers"),
                ));
            }
            let kw = PyDict::new(py);
            kw.set_item("return_inverse", true)?;
            let unique = np
                .call_method("unique", (&array,), Some(&kw))
                .map_err(|e| error(Kind::Dtype, format!("{op}: y holds unsortable labels: {e}")))?;
            let (labels, inverse): (Bound<'_, PyAny>, Bound<'_, PyAny>) = unique.extract()?;
            let labels: Vec<String> = labels
                .try_iter()?
                .map(|l| l.and_then(|l| l.str().map(|s| s.to_string())))
                .collect::<PyResult<_>>()?;
            let inverse = inverse
                .call_method1("astype", ("float64",))?
                .cast_into::<numpy::PyArrayDyn<f64>>()?;
            let values = inverse.readonly().as_array().iter().copied().collect();
            Ok(Target {
                values,
                raw: None,
                labels,
                categorical: true,
            })
        }
        b'b' | b'i' | b'u' | b'f' => {
            let values: Vec<f64> = crate::convert::vector(op, "y", array.as_any(), None)?;
            let categorical = kind != b'f';
            let is_classes = task.map_or(categorical, |t| t.is_classification());
            if !is_classes {
                return Ok(Target {
                    raw: Some(values.clone()),
                    values,
                    labels: Vec::new(),
                    categorical,
                });
            }
            if let Some(i) = values.iter().position(|v| !v.is_finite()) {
                return Err(error(
                    Kind::Data,
                    format!(
                        "{op}: y[{i}] is {}; a class must be a finite number",
                        values[i]
                    ),
                ));
            }
            let mut unique = values.clone();
            unique.sort_by(f64::total_cmp);
            unique.dedup();
            let index: Vec<f64> = values
                .iter()
                .map(|v| unique.partition_point(|u| u < v) as f64)
                .collect();
            Ok(Target {
                values: index,
                raw: Some(values),
                labels: unique
                    .iter()
                    .map(|&v| match (kind, v == 1.0) {
                        (b'b', true) => "True".into(),
                        (b'b', false) => "False".into(),
                        _ => label(v),
                    })
                    .collect(),
                categorical,
            })
        }
        _ => Err(error(
            Kind::Dtype,
            format!(
                "{op}: y has dtype {}, which is neither numbers nor labels",
                array.dtype().str()?
            ),
        )),
    }
}

/// The library's `Dataset` from `fit`'s arrays and keywords (`op` names the caller in messages).
pub fn from_arrays(
    op: &str,
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    task: Option<Task>,
    feature_names: Option<&Bound<'_, PyAny>>,
    target_name: Option<String>,
    class_labels: Option<&Bound<'_, PyAny>>,
) -> PyResult<Data> {
    let (rows, n_rows, n_features, _) = matrix(op, "X", x, None)?;
    let feature_names = match feature_names {
        Some(names) => strings("feature_names", names)?,
        // A pandas DataFrame names its columns.
        None => match x.getattr("columns") {
            Ok(columns) => strings("X.columns", &columns)?,
            Err(_) => (0..n_features).map(|i| format!("x{i}")).collect(),
        },
    };
    if feature_names.len() != n_features {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: {} feature names for {n_features} columns of X",
                feature_names.len()
            ),
        ));
    }
    let target_name = target_name
        .or_else(|| {
            y.getattr("name")
                .ok()
                .and_then(|n| n.extract::<String>().ok())
        })
        .unwrap_or_else(|| "y".into());
    let given_labels = match class_labels {
        Some(labels) => Some(strings("class_labels", labels)?),
        None => None,
    };
    let mut t = target(op, y, task)?;
    if t.values.len() != n_rows {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: X has {n_rows} rows but y has {} values",
                t.values.len()
            ),
        ));
    }
    if let Some(labels) = &given_labels {
        // With labels given, numbers in y are the class indices 0, 1, …, and strings in y are
        // labels among them.
        t.values = match t.raw.take() {
            Some(raw) => raw,
            None => t
                .values
                .iter()
                .map(|&i| {
                    let l = &t.labels[i as usize];
                    labels
                        .iter()
                        .position(|g| g == l)
                        .map(|p| p as f64)
                        .ok_or_else(|| {
                            error(
                                Kind::Data,
                                format!("{op}: y holds {l:?}, which is not in class_labels"),
                            )
                        })
                })
                .collect::<PyResult<_>>()?,
        };
        t.labels = labels.clone();
        t.categorical = true;
    }
    let task = match task {
        Some(task) => task,
        None if t.categorical && t.labels.len() == 2 => Task::Binary,
        None if t.categorical => Task::Multiclass,
        None => Task::Regression,
    };
    if given_labels.is_some() && task == Task::Regression {
        return Err(error(
            Kind::Argument,
            format!("{op}: class_labels given for a regression task"),
        ));
    }
    if task.is_classification() && t.labels.len() < 2 {
        return Err(error(
            Kind::Data,
            format!(
                "{op}: y has a single class ({}); classification needs at least 2",
                t.labels.join(", ")
            ),
        ));
    }
    if task == Task::Binary && t.labels.len() != 2 {
        return Err(error(
            Kind::Data,
            format!(
                "{op}: task binary but y has {} classes ({}); use task=\"multiclass\"",
                t.labels.len(),
                t.labels.join(", ")
            ),
        ));
    }
    Data::new(DatasetParts {
        name: "arrays".into(),
        description: format!("arrays given to Mlp.{op}"),
        feature_names,
        rows,
        target_name,
        target: t.values,
        task,
        class_labels: t.labels,
    })
    .py_err()
}
