//! `relulens train`: train a network, report its metrics, save it.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use relulens::data::builtin;
use relulens::train::{train_model, EarlyStopping, Metrics, OptimizerConfig, Recipe};

use super::data;
use crate::cli::TrainArgs;

pub fn run(args: &TrainArgs) -> anyhow::Result<ExitCode> {
    let dataset = data::load(&args.data, args.seed)?;
    let optimizer: OptimizerConfig = args.optimizer.parse()?;
    let recipe = Recipe {
        hidden: args.hidden.clone(),
        activation: args.activation.parse()?,
        epochs: args.epochs,
        batch_size: args.batch_size,
        optimizer: optimizer.with_lr(args.lr),
        seed: args.seed,
        validation_fraction: args.validation,
        standardize: true,
        early_stopping: args.patience.map(|patience| EarlyStopping {
            patience,
            min_delta: 0.0,
        }),
    };

    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        let bar = indicatif::ProgressBar::new(args.epochs as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {pos}/{len} epochs {msg}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix(format!("training on {}", dataset.name()));
        bar
    };
    let start = Instant::now();
    let trained = train_model(&dataset, &recipe, &mut |m| {
        bar.set_position(m.epoch as u64);
        bar.set_message(format!("loss {:.4}", m.train.loss));
    })?;
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    relulens::io::save(&trained.model, &args.out)?;

    let bayes = if data::is_builtin(&args.data.data) {
        builtin::list()
            .into_iter()
            .find(|d| d.name == args.data.data)
            .and_then(|d| d.bayes_accuracy)
    } else {
        None
    };
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
