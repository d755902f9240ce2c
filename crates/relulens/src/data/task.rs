//! What a dataset's target asks for: a number (regression), one of two classes, or one of several.
//!
//! The text form is `"regression"`, `"binary"` or `"multiclass"`, the same in `Display`, `FromStr`
//! and serde (so in model metadata and on the command line).
//!
//! ```
//! use relulens::data::Task;
//! let task: Task = "binary".parse()?;
//! assert_eq!(task, Task::Binary);
//! assert!(task.is_classification());
//! assert_eq!(Task::Multiclass.to_string(), "multiclass");
//! # Ok::<(), relulens::Error>(())
//! ```

use core::fmt;
use core::str::FromStr;

use crate::error::{Error, Result};

/// The kind of prediction a dataset's target asks for.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Task {
    /// A real-valued target (the default).
    #[default]
    Regression,
    /// Two classes; the target holds the class index 0.0 or 1.0.
    Binary,
    /// Two or more classes; the target holds the class index 0.0, 1.0, 2.0, ...
    Multiclass,
}

impl Task {
    /// Every task, in the order of their names in error messages.
    pub const ALL: [Task; 3] = [Task::Regression, Task::Binary, Task::Multiclass];

    /// The task's name: `"regression"`, `"binary"` or `"multiclass"`.
    pub fn name(self) -> &'static str {
        match self {
            Task::Regression => "regression",
            Task::Binary => "binary",
            Task::Multiclass => "multiclass",
        }
    }

    /// Whether the target is a class index (binary or multiclass).
    pub fn is_classification(self) -> bool {
        !matches!(self, Task::Regression)
    }
}

impl fmt::Display for Task {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Task {
    type Err = Error;

    /// Parses a task name, ignoring case and surrounding whitespace.
    ///
    /// # Errors
    ///
    /// [`Error::UnknownTask`] for any other text; the message lists the valid names.
    fn from_str(text: &str) -> Result<Task> {
        let wanted = text.trim();
        Task::ALL
            .into_iter()
            .find(|task| task.name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| Error::UnknownTask {
                name: text.to_string(),
                valid: Task::ALL.map(Task::name).join(", "),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_through_display_from_str_and_serde() {
        for task in Task::ALL {
            assert_eq!(task.to_string().parse::<Task>().unwrap(), task);
            let json = serde_json::to_string(&task).unwrap();
            assert_eq!(json, format!("\"{task}\""));
            assert_eq!(serde_json::from_str::<Task>(&json).unwrap(), task);
        }
        assert_eq!(" Binary ".parse::<Task>().unwrap(), Task::Binary);
    }

    #[test]
    fn an_unknown_task_lists_the_valid_ones() {
        let err = "classification".parse::<Task>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown task \"classification\"; valid tasks: regression, binary, multiclass"
        );
    }
}
