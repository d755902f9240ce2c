//! `relulens explain-point`: a model explained at one point.

use std::io::Write;
use std::process::ExitCode;

use relulens::explain::explain_point;

use super::activation::fmt;
use super::geometry;
use crate::cli::ExplainPointArgs;

pub fn run(args: &ExplainPointArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    let point = geometry::point_with(&model, &args.at)?;
    let n = net.in_dim();
    // Search for kinks over twice each feature's typical width on either side.
    let radius: Vec<f64> = (0..n)
        .map(|i| {
            let [low, high] = model.typical_range(i);
            2.0 * (high - low).max(1e-9)
        })
        .collect();
    let e = explain_point(&net, &point, &radius)?;
    let names = model.feature_names();
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
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    let at: Vec<String> = names
        .iter()
        .zip(&point)
        .map(|(f, v)| format!("{f}={}", fmt(*v)))
        .collect();
    writeln!(out, "at {}:", at.join(", "))?;
    for (o, y) in e.outputs.iter().enumerate() {
        writeln!(out, "  output {o} = {}", fmt(*y))?;
    }
    writeln!(out, "exact local slopes (this point's linear region):")?;
    for (i, f) in names.iter().enumerate() {
        let below = e.kink_below[i].map_or("none nearby".into(), fmt);
        let above = e.kink_above[i].map_or("none nearby".into(), fmt);
        writeln!(
            out,
            "  ∂output/∂{f} = {}   (the slope holds for {f} from {below} to {above})",
            fmt(e.jacobian[i])
        )?;
    }
    for (l, layer) in e.active.iter().enumerate() {
        let on = layer.iter().filter(|&&a| a).count();
        writeln!(out, "layer {}: {on} of {} units on", l + 1, layer.len())?;
    }
    Ok(ExitCode::SUCCESS)
}
