//! Turning `--data NAME|FILE` and its companions into a data set.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;

use anyhow::{bail, Context};
use relulens::data::{builtin, CsvOptions, Dataset, Task, MISSING_TOKENS};

use crate::cli::DataArgs;

/// The longest header line read to find a CSV file's last column; a longer one is cut there.
const MAX_HEADER_BYTES: u64 = 1 << 20;

/// The built-in set that `spec` names (ignoring case and surrounding whitespace, as
/// [`builtin::load`] does), unless a file of that name exists: the file wins.
pub fn builtin_name(spec: &str) -> Option<&'static str> {
    let wanted = spec.trim().to_ascii_lowercase();
    builtin::NAMES
        .into_iter()
        .find(|name| *name == wanted)
        .filter(|_| !Path::new(spec).exists())
}

/// The error for a `--data` value that is neither a file nor a built-in set.
pub fn no_such_data(spec: &str) -> anyhow::Error {
    anyhow::anyhow!(
        "--data {spec:?}: no such file, and not a built-in set ({})",
        builtin::NAMES.join(", ")
    )
}

/// `err`, with a missing-value error's library hint replaced by `advice`, which says what the
/// command's user can do about it.
pub fn explain_missing(err: relulens::Error, advice: &str) -> anyhow::Error {
    match err {
        relulens::Error::CsvMissingValue {
            file,
            line,
            column,
            text,
        } => anyhow::anyhow!(
            "{file}: line {line}, column {column:?}: missing value {text:?}; {advice}"
        ),
        other => other.into(),
    }
}

/// Loads the data set that `args` describe; built-in sets are generated with `seed`.
pub fn load(args: &DataArgs, seed: u64) -> anyhow::Result<Dataset> {
    let task: Option<Task> = args.task.as_deref().map(str::parse).transpose()?;
    let features: Vec<&str> = args.features.iter().map(String::as_str).collect();
    if let Some(name) = builtin_name(&args.data) {
        let data = builtin::load(name, seed)?;
        if let Some(target) = &args.target {
            if target != data.target_name() {
                bail!(
                    "--target {target:?}: the built-in set {name} has the target {:?}",
                    data.target_name()
                );
            }
        }
        if let Some(task) = task {
            if task != data.task() {
                bail!(
                    "--task {task}: the built-in set {name} is a {} task",
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
        return Err(no_such_data(&args.data));
    }
    let target = match &args.target {
        Some(t) => t.clone(),
        None => last_column(path)?,
    };
    let mut options = CsvOptions::new(target).drop_missing(args.drop_missing);
    if !features.is_empty() {
        options = options.features(&features);
    }
    if let Some(task) = task {
        options = options.task(task);
    }
    let data = Dataset::from_csv_with(path, &options)
        .map_err(|e| explain_missing(e, "pass --drop-missing to drop rows with missing values"))?;
    // The library keeps a missing target cell ("NA", or empty) as a class label of its own, which
    // would train a network to predict "NA"; refuse it as it refuses a missing feature cell.
    if let Some(label) = data.class_labels().iter().find(|l| is_missing(l)) {
        bail!(
            "{}: target column {:?} has missing values ({label:?}); pass --drop-missing to drop \
             those rows",
            path.display(),
            data.target_name()
        );
    }
    Ok(data)
}

/// Whether a cell's text marks a missing value (see [`MISSING_TOKENS`]).
pub fn is_missing(text: &str) -> bool {
    MISSING_TOKENS
        .iter()
        .any(|m| m.eq_ignore_ascii_case(text.trim()))
}

/// The column names of a CSV file, read from its first line only.
pub fn header(path: &Path) -> anyhow::Result<Vec<String>> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut line = Vec::new();
    BufReader::new(file.take(MAX_HEADER_BYTES))
        .read_until(b'\n', &mut line)
        .with_context(|| format!("cannot read {}", path.display()))?;
    Ok(header_fields(&String::from_utf8_lossy(&line)))
}

/// The name of a CSV file's last column, read from its first line only.
fn last_column(path: &Path) -> anyhow::Result<String> {
    match header(path)?.pop() {
        Some(name) if !name.is_empty() => Ok(name),
        _ => bail!(
            "{}: line 1: no header row to take the target column from (or pass --target)",
            path.display()
        ),
    }
}

/// The fields of one CSV line, trimmed, with quotes removed: `a,"b, c"` has the fields `a` and
/// `b, c`, and a doubled quote inside quotes is one quote (the rules the library's reader follows).
fn header_fields(line: &str) -> Vec<String> {
    let line = line.trim_start_matches('\u{feff}');
    let line = line.trim_end_matches(['\r', '\n']);
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => fields.push(std::mem::take(&mut field).trim().to_string()),
            c => field.push(c),
        }
    }
    fields.push(field.trim().to_string());
    fields
}

#[cfg(test)]
mod tests {
    use super::header_fields;

    #[test]
    fn header_fields_follow_csv_quoting() {
        assert_eq!(header_fields("a,b,c\r\n"), ["a", "b", "c"]);
        assert_eq!(
            header_fields("\u{feff}x, \"class, final\"\n"),
            ["x", "class, final"]
        );
        assert_eq!(header_fields("\"say \"\"hi\"\"\""), ["say \"hi\""]);
        assert_eq!(header_fields(""), [""]);
    }
}
