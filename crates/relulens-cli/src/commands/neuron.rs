//! `relulens neuron`: the article's single node, evaluated and explained at one point.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use relulens::activation::Activation;
use relulens::explain::Neuron;
use serde::ser::{Serialize, SerializeMap, Serializer};

use crate::cli::NeuronArgs;

/// A JSON number that prints whole values without a fraction (`-298`, not `-298.0`), as the values
/// a reader works out by hand look; others print in full (`-0.6666666666666666`).
fn number(v: f64) -> serde_json::Value {
    // 2^53: every whole number below it is exact in both f64 and i64.
    if v.fract() == 0.0 && v.abs() < 9_007_199_254_740_992.0 {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Value::from(v)
    }
}

/// A JSON object whose keys keep the inputs' order.
struct Ordered(Vec<(String, serde_json::Value)>);

impl Serialize for Ordered {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// The document `--json` prints, fields in reading order.
#[derive(serde::Serialize)]
struct Document {
    neuron: String,
    pre_activation: serde_json::Value,
    output: serde_json::Value,
    active: bool,
    contributions: Ordered,
    gradient: Ordered,
    switch_at: Ordered,
    change_to_switch: Ordered,
}

/// Parses `NAME=VALUE` pairs, in order.
fn assignments(flag: &str, items: &[String]) -> anyhow::Result<Vec<(String, f64)>> {
    items
        .iter()
        .map(|item| {
            let (name, value) = item
                .split_once('=')
                .with_context(|| format!("{flag} {item:?}: expected NAME=VALUE"))?;
            let value: f64 = value
                .trim()
                .parse()
                .with_context(|| format!("{flag} {item:?}: {:?} is not a number", value.trim()))?;
            if !value.is_finite() {
                bail!("{flag} {item:?}: the value must be finite");
            }
            Ok((name.trim().to_string(), value))
        })
        .collect()
}

pub fn run(args: &NeuronArgs) -> anyhow::Result<ExitCode> {
    let activation: Activation = args.activation.parse()?;
    let weights = assignments("--weights", &args.weights)?;
    if weights.iter().any(|(name, _)| name == "bias") {
        bail!("--weights: the name \"bias\" is reserved for the bias; name the input otherwise");
    }
    let names: Vec<String> = weights.iter().map(|(n, _)| n.clone()).collect();
    let neuron = Neuron::new(
        names.clone(),
        weights.iter().map(|w| w.1).collect(),
        args.bias,
    )?
    .with_activation(activation)?;
    let mut point = vec![None; names.len()];
    for (name, value) in assignments("--at", &args.at)? {
        let Some(i) = names.iter().position(|n| *n == name) else {
            bail!(
                "--at {name}: the neuron has no input {name:?}; its inputs are {}",
                names.join(", ")
            );
        };
        if point[i].replace(value).is_some() {
            bail!("--at: {name} is given twice");
        }
    }
    let missing: Vec<&str> = (names.iter().zip(&point))
        .filter(|(_, v)| v.is_none())
        .map(|(n, _)| n.as_str())
        .collect();
    if !missing.is_empty() {
        bail!(
            "--at: give a value for every input; missing {}",
            missing.join(", ")
        );
    }
    let point: Vec<f64> = point.into_iter().flatten().collect();
    let e = neuron.explain(&point)?;

    let mut out = std::io::stdout().lock();
    if args.json {
        let per_input = |values: &[f64]| {
            Ordered(
                names
                    .iter()
                    .cloned()
                    .zip(values.iter().map(|&v| number(v)))
                    .collect(),
            )
        };
        let per_input_optional = |values: &[Option<f64>]| {
            let values = values
                .iter()
                .map(|v| v.map_or(serde_json::Value::Null, number));
            Ordered(names.iter().cloned().zip(values).collect())
        };
        let mut contributions = per_input(&e.contributions);
        contributions.0.push(("bias".into(), number(e.bias)));
        let doc = Document {
            neuron: neuron.to_string(),
            pre_activation: number(e.pre_activation),
            output: number(e.output),
            active: e.active,
            contributions,
            gradient: per_input(&e.gradient),
            switch_at: per_input_optional(&e.switch_at),
            change_to_switch: per_input_optional(&e.change_to_switch),
        };
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{neuron}")?;
        writeln!(out, "{e}")?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn whole_numbers_print_without_a_fraction() {
        assert_eq!(number(-298.0).to_string(), "-298");
        assert_eq!(number(-0.0).to_string(), "0");
        assert_eq!(number(-2.0 / 3.0).to_string(), "-0.6666666666666666");
        assert_eq!(number(1e300).as_f64(), Some(1e300));
    }
}
