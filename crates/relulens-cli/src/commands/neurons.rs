//! `relulens neurons`: dead and always-active hidden units, on a data set and over a box.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use relulens::explain::{neuron_health, ExactAnalysis, UnitHealth, UnitStatus};

use super::activation::fmt;
use super::geometry;
use super::interactions::model_rows;
use crate::cli::NeuronsArgs;

fn key(status: UnitStatus) -> &'static str {
    match status {
        UnitStatus::Dead => "dead",
        UnitStatus::AlwaysActive => "always_active",
        UnitStatus::Switching => "switching",
        UnitStatus::Unknown => "unknown",
    }
}

/// Parses `LO:HI` or a single value `V` (a fixed feature).
fn parse_range(item: &str, text: &str) -> anyhow::Result<[f64; 2]> {
    let number = |t: &str| -> anyhow::Result<f64> {
        let v: f64 = t
            .trim()
            .parse()
            .with_context(|| format!("--bounds {item:?}: {:?} is not a number", t.trim()))?;
        if !v.is_finite() {
            bail!("--bounds {item:?}: the bounds must be finite");
        }
        Ok(v)
    };
    let range = match text.split_once(':') {
        Some((lo, hi)) => [number(lo)?, number(hi)?],
        None => [number(text)?; 2],
    };
    if range[0] > range[1] {
        bail!("--bounds {item:?}: low must not exceed high");
    }
    Ok(range)
}

pub fn run(args: &NeuronsArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    let names = model.feature_names();
    // The box: every feature's typical range, narrowed by --bounds and fixed by --at.
    let mut bounds: Vec<[f64; 2]> = (0..names.len()).map(|i| model.typical_range(i)).collect();
    for item in &args.bounds {
        let (name, range) = item
            .split_once('=')
            .with_context(|| format!("--bounds {item:?}: expected FEATURE=LOW:HIGH"))?;
        bounds[geometry::feature_index(&model, name.trim())?] = parse_range(item, range)?;
    }
    let at = geometry::point_with(&model, &args.at)?;
    for a in &args.at {
        let name = a.split_once('=').map_or(a.as_str(), |(n, _)| n).trim();
        let i = geometry::feature_index(&model, name)?;
        bounds[i] = [at[i]; 2];
    }
    let data = args
        .data
        .as_deref()
        .map(|spec| model_rows(&model, spec, args.seed))
        .transpose()?;
    let health = neuron_health(
        &net,
        data.as_ref().map(|(rows, _)| &rows[..]),
        Some(&bounds),
    )?;

    let label = |u: &UnitHealth| format!("layer {} unit {}", u.layer, u.unit);
    let list = |units: Vec<&UnitHealth>| units.into_iter().map(label).collect::<Vec<_>>();
    let ids = |units: Vec<&UnitHealth>| {
        units
            .into_iter()
            .map(|u| [u.layer, u.unit])
            .collect::<Vec<_>>()
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let units: Vec<serde_json::Value> = health
            .units
            .iter()
            .map(|u| {
                serde_json::json!({
                    "layer": u.layer,
                    "unit": u.unit,
                    "rate": u.rate,
                    "on_data": u.on_data.map(key),
                    "interval": u.interval,
                    "by_bounds": u.by_bounds.map(key),
                    "exact": u.exact.map(key),
                })
            })
            .collect();
        let bounds: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .zip(&bounds)
            .map(|(n, b)| (n.clone(), serde_json::json!(b)))
            .collect();
        let (exact, pieces) = match health.exact {
            Some(ExactAnalysis::Point) => (Some("point"), Some(1)),
            Some(ExactAnalysis::Segment { pieces, .. }) => (Some("segment"), Some(pieces)),
            Some(ExactAnalysis::Slice { regions, .. }) => (Some("slice"), Some(regions)),
            None => (None, None),
        };
        let doc = serde_json::json!({
            "data": data.as_ref().map(|(_, source)| source),
            "rows": health.rows,
            "bounds": bounds,
            "exact": exact,
            "linear_pieces": pieces,
            "dead_on_data": health.rows.map(|_| ids(health.dead_on_data())),
            "always_active_on_data": health.rows.map(|_| ids(health.always_active_on_data())),
            "dead_on_box": ids(health.dead_on_box()),
            "always_active_on_box": ids(health.always_active_on_box()),
            "units": units,
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }

    writeln!(out, "hidden units of {}", model.mlp())?;
    let joined = |v: Vec<String>| {
        if v.is_empty() {
            "none".to_string()
        } else {
            v.join(", ")
        }
    };
    if let (Some(rows), Some((_, source))) = (health.rows, &data) {
        writeln!(out, "on {rows} rows of {source}:")?;
        writeln!(
            out,
            "  dead (never active): {}",
            joined(list(health.dead_on_data()))
        )?;
        writeln!(
            out,
            "  always active: {}",
            joined(list(health.always_active_on_data()))
        )?;
    }
    let box_text: Vec<String> = names
        .iter()
        .zip(&bounds)
        .map(|(n, [lo, hi])| {
            if lo == hi {
                format!("{n} = {}", fmt(*lo))
            } else {
                format!("{n} ∈ [{}, {}]", fmt(*lo), fmt(*hi))
            }
        })
        .collect();
    let how = match health.exact {
        Some(ExactAnalysis::Point) => "exact, at a point".to_string(),
        Some(ExactAnalysis::Segment { pieces, .. }) => format!("exact, {pieces} linear pieces"),
        Some(ExactAnalysis::Slice { regions, .. }) => format!("exact, {regions} linear regions"),
        None => "interval bound propagation; exact with at most two free features".to_string(),
    };
    writeln!(out, "on the box {} ({how}):", box_text.join(", "))?;
    writeln!(out, "  dead: {}", joined(list(health.dead_on_box())))?;
    writeln!(
        out,
        "  always active: {}",
        joined(list(health.always_active_on_box()))
    )?;
    writeln!(out, "layer  unit  {:>8}  {:<14}  box", "rate", "data")?;
    for u in &health.units {
        let on_box = match (u.exact, u.by_bounds) {
            (Some(s), _) => format!("{s} (exact)"),
            (None, Some(s)) => format!("{s} (interval bounds)"),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "{:>5}  {:>4}  {:>8}  {:<14}  {on_box}",
            u.layer,
            u.unit,
            u.rate.map_or("-".into(), |r| format!("{:.3}", r)),
            u.on_data.map_or("-".into(), |s| s.to_string()),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
