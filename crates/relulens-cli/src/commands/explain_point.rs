//! `relulens explain-point`: a model explained at one point.

use std::io::Write;
use std::process::ExitCode;

use anyhow::{bail, Context};
use relulens::explain::explain_point;
use relulens::model::Model;

use super::activation::fmt;
use super::geometry;
use crate::cli::ExplainPointArgs;

/// The expected form of `--radius`.
const RADIUS_FORM: &str = "FEATURE=R,… or R for every feature, R > 0";

/// How far to search for kinks along each feature: `--radius` (F=R, or a bare R for every feature
/// not named), else twice the feature's typical width.
fn radii(model: &Model, given: &[String]) -> anyhow::Result<Vec<f64>> {
    let n = model.feature_names().len();
    let mut radius: Vec<f64> = (0..n)
        .map(|i| {
            let [low, high] = model.typical_range(i);
            2.0 * (high - low).max(1e-9)
        })
        .collect();
    let positive = |item: &str, text: &str| -> anyhow::Result<f64> {
        let r = geometry::number("--radius", item, text, RADIUS_FORM)?;
        if r <= 0.0 {
            bail!("--radius {item:?}: a radius must be positive; expected {RADIUS_FORM}");
        }
        Ok(r)
    };
    // The bare value first, so that named features override it in any order.
    for item in given.iter().filter(|i| !i.contains('=')) {
        radius.fill(positive(item, item)?);
    }
    for item in given.iter().filter(|i| i.contains('=')) {
        let (name, text) = item.split_once('=').expect("filtered");
        let i = geometry::feature_index(model, name.trim())
            .with_context(|| format!("--radius {item:?}"))?;
        radius[i] = positive(item, text)?;
    }
    Ok(radius)
}

pub fn run(args: &ExplainPointArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    let point = geometry::point_with(&model, &args.at)?;
    let names = model.feature_names();
    let n = net.in_dim();
    let radius = radii(&model, &args.radius)?;
    let at: Vec<String> = names
        .iter()
        .zip(&point)
        .map(|(f, v)| format!("{f}={}", fmt(*v)))
        .collect();
    // Checked here, by name, before the library's search: f64 cannot tell 1e300 ± 4 from 1e300.
    for (i, f) in names.iter().enumerate() {
        let (x, r) = (point[i], radius[i]);
        if r < 1e-12 * x.abs() || !(x - r).is_finite() || !(x + r).is_finite() {
            bail!(
                "{f}={x:?}: too far from the data ({f}'s typical range is [{}]) for a kink search \
                 within ±{} in f64; use a value nearer the data, or --radius {f}=R with R at least \
                 {:e}",
                model.typical_range(i).map(fmt).join(", "),
                fmt(r),
                1e-12 * x.abs()
            );
        }
    }
    if let Some(y) = net.outputs(&point)?.iter().find(|y| !y.is_finite()) {
        bail!(
            "at {}: an output is {y}; the point is too far out for f64",
            at.join(", ")
        );
    }
    let e = explain_point(&net, &point, &radius)?;
    let outputs = geometry::output_names(&model, net.out_dim());
    let mut out = std::io::stdout().lock();
    if args.json {
        let by_name = |values: &[f64]| -> serde_json::Map<String, serde_json::Value> {
            names
                .iter()
                .zip(values)
                .map(|(f, v)| (f.clone(), (*v).into()))
                .collect()
        };
        let gradient: Vec<serde_json::Map<String, serde_json::Value>> =
            e.jacobian.chunks(n).map(by_name).collect();
        let kinks: serde_json::Map<String, serde_json::Value> = names
            .iter()
            .enumerate()
            .map(|(i, f)| {
                (
                    f.clone(),
                    serde_json::json!({"below": e.kink_below[i], "above": e.kink_above[i]}),
                )
            })
            .collect();
        let doc = serde_json::json!({
            "point": by_name(&e.point),
            "outputs": e.outputs,
            "gradient": gradient,
            "offset": e.offset,
            "pattern": e.pattern.to_string(),
            "active_per_layer": e.active.iter().map(|l| l.iter().filter(|&&a| a).count()).collect::<Vec<_>>(),
            "units_per_layer": e.active.iter().map(Vec::len).collect::<Vec<_>>(),
            "nearest_kinks": kinks,
            "search_radius": by_name(&radius),
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(out, "at {}:", at.join(", "))?;
    let single = outputs.len() == 1;
    for (name, y) in outputs.iter().zip(&e.outputs) {
        let name = if single { "output" } else { name };
        writeln!(out, "  {name} = {}", fmt(*y))?;
    }
    writeln!(out, "exact local slopes (this point's linear region):")?;
    for (i, f) in names.iter().enumerate() {
        let (x, r) = (point[i], radius[i]);
        let below = e.kink_below[i].map_or(format!("beyond {}", fmt(x - r)), fmt);
        let above = e.kink_above[i].map_or(format!("beyond {}", fmt(x + r)), fmt);
        let searched = match (e.kink_below[i], e.kink_above[i]) {
            (None, None) => format!("; no kink within ±{}", fmt(r)),
            (None, Some(_)) => format!("; no kink within -{}", fmt(r)),
            (Some(_), None) => format!("; no kink within +{}", fmt(r)),
            (Some(_), Some(_)) => String::new(),
        };
        if single {
            writeln!(
                out,
                "  ∂output/∂{f} = {}   (the slope holds for {f} from {below} to {above}{searched})",
                fmt(e.jacobian[i])
            )?;
        } else {
            let slopes: Vec<String> = outputs
                .iter()
                .enumerate()
                .map(|(o, name)| format!("{name} {}", fmt(e.jacobian[o * n + i])))
                .collect();
            writeln!(
                out,
                "  ∂/∂{f}: {}   (the slopes hold for {f} from {below} to {above}{searched})",
                slopes.join(", ")
            )?;
        }
    }
    for (l, layer) in e.active.iter().enumerate() {
        let on = layer.iter().filter(|&&a| a).count();
        writeln!(
            out,
            "hidden layer {}: {on} of {} units on",
            l + 1,
            layer.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
