//! Turning `--data NAME|FILE` and its companions into a data set.

use std::path::Path;

use anyhow::{bail, Context};
use relulens::data::{builtin, CsvOptions, Dataset, Task};

use crate::cli::DataArgs;

/// Whether `spec` names a built-in set rather than a file.
pub fn is_builtin(spec: &str) -> bool {
    builtin::NAMES.contains(&spec) && !Path::new(spec).exists()
}

/// Loads the data set that `args` describe; built-in sets are generated with `seed`.
pub fn load(args: &DataArgs, seed: u64) -> anyhow::Result<Dataset> {
    let task: Option<Task> = args.task.as_deref().map(str::parse).transpose()?;
    let features: Vec<&str> = args.features.iter().map(String::as_str).collect();
    if is_builtin(&args.data) {
        let data = builtin::load(&args.data, seed)?;
        if let Some(target) = &args.target {
            if target != data.target_name() {
                bail!(
                    "--target {target:?}: the built-in set {} has the target {:?}",
                    args.data,
                    data.target_name()
                );
            }
        }
        if let Some(task) = task {
            if task != data.task() {
                bail!(
                    "--task {task}: the built-in set {} is a {} task",
                    args.data,
                    data.task()
                );
            }
        }
        return Ok(if features.is_empty() {
            data
        } else {
            data.select_features(&features)?
        });
    }
    let path = Path::new(&args.data);
    if !path.exists() {
        bail!(
            "--data {:?}: no such file, and not a built-in set ({})",
            args.data,
            builtin::NAMES.join(", ")
        );
    }
    let target = match &args.target {
        Some(t) => t.clone(),
        None => last_column(path)?,
    };
    let mut options = CsvOptions::new(target);
    if !features.is_empty() {
        options = options.features(&features);
    }
    if let Some(task) = task {
        options = options.task(task);
    }
    Ok(Dataset::from_csv_with(path, &options)?)
}

/// The name of a CSV file's last column.
fn last_column(path: &Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let header = text.lines().next().unwrap_or("");
    match header.rsplit(',').next().map(str::trim) {
        Some(name) if !name.is_empty() => Ok(name.trim_matches('"').to_string()),
        _ => bail!(
            "{}: line 1: no header row to take the target column from",
            path.display()
        ),
    }
}
