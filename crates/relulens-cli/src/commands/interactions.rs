//! `relulens interactions`: every pair of a model's inputs, ranked by Friedman's H-statistic and by
//! the exact gradient measure, over a data set.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{bail, Context};
use relulens::data::{builtin, Dataset};
use relulens::explain::{interactions, Interaction, InteractionOptions};
use relulens::model::Model;

use super::activation::fmt;
use super::data::{builtin_name, explain_missing, no_such_data};
use super::geometry;
use crate::cli::InteractionsArgs;

/// The rows of `--data` (a built-in set, drawn with `seed`, or a CSV file) in the model's feature
/// order, and a name for them. A model with positional names (`x0`, `x1`, …, as a PyTorch state
/// dict has) reads a built-in set's columns in order.
pub fn model_rows(model: &Model, spec: &str, seed: u64) -> anyhow::Result<(Vec<f64>, String)> {
    let features: Vec<&str> = model.feature_names().iter().map(String::as_str).collect();
    if let Some(name) = builtin_name(spec) {
        let data = builtin::load(name, seed)?;
        let positional = features
            .iter()
            .enumerate()
            .all(|(i, f)| *f == format!("x{i}"));
        let rows = match data.select_features(&features) {
            Ok(selected) => selected.rows().to_vec(),
            Err(_) if positional && data.n_features() == features.len() => data.rows().to_vec(),
            Err(err) => {
                return Err(anyhow::Error::from(err).context(format!(
                    "the model needs the features {}",
                    features.join(", ")
                )))
            }
        };
        return Ok((rows, name.to_string()));
    }
    let path = Path::new(spec);
    if !path.exists() {
        return Err(no_such_data(spec));
    }
    let rows = Dataset::read_features(path, &features).map_err(|err| match err {
        relulens::Error::CsvMissingColumn { .. } => anyhow::Error::from(err).context(format!(
            "the model needs the columns {}",
            features.join(", ")
        )),
        err => explain_missing(err, "fill in or delete the rows with missing values"),
    })?;
    Ok((rows, path.display().to_string()))
}

pub fn run(args: &InteractionsArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    if net.in_dim() < 2 {
        bail!("the model has one input: there is no pair to interact");
    }
    if args.output >= net.out_dim() {
        bail!(
            "--output {}: the model has {} outputs (0 to {})",
            args.output,
            net.out_dim(),
            net.out_dim() - 1
        );
    }
    let (rows, source) = model_rows(&model, &args.data, args.seed)?;
    let options = InteractionOptions {
        max_rows: args.max_rows,
        seed: args.seed,
        output: args.output,
        ranges: None,
    };
    let found = interactions(&net, &rows, &options)
        .with_context(|| format!("interactions over {source}"))?;
    let names = model.feature_names();
    let pair_names = |p: &Interaction| [names[p.features[0]].clone(), names[p.features[1]].clone()];

    let mut out = std::io::stdout().lock();
    if args.json {
        let entry = |p: &Interaction| {
            serde_json::json!({
                "pair": pair_names(p),
                "h": p.h_statistic,
                "h_squared": p.h_squared,
                "h_unnormalized": p.h_unnormalized,
                "gradient_strength": p.gradient_strength,
                "gradient": p.gradient,
            })
        };
        let ranges: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .zip(&found.ranges)
            .map(|(n, r)| (n.clone(), serde_json::json!(r)))
            .collect();
        let doc = serde_json::json!({
            "data": source,
            "rows_used": found.rows_used,
            "rows_given": found.rows_given,
            "output": found.output,
            "ranges": ranges,
            "by_h": found.by_h().into_iter().map(entry).collect::<Vec<_>>(),
            "by_gradient": found.by_gradient().into_iter().map(entry).collect::<Vec<_>>(),
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "interactions of {} over {} of {} rows of {source} (output {})",
        model.mlp(),
        found.rows_used,
        found.rows_given,
        found.output
    )?;
    let by_gradient = found.by_gradient();
    let width = found
        .pairs
        .iter()
        .map(|p| pair_names(p).join(" × ").chars().count())
        .max()
        .unwrap_or(4)
        .max(4);
    writeln!(
        out,
        "{:<width$}  {:>10}  {:>12}  {:>6}  {:>12}  {:>6}",
        "pair", "H", "H unnorm.", "rank", "gradient", "rank"
    )?;
    for (rank, p) in found.by_h().into_iter().enumerate() {
        let gradient_rank = by_gradient
            .iter()
            .position(|q| q.features == p.features)
            .map_or(0, |r| r + 1);
        let label = pair_names(p).join(" × ");
        let pad = width - label.chars().count();
        writeln!(
            out,
            "{label}{:pad$}  {:>10}  {:>12}  {:>6}  {:>12}  {:>6}",
            "",
            fmt(p.h_statistic),
            fmt(p.h_unnormalized),
            rank + 1,
            fmt(p.gradient_strength),
            gradient_rank
        )?;
    }
    writeln!(
        out,
        "H: Friedman's H-statistic (0: additive; the share of the pair's joint effect that is not \
         the sum of its parts); H unnorm.: that part's own size, in output units"
    )?;
    writeln!(
        out,
        "gradient: how much each feature's exact slope changes as the other sweeps its data range, \
         in output units"
    )?;
    Ok(ExitCode::SUCCESS)
}
