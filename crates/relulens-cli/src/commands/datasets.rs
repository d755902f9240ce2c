//! `relulens datasets`: the built-in data sets.

use std::io::Write;
use std::process::ExitCode;

use relulens::data::builtin;

use crate::cli::DatasetsArgs;

pub fn run(args: &DatasetsArgs) -> anyhow::Result<ExitCode> {
    let list = builtin::list();
    let mut out = std::io::stdout().lock();
    if args.json {
        serde_json::to_writer(&mut out, &serde_json::json!({ "datasets": list }))?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{:<14} {:>5} {:>8}  {:<10} {:>6}  description",
        "name", "rows", "features", "task", "bayes"
    )?;
    for d in &list {
        let bayes = d
            .bayes_accuracy
            .map_or("-".to_string(), |b| format!("{b:.3}"));
        writeln!(
            out,
            "{:<14} {:>5} {:>8}  {:<10} {:>6}  {}",
            d.name,
            d.rows,
            d.features,
            d.task.to_string(),
            bayes,
            d.description
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
