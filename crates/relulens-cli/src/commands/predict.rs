//! `relulens predict`: a saved model's predictions on a CSV file or a built-in set.

use std::io::Write;
use std::process::ExitCode;

use relulens::activation::functions::sigmoid;
use relulens::data::{builtin, Dataset, Task};
use relulens::model::Model;

use super::data::is_builtin;
use crate::cli::PredictArgs;

/// One row's prediction.
struct Prediction {
    /// The class label or the predicted value.
    label: String,
    /// Class probabilities (classification) or the value (regression).
    scores: Vec<f64>,
}

fn interpret(model: &Model, output: &[f64]) -> Prediction {
    let labels = &model.info().class_labels;
    let label_of = |i: usize| labels.get(i).cloned().unwrap_or_else(|| i.to_string());
    match model.info().task {
        Some(Task::Regression) => Prediction {
            label: format!("{}", output[0]),
            scores: output.to_vec(),
        },
        _ if output.len() == 1 => {
            let p = sigmoid(output[0]);
            Prediction {
                label: label_of(usize::from(p >= 0.5)),
                scores: vec![1.0 - p, p],
            }
        }
        _ => {
            let max = output.iter().fold(f64::NEG_INFINITY, |m, &v| m.max(v));
            let exp: Vec<f64> = output.iter().map(|v| (v - max).exp()).collect();
            let sum: f64 = exp.iter().sum();
            let probabilities: Vec<f64> = exp.iter().map(|e| e / sum).collect();
            let best = (0..probabilities.len())
                .max_by(|&a, &b| probabilities[a].total_cmp(&probabilities[b]))
                .unwrap_or(0);
            Prediction {
                label: label_of(best),
                scores: probabilities,
            }
        }
    }
}

pub fn run(args: &PredictArgs) -> anyhow::Result<ExitCode> {
    let model = relulens::io::load(&args.model)?;
    let features: Vec<&str> = model.feature_names().iter().map(String::as_str).collect();
    // With the target column present, accuracy can be reported too.
    let labelled: Option<Dataset> = if is_builtin(&args.data) {
        Some(builtin::load(&args.data, 0)?.select_features(&features)?)
    } else {
        match &model.info().target {
            Some(target) => {
                Dataset::from_csv(&args.data, Some(&features), target, model.info().task).ok()
            }
            None => None,
        }
    };
    let rows = match &labelled {
        Some(d) => d.rows().to_vec(),
        None => Dataset::read_features(&args.data, &features)?,
    };
    let n = rows.len() / features.len();
    let outputs = model.predict(&rows, n)?;
    let out_dim = model.mlp().out_dim();
    let predictions: Vec<Prediction> = outputs
        .chunks_exact(out_dim)
        .map(|o| interpret(&model, o))
        .collect();

    let accuracy = labelled
        .as_ref()
        .filter(|d| d.task().is_classification())
        .map(|d| {
            let correct = predictions
                .iter()
                .zip(d.target())
                .filter(|(p, &t)| d.class_labels().get(t as usize) == Some(&p.label))
                .count();
            correct as f64 / n as f64
        });

    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = predictions
            .iter()
            .map(|p| serde_json::json!({"prediction": p.label, "scores": p.scores}))
            .collect();
        serde_json::to_writer(
            &mut out,
            &serde_json::json!({"rows": n, "accuracy": accuracy, "predictions": rows}),
        )?;
        writeln!(out)?;
    } else {
        writeln!(out, "prediction,scores")?;
        for p in &predictions {
            let scores: Vec<String> = p.scores.iter().map(|s| format!("{s:.6}")).collect();
            writeln!(out, "{},{}", p.label, scores.join(" "))?;
        }
        if let Some(a) = accuracy {
            eprintln!("accuracy on {n} rows: {a:.4}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
