//! Training from Python: `Mlp.fit` builds the library's `Recipe` from its keywords and calls
//! `train_model` (without the GIL), and `History` holds the per-epoch metrics as NumPy arrays.
//!
//! ```python
//! history = model.fit(X, y, epochs=100)
//! history.loss[-1], history.val_accuracy[-1]
//! history[0]   # {'epoch': 1, 'loss': ..., 'val_loss': ..., ...}
//! ```

use pyo3::prelude::*;
use pyo3::types::PyDict;
use relulens::data::Task;
use relulens::train::{
    loss_for, train_model, EarlyStopping, EpochMetrics, OptimizerConfig, Recipe,
};

use crate::convert::{to_array, Count, Number, Text};
use crate::data::{self, Dataset};
use crate::error::{error, IntoPy, Kind};
use crate::model::Mlp;

/// `fit`'s keywords (the defaults are the CLI's and `Recipe`'s).
pub struct Settings<'a, 'py> {
    pub task: Option<Text>,
    pub epochs: Option<Count>,
    pub batch_size: Option<Count>,
    pub lr: Option<Number>,
    pub optimizer: Option<Text>,
    pub validation: Option<Number>,
    pub standardize: bool,
    pub patience: Option<Count>,
    pub feature_names: Option<&'a Bound<'py, PyAny>>,
    pub target_name: Option<Text>,
    pub class_labels: Option<&'a Bound<'py, PyAny>>,
}

fn count(c: Option<Count>, default: usize) -> usize {
    c.map_or(default, |c| usize::try_from(c.0).unwrap_or(usize::MAX))
}

/// Trains `model` as `Mlp.fit` documents.
pub fn fit(
    model: &Bound<'_, Mlp>,
    x: &Bound<'_, PyAny>,
    y: Option<&Bound<'_, PyAny>>,
    settings: Settings<'_, '_>,
) -> PyResult<Py<History>> {
    let op = "fit";
    let py = model.py();
    // Only the settings are read here: the model is not borrowed while it trains, so other
    // threads may use it meanwhile.
    let (sizes, activation, seed) = {
        let m = model.borrow();
        (m.model.mlp().sizes(), m.activation, m.seed)
    };
    let task = match &settings.task {
        Some(Text(name)) => Some(name.parse::<Task>().py_err()?),
        None => None,
    };
    let defaults = Recipe::default();
    let optimizer: OptimizerConfig = match &settings.optimizer {
        Some(Text(name)) => name.parse().py_err()?,
        None => defaults.optimizer,
    };
    let lr = settings.lr.map_or(defaults.optimizer.lr(), |n| n.0);
    let data = match (x.cast::<Dataset>(), y) {
        (Ok(dataset), None) => {
            let dataset = dataset.borrow().inner.clone();
            if let Some(task) = task {
                if task != dataset.task() {
                    return Err(error(
                        Kind::Argument,
                        format!("{op}: task={task}, but the data set is {}", dataset.task()),
                    ));
                }
            }
            dataset
        }
        (Ok(_), Some(_)) => {
            return Err(error(
                Kind::Argument,
                format!("{op}: give a Dataset alone, or X and y; not a Dataset and y"),
            ))
        }
        (Err(_), None) => {
            return Err(error(
                Kind::Argument,
                format!("{op}: y is missing (give X and y, or a relulens Dataset alone)"),
            ))
        }
        (Err(_), Some(y)) => data::from_arrays(
            op,
            x,
            y,
            task,
            settings.feature_names,
            settings.target_name.map(|t| t.0),
            settings.class_labels,
        )?,
    };

    let outputs = match data.task() {
        Task::Multiclass => data.n_classes(),
        Task::Binary | Task::Regression => 1,
    };
    if sizes[0] != data.n_features() {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: the network takes {} inputs (sizes {sizes:?}), the data has {} features",
                sizes[0],
                data.n_features()
            ),
        ));
    }
    if sizes[sizes.len() - 1] != outputs {
        return Err(error(
            Kind::Network,
            format!(
                "{op}: a {} task with {} needs {outputs} output{}, the network has {} (sizes {sizes:?})",
                data.task(),
                if data.task() == Task::Regression {
                    "one target".to_string()
                } else {
                    format!("{} classes", data.n_classes())
                },
                if outputs == 1 { "" } else { "s" },
                sizes[sizes.len() - 1]
            ),
        ));
    }
    let recipe = Recipe {
        hidden: sizes[1..sizes.len() - 1].to_vec(),
        activation,
        epochs: count(settings.epochs, defaults.epochs),
        batch_size: count(settings.batch_size, defaults.batch_size),
        optimizer: optimizer.with_lr(lr),
        seed,
        validation_fraction: settings
            .validation
            .map_or(defaults.validation_fraction, |v| v.0),
        standardize: settings.standardize,
        early_stopping: settings.patience.map(|p| EarlyStopping {
            patience: count(Some(p), 0),
            min_delta: 0.0,
        }),
    };
    let trained = py
        .detach(|| train_model(&data, &recipe, &mut |_| {}))
        .py_err()?;
    let mut m = model.try_borrow_mut().map_err(|_| {
        error(
            Kind::Base,
            format!("{op}: the model is in use by another thread"),
        )
    })?;
    m.model = trained.model;
    m.history = Some(trained.history.clone());
    Py::new(
        py,
        History::new(
            py,
            &trained.history.epochs,
            Some(trained.history.best_epoch),
            Some(trained.history.stopped_early),
            Some(loss_for(data.task())),
        )?,
    )
}

