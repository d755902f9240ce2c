//! `relulens predict`: a saved model's predictions on a CSV file or a built-in set.
//!
//! Predictions go to stdout, one per input row and in the same order (CSV with a header, or JSON);
//! the accuracy or mean squared error, and notes on why there is none, go to stderr in text mode.

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use relulens::activation::functions::sigmoid;
use relulens::data::{builtin, CsvOptions, Dataset, Task};
use relulens::model::Model;

use super::data::{builtin_name, explain_missing, is_missing, no_such_data};
use crate::cli::PredictArgs;

/// What the data says the answers are.
enum Truth {
    /// Each row's class label.
    Labels(Vec<String>),
    /// Each row's value (regression).
    Values(Vec<f64>),
    /// Not known; with the reason when the user might have expected it to be.
    Unknown(Option<String>),
}

/// One row's prediction.
enum Prediction {
    /// The most probable class and every class's probability, in the model's class order.
    Class {
        label: String,
        probabilities: Vec<f64>,
    },
    /// The predicted value.
    Value(f64),
    /// The outputs as they are, for a model whose task is not known.
    Raw(Vec<f64>),
}

/// The task to read the outputs by: `--task`, which must agree with the model's own task and its
/// number of outputs, else the model's task; `None` when neither says (a plain state dict).
fn task_of(model: &Model, given: Option<&str>) -> anyhow::Result<Option<Task>> {
    let Some(text) = given else {
        return Ok(model.info().task);
    };
    let task: Task = text.parse()?;
    if let Some(stored) = model.info().task.filter(|&t| t != task) {
        bail!("--task {task}: the model file says its task is {stored}");
    }
    let outputs = model.mlp().out_dim();
    match task {
        Task::Binary if outputs > 2 => bail!(
            "--task binary: the model has {outputs} outputs; a binary classifier has one (a \
             logit) or two"
        ),
        Task::Multiclass if outputs < 2 => bail!(
            "--task multiclass: the model has 1 output, which is a binary classifier's logit \
             (--task binary) or a value (--task regression); multiclass needs one per class"
        ),
        _ => Ok(Some(task)),
    }
}

/// The classes for `task`: the model's class labels, or their indices when it has none (two for a
/// binary classifier's single logit); `None` when the outputs are values or of unknown meaning.
fn classes(model: &Model, task: Option<Task>) -> Option<Vec<String>> {
    if !task?.is_classification() {
        return None;
    }
    let n = model.mlp().out_dim().max(2);
    let labels = &model.info().class_labels;
    Some(
        (0..n)
            .map(|i| labels.get(i).cloned().unwrap_or_else(|| i.to_string()))
            .collect(),
    )
}

fn interpret(task: Option<Task>, classes: &[String], output: &[f64]) -> Prediction {
    match task {
        None => return Prediction::Raw(output.to_vec()),
        Some(Task::Regression) if output.len() == 1 => return Prediction::Value(output[0]),
        Some(Task::Regression) => return Prediction::Raw(output.to_vec()),
        Some(_) => {}
    }
    let probabilities = if output.len() == 1 {
        let p = sigmoid(output[0]);
        vec![1.0 - p, p]
    } else {
        let max = output.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
        let exp: Vec<f64> = output.iter().map(|v| (v - max).exp()).collect();
        let sum: f64 = exp.iter().sum();
        exp.iter().map(|e| e / sum).collect()
    };
    let best = (0..probabilities.len())
        .max_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b]))
        .unwrap_or(0);
    Prediction::Class {
        label: classes[best].clone(),
        probabilities,
    }
}

/// The rows of a built-in set in the model's feature order, and its answers.
fn read_builtin(
    name: &str,
    seed: u64,
    model: &Model,
    features: &[&str],
) -> anyhow::Result<(Vec<f64>, Truth)> {
    let data = builtin::load(name, seed)?
        .select_features(features)
        .with_context(|| format!("the model needs the features {}", features.join(", ")))?;
    let truth = match &model.info().target {
        Some(target) if target != data.target_name() => Truth::Unknown(Some(format!(
            "the model predicts {target:?}, but the target of {name} is {:?}",
            data.target_name()
        ))),
        _ => truth_of(&data),
    };
    Ok((data.rows().to_vec(), truth))
}

