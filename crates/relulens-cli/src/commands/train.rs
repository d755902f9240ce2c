//! `relulens train`: train a network, report its metrics, save it.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::bail;
use relulens::activation::Activation;
use relulens::data::{builtin, Task};
use relulens::train::{train_model, EarlyStopping, Metrics, OptimizerConfig, Recipe};

use super::data;
use super::page::Feedback;
use crate::cli::TrainArgs;

/// The most parameters a network may have (weights and biases, all layers): 100 million, 400 MB
/// in f32 before the optimizer's state. A mistyped `--hidden` is refused instead of exhausting
/// memory.
const MAX_PARAMETERS: u128 = 100_000_000;

pub fn run(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    // Everything that can be checked without the data is checked first, so a typo fails at once
    // rather than after reading a large file or training for minutes.
    let activation: Activation = args.activation.parse()?;
    let optimizer: OptimizerConfig = args.optimizer.parse()?;
    if args.hidden.contains(&0) {
        bail!(
            "--hidden {}: every hidden layer needs at least 1 unit",
            join(&args.hidden, ",")
        );
    }
    check_out(&args.out)?;
    let dataset = data::load(&args.data, args.seed)?;
    let outputs = match dataset.task() {
        Task::Multiclass => dataset.n_classes(),
        Task::Binary | Task::Regression => 1,
    };
    check_size(dataset.n_features(), &args.hidden, outputs)?;
    let recipe = Recipe {
        hidden: args.hidden.clone(),
        activation,
        epochs: args.epochs,
        batch_size: args.batch_size,
        optimizer: optimizer.with_lr(args.lr),
        seed: args.seed,
        validation_fraction: args.validation,
        standardize: true,
        // On by default: past its best validation loss a network only fits the training rows'
        // noise (the height_weight network ran 194 epochs past its best, and its effect of weight
        // ended about twice the truth).
        early_stopping: (args.patience > 0).then_some(EarlyStopping {
            patience: args.patience,
            min_delta: 0.0,
        }),
    };

    let prefix = format!("training on {}", dataset.name());
    let feedback = Feedback::epochs(args.quiet || args.json, prefix.clone(), args.epochs);
    let start = Instant::now();
    let trained = train_model(&dataset, &recipe, &mut |m| {
        feedback.epoch(&prefix, m.epoch, args.epochs);
        feedback.note(format!("loss {:.4}", m.train.loss));
    })?;
    feedback.finish();
    let seconds = start.elapsed().as_secs_f64();
    relulens::io::save(&trained.model, &args.out)?;

    let bayes = data::builtin_name(&args.data.data).and_then(|name| {
        builtin::list()
            .into_iter()
            .find(|d| d.name == name)
            .and_then(|d| d.bayes_accuracy)
    });
    let best = trained.history.best();
    let mut out = std::io::stdout().lock();
    if args.json {
        let doc = serde_json::json!({
            "dataset": dataset.name(),
            "task": dataset.task().to_string(),
            "features": dataset.feature_names(),
            "model": args.out.display().to_string(),
            "architecture": trained.model.mlp().to_string(),
            "epochs": trained.history.epochs.len(),
            "best_epoch": trained.history.best_epoch,
            "stopped_early": trained.history.stopped_early,
            "rows": {"train": trained.train_rows, "validation": trained.validation_rows},
            "train": best.train,
            "validation": best.validation,
            "bayes_accuracy": bayes,
            "seconds": seconds,
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "trained {} on {} ({} training rows, {} validation) in {seconds:.2} s",
            trained.model.mlp(),
            dataset.name(),
            trained.train_rows,
            trained.validation_rows
        )?;
        writeln!(out, "train:      {}", describe(&best.train))?;
        if let Some(v) = &best.validation {
            writeln!(out, "validation: {}", describe(v))?;
        }
        if let Some(b) = bayes {
            writeln!(
                out,
                "Bayes accuracy of {} (the best any model can do): {b:.4}",
                dataset.name()
            )?;
        }
        writeln!(out, "saved to {}", args.out.display())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Refuses an output path whose directory is missing or that names a directory, before training.
fn check_out(out: &Path) -> anyhow::Result<()> {
    if out.is_dir() {
        bail!("--out {}: is a directory; name a file", out.display());
    }
    let dir = match out.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    if !dir.is_dir() {
        bail!(
            "--out {}: the directory {} does not exist",
            out.display(),
            dir.display()
        );
    }
    Ok(())
}

/// Refuses a network with more than [`MAX_PARAMETERS`] parameters.
fn check_size(inputs: usize, hidden: &[usize], outputs: usize) -> anyhow::Result<()> {
    let mut sizes = vec![inputs];
    sizes.extend(hidden);
    sizes.push(outputs);
    let parameters = sizes.windows(2).fold(0u128, |total, w| {
        total.saturating_add((w[0] as u128 + 1).saturating_mul(w[1] as u128))
    });
    if parameters > MAX_PARAMETERS {
        bail!(
            "--hidden {}: a {} network has {parameters} parameters, more than the limit of \
             {MAX_PARAMETERS}",
            join(hidden, ","),
            join(&sizes, "-")
        );
    }
    Ok(())
}

fn join(sizes: &[usize], separator: &str) -> String {
    let sizes: Vec<String> = sizes.iter().map(usize::to_string).collect();
    sizes.join(separator)
}

fn describe(m: &Metrics) -> String {
    let mut s = format!("loss {:.4}", m.loss);
    if let Some(a) = m.accuracy {
        s += &format!(", accuracy {a:.4}");
    }
    if let Some(r2) = m.r2 {
        s += &format!(", R² {r2:.4}");
    }
    s
}
