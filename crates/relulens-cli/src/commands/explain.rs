//! `relulens explain`: one self-contained HTML page that explains a model (ours or a PyTorch state
//! dict) exactly; without a model, a network trained on height_weight.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use relulens::data::{builtin, Dataset, DatasetParts, Task};
use relulens::model::Model;
use relulens::report::{explain_model, ExplainOptions};
use relulens::train::{train_model, Recipe};

use super::data::{builtin_name, header, load};
use super::geometry::feature_index;
use super::interactions::model_rows;
use super::page::{print_json, print_where, shown, write_page, Feedback};
use crate::cli::{DataArgs, ExplainArgs};

/// The rows to explain the model on: `--data`, else the built-in set it was trained on, if any.
/// A CSV file needs only the model's feature columns; its target column, when the model names one
/// and the file has it, labels the rows (positional names `x0`, `x1`, … for a state dict).
fn data_for(model: &Model, spec: Option<&str>, seed: u64) -> anyhow::Result<Option<Dataset>> {
    let features: Vec<String> = model.feature_names().to_vec();
    let spec = match spec {
        Some(s) => s.to_string(),
        None => match model.info().dataset.as_deref().and_then(builtin_name) {
            Some(name) => name.to_string(),
            None => return Ok(None),
        },
    };
    let needs = || {
        format!(
            "--data {spec:?}: the model needs the features {}",
            features.join(", ")
        )
    };
    let builtin = builtin_name(&spec).is_some();
    let target = model.info().target.clone().filter(|_| !builtin);
    if builtin
        || target
            .as_deref()
            .is_some_and(|t| has_column(Path::new(&spec), t))
    {
        let args = DataArgs {
            data: spec.clone(),
            features: features.clone(),
            target,
            task: None,
            drop_missing: true,
        };
        return Ok(Some(load(&args, seed).with_context(needs)?));
    }
    let (rows, _) = model_rows(model, &spec, seed).with_context(needs)?;
    Ok(Some(unlabelled(&spec, features, rows)?))
}

/// Whether the CSV file at `path` has a column `name` (false when it cannot be read: reading the
/// features then says why).
fn has_column(path: &Path, name: &str) -> bool {
    header(path).is_ok_and(|columns| columns.iter().any(|c| c == name))
}

/// Rows without a target, as a data set: a constant stand-in target that nothing reads as classes.
fn unlabelled(spec: &str, features: Vec<String>, rows: Vec<f64>) -> anyhow::Result<Dataset> {
    let n = rows.len() / features.len().max(1);
    let path = Path::new(spec);
    let name = path
        .file_stem()
        .map_or(spec.to_string(), |s| s.to_string_lossy().into_owned());
    Ok(Dataset::new(DatasetParts {
        name,
        description: format!("Read from {spec}: {n} rows of features, no target."),
        feature_names: features,
        rows,
        target_name: "(no target)".into(),
        target: vec![0.0; n],
        task: Task::Regression,
        class_labels: Vec::new(),
    })?)
}

pub fn run(args: &ExplainArgs) -> anyhow::Result<ExitCode> {
    let feedback = Feedback::new(args.quiet || args.json);
    let (model, data) = match &args.model {
        Some(path) => {
            feedback.step(format!("reading {}", path.display()));
            let model = super::model::read(path)?;
            let data = data_for(&model, args.data.as_deref(), args.seed)?;
            (model, data)
        }
        None => {
            let name = args.data.as_deref().unwrap_or("height_weight");
            let Some(name) = builtin_name(name) else {
                bail!(
                    "--data {name:?}: without a model, explain trains on a built-in set ({})",
                    builtin::NAMES.join(", ")
                );
            };
            let data = builtin::load(name, args.seed)?;
            let recipe = Recipe {
                seed: args.seed,
                ..Recipe::default()
            };
            let prefix = format!("training on {name}");
            let trained = train_model(&data, &recipe, &mut |m| {
                feedback.epoch(&prefix, m.epoch, recipe.epochs);
                feedback.note(format!("loss {:.4}", m.train.loss));
            })?;
            (trained.model, Some(data))
        }
    };
    let index = |name: &Option<String>| {
        name.as_deref()
            .map(|n| feature_index(&model, n))
            .transpose()
    };
    let options = ExplainOptions {
        x: index(&args.x)?,
        y: index(&args.y)?,
        seed: args.seed,
        ..ExplainOptions::default()
    };
    let report = explain_model(&model, data.as_ref(), &options, &mut |step| {
        feedback.step(step.to_string())
    })?;
    let (path, pngs) = write_page(&feedback, &report.page, &args.out, args.png)?;
    feedback.finish();
    let s = &report.summary;
    let mut out = std::io::stdout().lock();
    if args.json {
        print_json(&mut out, &path, &pngs, s)?;
    } else if args.quiet {
        writeln!(out, "{}", shown(&path))?;
    } else {
        writeln!(
            out,
            "{} explained in {} sections.",
            s.model,
            s.sections.len()
        )?;
        if let (Some(regions), [x, y]) = (s.regions, &s.pair) {
            write!(out, "  {regions} linear regions on ({x}, {y})")?;
            if let Some(segments) = s.boundary_segments {
                write!(out, ", a decision boundary of {segments} segments")?;
            }
            writeln!(out)?;
        }
        if let Some((a, b, h, g)) = s.interactions.first() {
            writeln!(
                out,
                "  strongest interaction: {a} × {b} (gradient measure {g:.4}, H {h:.4})"
            )?;
        }
        if let Some(dead) = s.dead_units {
            writeln!(out, "  dead units on the data: {dead}")?;
        }
        print_where(&mut out, &args.out, &path, &pngs)?;
    }
    Ok(ExitCode::SUCCESS)
}
