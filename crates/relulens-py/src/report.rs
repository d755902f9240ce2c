//! `Mlp.report`: the library's `report::explain_model`, the page `relulens explain` writes — the
//! model, its training, each input's exact kinks, the regions and decision boundary of two inputs,
//! effect curves, interactions and neuron health — written to `DIR/index.html`.
//!
//! ```python
//! path = model.report("explained")    # pathlib.Path("explained/index.html")
//! ```

use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::PyTuple;
use relulens::data::{builtin, Dataset as Data};
use relulens::model::Model;
use relulens::report::{explain_model, ExplainOptions};

use crate::convert::{type_name, Count};
use crate::data::{self, Dataset};
use crate::error::{error, IntoPy, Kind};
use crate::explain::feature;

/// The data to explain the model on: a `Dataset`, an `(X, y)` pair read with the model's feature
/// names, task and class labels, or, when none is given, the built-in set the model was trained on
/// (drawn with `seed`), as `relulens explain` does.
fn data_for(
    op: &str,
    model: &Model,
    given: Option<&Bound<'_, PyAny>>,
    seed: u64,
) -> PyResult<Option<Data>> {
    let names = model.feature_names();
    let Some(given) = given else {
        return match model.info().dataset.as_deref() {
            Some(name) if builtin::NAMES.contains(&name) => {
                let features: Vec<&str> = names.iter().map(String::as_str).collect();
                let data = builtin::load(name, seed).py_err()?;
                data.select_features(&features).py_err().map(Some)
            }
            _ => Ok(None),
        };
    };
    if let Ok(dataset) = given.cast::<Dataset>() {
        return Ok(Some(dataset.get().inner.clone()));
    }
    let pair = given.cast::<PyTuple>().ok().filter(|t| t.len() == 2);
    let Some(pair) = pair else {
        return Err(error(
            Kind::Dtype,
            format!(
                "{op}: data must be a relulens Dataset or a pair (X, y), got {}",
                type_name(&given.as_borrowed())
            ),
        ));
    };
    let info = model.info();
    let py = given.py();
    let labels = (!info.class_labels.is_empty())
        .then(|| pyo3::types::PyList::new(py, &info.class_labels))
        .transpose()?;
    data::from_arrays(
        op,
        &pair.get_item(0)?,
        &pair.get_item(1)?,
        info.task,
        Some(pyo3::types::PyList::new(py, names)?.as_any()),
        info.target.clone(),
        labels.as_ref().map(|l| l.as_any()),
    )
    .map(Some)
}

/// Makes the directory `dir` (not its parents: a mistyped parent is an error, not a new tree).
fn make_dir(dir: &Path) -> PyResult<()> {
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::create_dir(dir)
        .map_err(|e| relulens::Error::Io {
            op: "create the directory",
            path: dir.display().to_string(),
            kind: e.kind(),
            message: e.to_string(),
        })
        .py_err()
}

/// `model.report(dir, data, x, y, seed)`: the path of the page written.
pub fn report(
    py: Python<'_>,
    model: &Model,
    dir: &Path,
    data: Option<&Bound<'_, PyAny>>,
    x: Option<&Bound<'_, PyAny>>,
    y: Option<&Bound<'_, PyAny>>,
    seed: Option<Count>,
) -> PyResult<PathBuf> {
    let op = "report";
    let seed = seed.map_or(0, |c| c.0);
    let data = data_for(op, model, data, seed)?;
    let options = ExplainOptions {
        x: x.map(|x| feature(op, model, x)).transpose()?,
        y: y.map(|y| feature(op, model, y)).transpose()?,
        seed,
        ..ExplainOptions::default()
    };
    let page = py
        .detach(|| {
            explain_model(model, data.as_ref(), &options, &mut |_| {}).map(|r| r.page.to_html())
        })
        .py_err()?;
    make_dir(dir)?;
    let path = dir.join("index.html");
    relulens::io::write_atomic(&path, page.as_bytes()).py_err()?;
    Ok(path)
}