/// The history of a model: from its last `fit`, or as stored in its file.
pub fn history_of(py: Python<'_>, model: &Mlp) -> PyResult<Option<Py<History>>> {
    let task = model.model.info().task;
    let history = match &model.history {
        Some(h) => History::new(
            py,
            &h.epochs,
            Some(h.best_epoch),
            Some(h.stopped_early),
            task.map(loss_for),
        )?,
        None if !model.model.info().history.is_empty() => History::new(
            py,
            &model.model.info().history,
            None,
            None,
            task.map(loss_for),
        )?,
        None => return Ok(None),
    };
    Py::new(py, history).map(Some)
}

/// Per-epoch metrics of a training run, as NumPy arrays: `loss` and `val_loss`, and by task
/// `accuracy`/`val_accuracy` (classification) or `r2`/`val_r2` (regression); `None` where a
/// metric does not apply. Indexing gives one epoch as a dict.
#[pyclass(module = "relulens", frozen)]
pub struct History {
    epochs: Vec<EpochMetrics>,
    /// The epoch whose weights the model holds (the best one under early stopping).
    #[pyo3(get)]
    best_epoch: Option<usize>,
    /// Whether early stopping ended the run.
    #[pyo3(get)]
    stopped_early: Option<bool>,
    /// The loss minimised: `"mse"`, `"bce_with_logits"` or `"cross_entropy"`.
    #[pyo3(get)]
    loss_name: Option<String>,
    #[pyo3(get)]
    loss: Py<PyAny>,
    #[pyo3(get)]
    val_loss: Option<Py<PyAny>>,
    #[pyo3(get)]
    accuracy: Option<Py<PyAny>>,
    #[pyo3(get)]
    val_accuracy: Option<Py<PyAny>>,
    #[pyo3(get)]
    r2: Option<Py<PyAny>>,
    #[pyo3(get)]
    val_r2: Option<Py<PyAny>>,
}

