//! Turning the target cells into a task, class labels and target values (the rule is on
//! [`CsvOptions`]).
//!
//! ```
//! use relulens::data::{Dataset, Task};
//! let text = "x,y\n0,2\n1,10\n2,9\n";
//! let data = Dataset::from_csv_reader(text.as_bytes(), "t.csv", None, "y", None)?;
//! assert_eq!(data.task(), Task::Multiclass); // 3 whole numbers
//! assert_eq!(data.class_labels(), ["2", "9", "10"]); // sorted as numbers
//! # Ok::<(), relulens::Error>(())
//! ```

use super::read::{number, Table};
use super::{CsvOptions, MAX_INFERRED_CLASSES};
use crate::data::Task;
use crate::error::{Error, Result};

/// The task, the class labels and the target values, following the rules on [`CsvOptions`].
pub(super) fn interpret_target(
    table: &Table,
    file: &str,
    options: &CsvOptions,
) -> Result<(Task, Vec<String>, Vec<f64>)> {
    let column = options.target.as_str();
    let parsed: Vec<Option<f64>> = table.targets.iter().map(|t| t.parse().ok()).collect();
    let all_numbers = parsed.iter().all(Option::is_some);
    let finite_numbers = || -> Result<Vec<f64>> {
        table
            .targets
            .iter()
            .zip(&table.lines)
            .map(|(text, &line)| number(text, file, line, column))
            .collect()
    };
    let task = match options.task {
        Some(task) => task,
        None if all_numbers => {
            let values = finite_numbers()?;
            let distinct = distinct_numbers(&values);
            if values.iter().any(|v| v.fract() != 0.0) || distinct.len() > MAX_INFERRED_CLASSES {
                Task::Regression
            } else if distinct.len() <= 2 {
                Task::Binary
            } else {
                Task::Multiclass
            }
        }
        None => {
            if distinct_texts(&table.targets).len() <= 2 {
                Task::Binary
            } else {
                Task::Multiclass
            }
        }
    };
    if task == Task::Regression {
        return Ok((task, Vec::new(), finite_numbers()?));
    }
    let (labels, target) = if all_numbers {
        let values = finite_numbers()?;
        let classes = distinct_numbers(&values);
        let index = |v: &f64| classes.partition_point(|c| c < v) as f64;
        let labels = classes.iter().map(|c| c.to_string()).collect();
        (labels, values.iter().map(index).collect())
    } else {
        let labels = distinct_texts(&table.targets);
        let index = |t: &String| labels.partition_point(|c| c < t) as f64;
        let target = table.targets.iter().map(index).collect();
        (labels, target)
    };
    match (task, labels.len()) {
        (_, 1) => Err(Error::CsvSingleClass {
            file: file.to_string(),
            column: column.to_string(),
            label: labels[0].clone(),
        }),
        (Task::Binary, n) if n > 2 => Err(Error::CsvClassCount {
            file: file.to_string(),
            column: column.to_string(),
            task,
            found: n,
            labels: labels.join(", "),
        }),
        _ => Ok((task, labels, target)),
    }
}

fn distinct_numbers(values: &[f64]) -> Vec<f64> {
    let mut distinct = values.to_vec();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup_by(|a, b| a == b);
    distinct
}

fn distinct_texts(texts: &[String]) -> Vec<String> {
    let mut distinct = texts.to_vec();
    distinct.sort_unstable();
    distinct.dedup();
    distinct
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::Dataset;

    fn read(text: &str, features: Option<&[&str]>, target: &str) -> Result<Dataset> {
        Dataset::from_csv_reader(text.as_bytes(), "t.csv", features, target, None)
    }

    fn message(text: &str, target: &str) -> String {
        read(text, None, target).unwrap_err().to_string()
    }

    #[test]
    fn the_task_is_inferred_by_the_documented_rule() {
        let task = |ys: &[&str]| {
            let text: String = std::iter::once("x,y".to_string())
                .chain(ys.iter().enumerate().map(|(i, y)| format!("{i},{y}")))
                .collect::<Vec<_>>()
                .join("\n");
            read(&text, None, "y").map(|d| (d.task(), d.class_labels().to_vec()))
        };
        assert_eq!(task(&["0", "1", "1"]).unwrap().0, Task::Binary);
        assert_eq!(
            task(&["-1", "1.0", "1"]).unwrap(),
            (Task::Binary, vec!["-1".into(), "1".into()])
        );
        let (t, labels) = task(&["2", "10", "9", "2"]).unwrap();
        assert_eq!(
            (t, labels),
            (Task::Multiclass, vec!["2".into(), "9".into(), "10".into()])
        );
        let many: Vec<String> = (0..11).map(|i| i.to_string()).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        assert_eq!(task(&many).unwrap().0, Task::Regression);
        assert_eq!(task(&many[..10]).unwrap().0, Task::Multiclass);
        assert_eq!(task(&["0.5", "1", "2"]).unwrap().0, Task::Regression);
        assert_eq!(task(&["yes", "no"]).unwrap().0, Task::Binary);
        assert_eq!(task(&["1", "2", "three"]).unwrap().0, Task::Multiclass);
    }

    #[test]
    fn an_explicit_task_wins() {
        let text = "x,y\n0,0\n1,1\n2,1\n";
        let reg = Dataset::from_csv_reader(text.as_bytes(), "t", None, "y", Some(Task::Regression));
        assert_eq!(reg.unwrap().target(), [0.0, 1.0, 1.0]);
        let multi =
            Dataset::from_csv_reader(text.as_bytes(), "t", None, "y", Some(Task::Multiclass));
        assert_eq!(multi.unwrap().n_classes(), 2);
        let three = "x,y\n0,a\n1,b\n2,c\n";
        let err =
            Dataset::from_csv_reader(three.as_bytes(), "t.csv", None, "y", Some(Task::Binary))
                .unwrap_err();
        assert_eq!(
            err.to_string(),
            "t.csv: target column \"y\" has 3 classes (a, b, c), but a binary task needs 2"
        );
    }

    #[test]
    fn a_single_class_is_refused_for_classification() {
        assert_eq!(
            message("a,b\n1,x\n2,x\n", "b"),
            "t.csv: target column \"b\" has the single class \"x\"; classification needs at least 2"
        );
        assert!(matches!(
            read("a,b\n1,1\n2,1\n", None, "b"),
            Err(Error::CsvSingleClass { .. })
        ));
        let constant = Dataset::from_csv_reader(
            "a,b\n1,1\n2,1\n".as_bytes(),
            "t",
            None,
            "b",
            Some(Task::Regression),
        );
        assert_eq!(constant.unwrap().target(), [1.0, 1.0]);
    }
}
