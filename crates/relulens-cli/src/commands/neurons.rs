//! `relulens neurons`: dead and always-active hidden units, on a data set and over a box.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use relulens::explain::{neuron_health, ExactAnalysis, UnitHealth, UnitStatus};

use super::activation::fmt;
use super::geometry::{self, Bounds};
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

/// The forms `--bounds` takes.
const BOUNDS_FORMS: &str =
    "FEATURE=LOW:HIGH,… (or FEATURE=VALUE), or LOW:HIGH,… for every feature \
                            in order";

pub fn run(args: &NeuronsArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    let names = model.feature_names();
    // The box: every feature's typical range, narrowed by --bounds and fixed by --at.
    let mut bounds: Vec<[f64; 2]> = (0..names.len()).map(|i| model.typical_range(i)).collect();
    let items: Vec<&str> = args.bounds.iter().map(String::as_str).collect();
    let given = match geometry::parse_bounds(&model, &items, BOUNDS_FORMS, true)? {
        Bounds::Named(named) => named,
        Bounds::Positional(ranges) if ranges.is_empty() => Vec::new(),
        Bounds::Positional(ranges) if ranges.len() == names.len() => {
            ranges.into_iter().enumerate().collect()
        }
        Bounds::Positional(ranges) => bail!(
            "--bounds {:?}: {} ranges by position, but the model has {} features ({}); expected \
             {BOUNDS_FORMS}",
            items.join(","),
            ranges.len(),
            names.len(),
            names.join(", ")
        ),
    };
    for (i, range) in given {
        if range[0] > range[1] {
            bail!(
                "--bounds {:?}: {}: low must not exceed high",
                items.join(","),
                names[i]
            );
        }
        bounds[i] = range;
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

    // Text counts hidden layers and units from 1; JSON keeps the 0-based indices, named so.
    let label = |u: &UnitHealth| format!("hidden layer {} unit {}", u.layer + 1, u.unit + 1);
    let list = |units: Vec<&UnitHealth>| units.into_iter().map(label).collect::<Vec<_>>();
    let ids = |units: Vec<&UnitHealth>| {
        units
            .into_iter()
            .map(|u| serde_json::json!({"layer_index": u.layer, "unit_index": u.unit}))
            .collect::<Vec<_>>()
    };
    let mut out = std::io::stdout().lock();
    if args.json {
        let units: Vec<serde_json::Value> = health
            .units
            .iter()
            .map(|u| {
                serde_json::json!({
                    "layer_index": u.layer,
                    "unit_index": u.unit,
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
    writeln!(
        out,
        "hidden layer  unit  {:>8}  {:<14}  box",
        "rate", "data"
    )?;
    for u in &health.units {
        let on_box = match (u.exact, u.by_bounds) {
            (Some(s), _) => format!("{s} (exact)"),
            (None, Some(s)) => format!("{s} (interval bounds)"),
            (None, None) => String::new(),
        };
        writeln!(
            out,
            "{:>12}  {:>4}  {:>8}  {:<14}  {on_box}",
            u.layer + 1,
            u.unit + 1,
            u.rate.map_or("-".into(), |r| format!("{:.3}", r)),
            u.on_data.map_or("-".into(), |s| s.to_string()),
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
