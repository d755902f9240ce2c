//! `relulens activation`: an activation's value and derivative on a grid.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use relulens::activation::Activation;
use serde::Serialize;

use crate::cli::ActivationArgs;

/// Above this many points the output is no longer something to read; refuse rather than allocate.
const MAX_STEPS: usize = 10_000_000;

#[derive(Serialize)]
struct Point {
    x: f64,
    value: f64,
    derivative: f64,
}

#[derive(Serialize)]
struct Output {
    activation: &'static str,
    params: serde_json::Map<String, serde_json::Value>,
    points: Vec<Point>,
}

/// Parses `KEY=VALUE`.
fn parse_param(text: &str) -> anyhow::Result<(&str, f64)> {
    let (key, value) = text
        .split_once('=')
        .with_context(|| format!("--param {text:?}: expected KEY=VALUE"))?;
    let value: f64 = value
        .trim()
        .parse()
        .with_context(|| format!("--param {text:?}: {:?} is not a number", value.trim()))?;
    Ok((key.trim(), value))
}

/// `n` evenly spaced points from `from` to `to`, both ends exactly included.
fn grid(from: f64, to: f64, n: usize) -> impl Iterator<Item = f64> {
    (0..n).map(move |i| {
        if i + 1 == n {
            to
        } else {
            from + (to - from) * (i as f64 / (n - 1) as f64)
        }
    })
}

pub fn run(args: &ActivationArgs) -> anyhow::Result<ExitCode> {
    if !args.from.is_finite() || !args.to.is_finite() {
        bail!("--from and --to must be finite numbers");
    }
    if args.steps < 2 || args.steps > MAX_STEPS {
        bail!(
            "--steps {}: expected between 2 and {MAX_STEPS} points (both ends are included)",
            args.steps
        );
    }
    let base: Activation = args.name.parse()?;
    let params = args
        .params
        .iter()
        .map(|p| parse_param(p))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let inline = base.params();
    let mut all: Vec<(&str, f64)> = inline.iter().map(|&(k, v)| (k, v)).collect();
    all.extend(params);
    let activation = Activation::from_name(base.name(), &all)?;

    let points: Vec<Point> = grid(args.from, args.to, args.steps)
        .map(|x| Point {
            x,
            value: activation.value(x),
            derivative: activation.derivative(x),
        })
        .collect();

    let mut out = std::io::stdout().lock();
    if args.json {
        let output = Output {
            activation: activation.name(),
            params: activation
                .params()
                .into_iter()
                .map(|(k, v)| (k.to_string(), serde_json::Value::from(v)))
                .collect(),
            points,
        };
        serde_json::to_writer(&mut out, &output)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{activation}")?;
        writeln!(out, "{:>14} {:>14} {:>14}", "x", "value", "derivative")?;
        for p in &points {
            writeln!(
                out,
                "{:>14} {:>14} {:>14}",
                fmt(p.x),
                fmt(p.value),
                fmt(p.derivative)
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Short numbers for a table: up to 6 significant digits, no trailing zeros.
pub fn fmt(v: f64) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v.abs() >= 1e-4 && v.abs() < 1e7 {
        let s = format!("{v:.6}");
        let s = s.trim_end_matches('0').trim_end_matches('.');
        s.to_string()
    } else {
        format!("{v:.5e}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_includes_both_ends_exactly() {
        let xs: Vec<f64> = grid(-2.0, 2.0, 5).collect();
        assert_eq!(xs, [-2.0, -1.0, 0.0, 1.0, 2.0]);
        let xs: Vec<f64> = grid(0.1, 0.7, 3).collect();
        assert_eq!((xs[0], xs[2]), (0.1, 0.7));
    }

    #[test]
    fn numbers_print_short() {
        assert_eq!(fmt(0.02), "0.02");
        assert_eq!(fmt(-2.0), "-2");
        assert_eq!(fmt(1e-9), "1.00000e-9");
    }
}
