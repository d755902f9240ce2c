//! `relulens effect`: the exact effect of one input as another sweeps its range.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use relulens::explain::effect_curve;

use super::activation::fmt;
use super::geometry;
use crate::cli::EffectArgs;

pub fn run(args: &EffectArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    let of = geometry::feature_index(&model, &args.of)?;
    let along = geometry::feature_index(&model, &args.along)?;
    if args.output >= net.out_dim() {
        bail!(
            "--output {}: the model has {} outputs",
            args.output,
            net.out_dim()
        );
    }
    let range = match &args.range {
        Some(text) => geometry::range("--range", text, text, "A:B (for example -3:5)", false)?,
        None => model.typical_range(along),
    };
    let point = geometry::point_with(&model, &args.at)?;
    let curve = effect_curve(&net, &point, of, along, range, args.output)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let pieces: Vec<serde_json::Value> = curve
            .pieces
            .iter()
            .map(|p| serde_json::json!({"from": p.from, "to": p.to, "effect": p.effect}))
            .collect();
        let doc = serde_json::json!({
            "of": args.of,
            "along": args.along,
            "output": args.output,
            "range": range,
            "pieces": pieces,
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "effect of {} on output {} (∂output/∂{}) as {} goes from {} to {}:",
        args.of,
        args.output,
        args.of,
        args.along,
        fmt(range[0]),
        fmt(range[1])
    )?;
    for p in &curve.pieces {
        writeln!(
            out,
            "  {} ∈ [{}, {}]: {}",
            args.along,
            fmt(p.from),
            fmt(p.to),
            fmt(p.effect)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
