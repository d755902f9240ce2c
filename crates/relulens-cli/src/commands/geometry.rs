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