impl History {
    fn new(
        py: Python<'_>,
        epochs: &[EpochMetrics],
        best_epoch: Option<usize>,
        stopped_early: Option<bool>,
        loss: Option<relulens::train::Loss>,
    ) -> PyResult<History> {
        let column = |f: &dyn Fn(&EpochMetrics) -> Option<f64>| -> Option<Py<PyAny>> {
            let values: Option<Vec<f64>> = epochs.iter().map(f).collect();
            values
                .filter(|v| !v.is_empty())
                .map(|v| to_array(py, v.clone(), &[v.len()]).into_any().unbind())
        };
        Ok(History {
            epochs: epochs.to_vec(),
            best_epoch,
            stopped_early,
            loss_name: loss.map(|l| loss_name(l).to_string()),
            loss: column(&|m| Some(m.train.loss))
                .unwrap_or_else(|| to_array::<f64>(py, vec![], &[0]).into_any().unbind()),
            val_loss: column(&|m| m.validation.map(|v| v.loss)),
            accuracy: column(&|m| m.train.accuracy),
            val_accuracy: column(&|m| m.validation.and_then(|v| v.accuracy)),
            r2: column(&|m| m.train.r2),
            val_r2: column(&|m| m.validation.and_then(|v| v.r2)),
        })
    }

    fn epoch_dict<'py>(&self, py: Python<'py>, m: &EpochMetrics) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("epoch", m.epoch)?;
        d.set_item("loss", m.train.loss)?;
        if let Some(a) = m.train.accuracy {
            d.set_item("accuracy", a)?;
        }
        if let Some(r) = m.train.r2 {
            d.set_item("r2", r)?;
        }
        if let Some(v) = &m.validation {
            d.set_item("val_loss", v.loss)?;
            if let Some(a) = v.accuracy {
                d.set_item("val_accuracy", a)?;
            }
            if let Some(r) = v.r2 {
                d.set_item("val_r2", r)?;
            }
        }
        Ok(d)
    }
}

fn loss_name(loss: relulens::train::Loss) -> &'static str {
    match loss {
        relulens::train::Loss::Mse => "mse",
        relulens::train::Loss::BceWithLogits => "bce_with_logits",
        _ => "cross_entropy",
    }
}

#[pymethods]
impl History {
    fn __len__(&self) -> usize {
        self.epochs.len()
    }

    /// One epoch's metrics as a dict (negative indices count from the end).
    fn __getitem__<'py>(&self, py: Python<'py>, index: isize) -> PyResult<Bound<'py, PyDict>> {
        let n = self.epochs.len() as isize;
        let i = if index < 0 { index + n } else { index };
        if !(0..n).contains(&i) {
            return Err(error(
                Kind::OutOfBounds,
                format!("epoch index {index} out of range for {n} epochs"),
            ));
        }
        self.epoch_dict(py, &self.epochs[i as usize])
    }

    /// Every epoch's metrics as a list of dicts.
    fn to_list<'py>(&self, py: Python<'py>) -> PyResult<Vec<Bound<'py, PyDict>>> {
        self.epochs.iter().map(|m| self.epoch_dict(py, m)).collect()
    }

    fn __repr__(&self) -> String {
        let Some(last) = self.epochs.last() else {
            return "History(0 epochs)".into();
        };
        let mut parts = vec![format!("loss {:.4}", last.train.loss)];
        if let Some(a) = last.train.accuracy {
            parts.push(format!("accuracy {a:.4}"));
        }
        if let Some(r) = last.train.r2 {
            parts.push(format!("r2 {r:.4}"));
        }
        if let Some(v) = &last.validation {
            parts.push(format!("val_loss {:.4}", v.loss));
            if let Some(a) = v.accuracy {
                parts.push(format!("val_accuracy {a:.4}"));
            }
            if let Some(r) = v.r2 {
                parts.push(format!("val_r2 {r:.4}"));
            }
        }
        let mut text = format!(
            "History({} epochs, last: {}",
            self.epochs.len(),
            parts.join(", ")
        );
        if let Some(best) = self.best_epoch {
            if best != last.epoch {
                text.push_str(&format!("; weights of epoch {best}"));
            }
        }
        if self.stopped_early == Some(true) {
            text.push_str("; stopped early");
        }
        text.push(')');
        text
    }
}
