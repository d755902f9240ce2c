//! What the geometry commands share: loading a model as the piecewise-linear function it computes in
//! the user's units, and reading feature assignments.

use std::path::Path;

use anyhow::{bail, Context};
use relulens::explain::PiecewiseLinear;
use relulens::model::Model;

/// The model and its network on raw inputs (the scaler folded into the first layer).
pub fn load(path: &Path) -> anyhow::Result<(Model, PiecewiseLinear)> {
    let model = super::model::read(path)?;
    let net = PiecewiseLinear::new(&model.folded())
        .with_context(|| format!("{}: cannot compute exact geometry", path.display()))?;
    Ok((model, net))
}

/// The index of feature `name` (or `x3`-style positional names).
pub fn feature_index(model: &Model, name: &str) -> anyhow::Result<usize> {
    match model.feature_names().iter().position(|f| f == name) {
        Some(i) => Ok(i),
        None => bail!(
            "the model has no feature {name:?}; its features are {}",
            model.feature_names().join(", ")
        ),
    }
}

/// A full input vector: the typical value of every feature, overridden by `F=V` assignments.
pub fn point_with(model: &Model, assignments: &[String]) -> anyhow::Result<Vec<f64>> {
    let mut point: Vec<f64> = (0..model.feature_names().len())
        .map(|i| model.typical_value(i))
        .collect();
    for a in assignments {
        let (name, value) = a
            .split_once('=')
            .with_context(|| format!("--at {a:?}: expected FEATURE=VALUE"))?;
        let value: f64 = value
            .trim()
            .parse()
            .with_context(|| format!("--at {a:?}: {:?} is not a number", value.trim()))?;
        if !value.is_finite() {
            bail!("--at {a:?}: the value must be finite");
        }
        point[feature_index(model, name.trim())?] = value;
    }
    Ok(point)
}

/// A number given on the command line: `text` is part of `item`, the value of `option`, whose
/// expected form is `expected`. The error names all four, not just "invalid float literal".
pub fn number(option: &str, item: &str, text: &str, expected: &str) -> anyhow::Result<f64> {
    let text = text.trim();
    let value: f64 = text.parse().map_err(|_| {
        anyhow::anyhow!("{option} {item:?}: {text:?} is not a number; expected {expected}")
    })?;
    if !value.is_finite() {
        bail!("{option} {item:?}: {text:?} is not finite; expected {expected}");
    }
    Ok(value)
}

/// `LOW:HIGH` (or, with `point_ok`, a single value V for [V, V]) within `item` of `option`.
pub fn range(
    option: &str,
    item: &str,
    text: &str,
    expected: &str,
    point_ok: bool,
) -> anyhow::Result<[f64; 2]> {
    match text.split_once(':') {
        Some((low, high)) => Ok([
            number(option, item, low, expected)?,
            number(option, item, high, expected)?,
        ]),
        None if point_ok => Ok([number(option, item, text, expected)?; 2]),
        None => bail!("{option} {item:?}: expected {expected}"),
    }
}

/// `--bounds` as given: ranges by position (`LOW:HIGH,…`), or by feature (`F=LOW:HIGH,…`).
pub enum Bounds {
    /// One range per entry, in order.
    Positional(Vec<[f64; 2]>),
    /// (feature index, range), in the order given; each feature at most once.
    Named(Vec<(usize, [f64; 2])>),
}

/// Parses the entries of `--bounds` in either form (not mixed), `expected` naming both forms for
/// errors; with `point_ok`, a single value V stands for [V, V].
pub fn parse_bounds(
    model: &Model,
    items: &[&str],
    expected: &str,
    point_ok: bool,
) -> anyhow::Result<Bounds> {
    let all = items.join(",");
    let named = items.iter().filter(|i| i.contains('=')).count();
    if named == 0 {
        let ranges = items
            .iter()
            .map(|i| range("--bounds", &all, i, expected, point_ok))
            .collect::<anyhow::Result<_>>()?;
        return Ok(Bounds::Positional(ranges));
    }
    if named != items.len() {
        bail!("--bounds {all:?}: name every feature or none; expected {expected}");
    }
    let mut ranges: Vec<(usize, [f64; 2])> = Vec::with_capacity(items.len());
    for item in items {
        let (name, text) = item.split_once('=').expect("counted above");
        let i = feature_index(model, name.trim()).with_context(|| format!("--bounds {all:?}"))?;
        if ranges.iter().any(|(j, _)| *j == i) {
            bail!("--bounds {all:?}: {:?} is given twice", name.trim());
        }
        ranges.push((i, range("--bounds", &all, text, expected, point_ok)?));
    }
    Ok(Bounds::Named(ranges))
}

/// A name for each of the model's outputs: its class labels when it has one per output, else
/// `output 0`, `output 1`, ….
pub fn output_names(model: &Model, outputs: usize) -> Vec<String> {
    let labels = &model.info().class_labels;
    if labels.len() == outputs {
        labels.clone()
    } else {
        (0..outputs).map(|o| format!("output {o}")).collect()
    }
}