fn truth_of(data: &Dataset) -> Truth {
    if data.task().is_classification() {
        let labels = data.class_labels();
        Truth::Labels(
            data.target()
                .iter()
                .map(|&t| labels[t as usize].clone())
                .collect(),
        )
    } else {
        Truth::Values(data.target().to_vec())
    }
}

/// The rows of a CSV file in the model's feature order, and, when the file has the model's target
/// column, its answers.
fn read_csv(path: &Path, model: &Model, features: &[&str]) -> anyhow::Result<(Vec<f64>, Truth)> {
    let rows = Dataset::read_features(path, features).map_err(|err| match err {
        relulens::Error::CsvMissingColumn { .. } => anyhow::Error::from(err).context(format!(
            "the model needs the columns {}",
            features.join(", ")
        )),
        err => explain_missing(
            err,
            "predict gives one prediction per row and drops none, so fill in or delete the rows \
             with missing values",
        ),
    })?;
    let Some(target) = &model.info().target else {
        return Ok((rows, Truth::Unknown(None)));
    };
    // Any number of classes is read, so that a file with other labels than the model's is
    // reported as such rather than refused.
    let task = match model.info().task {
        Some(Task::Regression) => Task::Regression,
        _ => Task::Multiclass,
    };
    let options = CsvOptions::new(target.clone())
        .features(features)
        .task(task);
    let truth = match Dataset::from_csv_with(path, &options) {
        Ok(data) => truth_of(&data),
        Err(relulens::Error::CsvMissingColumn { column, .. }) if column == *target => {
            Truth::Unknown(None)
        }
        // A file of one class is fine for measuring accuracy.
        Err(relulens::Error::CsvSingleClass { label, .. }) => {
            Truth::Labels(vec![label; rows.len() / features.len()])
        }
        Err(err) => Truth::Unknown(Some(format!("{err:#}"))),
    };
    Ok((rows, truth))
}

/// The accuracy (classification) or the mean squared error (regression), or why there is none.
struct Score {
    accuracy: Option<f64>,
    mse: Option<f64>,
    note: Option<String>,
}

fn score(predictions: &[Prediction], truth: Truth, classes: Option<&[String]>) -> Score {
    let none = |note: Option<String>| Score {
        accuracy: None,
        mse: None,
        note,
    };
    let n = predictions.len() as f64;
    match truth {
        Truth::Unknown(note) => none(note),
        Truth::Labels(labels) if labels.iter().any(|l| is_missing(l)) => none(Some(
            "the target column has missing values; accuracy needs a label on every row".into(),
        )),
        Truth::Labels(labels) if classes.is_some() => {
            let classes = classes.unwrap_or_default();
            let mut unknown: Vec<&String> =
                labels.iter().filter(|l| !classes.contains(l)).collect();
            if !unknown.is_empty() {
                unknown.sort();
                unknown.dedup();
                let unknown: Vec<&str> = unknown.iter().map(|s| s.as_str()).collect();
                return none(Some(format!(
                    "the data has labels the model does not know ({}); its classes are {}",
                    unknown.join(", "),
                    classes.join(", ")
                )));
            }
            let correct = predictions
                .iter()
                .zip(&labels)
                .filter(|(p, t)| matches!(p, Prediction::Class { label, .. } if label == *t))
                .count();
            Score {
                accuracy: Some(correct as f64 / n),
                mse: None,
                note: None,
            }
        }
        Truth::Values(values)
            if predictions
                .iter()
                .all(|p| matches!(p, Prediction::Value(_))) =>
        {
            let squared: f64 = predictions
                .iter()
                .zip(&values)
                .map(|(p, y)| match p {
                    Prediction::Value(v) => (v - y) * (v - y),
                    Prediction::Class { .. } | Prediction::Raw(_) => 0.0,
                })
                .sum();
            Score {
                accuracy: None,
                mse: Some(squared / n),
                note: None,
            }
        }
        Truth::Labels(_) | Truth::Values(_) => none(Some(
            "the data's target is not of the kind the model predicts (classes or values)".into(),
        )),
    }
}

/// `text` as one CSV field: quoted when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> Cow<'_, str> {
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

pub fn run(args: &PredictArgs) -> anyhow::Result<ExitCode> {
    let model = super::model::read(&args.model)?;
    let task = task_of(&model, args.task.as_deref())?;
    let features: Vec<&str> = model.feature_names().iter().map(String::as_str).collect();
    let (rows, truth) = match builtin_name(&args.data) {
        Some(name) => read_builtin(name, args.seed, &model, &features)?,
        None if !Path::new(&args.data).exists() => return Err(no_such_data(&args.data)),
        None => read_csv(Path::new(&args.data), &model, &features)?,
    };
    let n = rows.len() / features.len();
    let outputs = model.predict(&rows, n)?;
    let classes = classes(&model, task);
    let class_list = classes.as_deref().unwrap_or_default();
    let predictions: Vec<Prediction> = outputs
        .chunks_exact(model.mlp().out_dim())
        .map(|o| interpret(task, class_list, o))
        .collect();
    let score = match task {
        Some(_) => score(&predictions, truth, classes.as_deref()),
        None => Score {
            accuracy: None,
            mse: None,
            note: None,
        },
    };
    if task.is_none() {
        eprintln!(
            "note: the model file does not say its task, so its raw outputs are printed; pass \
             --task binary, multiclass or regression to read them as classes or values"
        );
    }
    if let Some(note) = &score.note {
        eprintln!("note: no accuracy: {note}");
    }

    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = predictions
            .iter()
            .map(|p| match p {
                Prediction::Class {
                    label,
                    probabilities,
                } => serde_json::json!({"prediction": label, "probabilities": probabilities}),
                Prediction::Value(v) => serde_json::json!({ "prediction": v }),
                Prediction::Raw(outputs) => serde_json::json!({ "outputs": outputs }),
            })
            .collect();
        let doc = serde_json::json!({
            "model": args.model.display().to_string(),
            "data": args.data,
            "rows": n,
            "task": task.map(|t| t.to_string()),
            "classes": class_list,
            "accuracy": score.accuracy,
            "mse": score.mse,
            "predictions": rows,
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let out_dim = model.mlp().out_dim();
    let mut header = match (task, out_dim) {
        (None, 1) => "output".to_string(),
        (None, _) | (Some(Task::Regression), 2..) => (0..out_dim)
            .map(|o| format!("output_{o}"))
            .collect::<Vec<_>>()
            .join(","),
        _ => "prediction".to_string(),
    };
    for class in class_list {
        header.push(',');
        header.push_str(&csv_field(&format!("p_{class}")));
    }
    writeln!(out, "{header}")?;
    for p in &predictions {
        match p {
            Prediction::Class {
                label,
                probabilities,
            } => {
                write!(out, "{}", csv_field(label))?;
                for p in probabilities {
                    write!(out, ",{p:.6}")?;
                }
                writeln!(out)?;
            }
            Prediction::Value(v) => writeln!(out, "{v}")?,
            Prediction::Raw(outputs) => {
                let fields: Vec<String> = outputs.iter().map(f64::to_string).collect();
                writeln!(out, "{}", fields.join(","))?;
            }
        }
    }
    out.flush()?;
    if let Some(a) = score.accuracy {
        eprintln!("accuracy on {n} rows: {a:.4}");
    }
    if let Some(mse) = score.mse {
        eprintln!("mean squared error on {n} rows: {mse:.6}");
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_are_quoted_only_when_needed() {
        assert_eq!(csv_field("Adelie"), "Adelie");
        assert_eq!(csv_field("a, b"), "\"a, b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }

    #[test]
    fn a_single_output_is_a_binary_logit() {
        let classes = ["no".to_string(), "yes".to_string()];
        match interpret(Some(Task::Binary), &classes, &[0.0]) {
            Prediction::Class {
                label,
                probabilities,
            } => {
                assert_eq!(label, "yes", "p = 0.5 rounds to the second class");
                assert_eq!(probabilities, [0.5, 0.5]);
            }
            Prediction::Value(_) | Prediction::Raw(_) => panic!("a classifier predicts a class"),
        }
        let value = interpret(Some(Task::Regression), &[], &[2.5]);
        assert!(matches!(value, Prediction::Value(v) if v == 2.5));
        // Without a task, no sigmoid: the output as it is.
        let raw = interpret(None, &[], &[2.5]);
        assert!(matches!(raw, Prediction::Raw(v) if v == [2.5]));
    }
}
