//! `relulens kinks`: every kink of a model along a segment.

use std::io::Write;
use std::process::ExitCode;

use anyhow::bail;
use relulens::explain::kinks_along;

use super::activation::fmt;
use super::geometry;
use crate::cli::KinksArgs;

pub fn run(args: &KinksArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    let n = net.in_dim();
    for (flag, v) in [("--from", &args.from), ("--to", &args.to)] {
        if v.len() != n {
            bail!(
                "{flag}: the model takes {n} inputs ({}), got {} values",
                model.feature_names().join(", "),
                v.len()
            );
        }
    }
    let kinks = kinks_along(&net, &args.from, &args.to)?;
    let mut out = std::io::stdout().lock();
    if args.json {
        let pieces: Vec<serde_json::Value> = kinks
            .pieces
            .iter()
            .map(|p| {
                let gradient: Vec<&[f64]> = p.jacobian.chunks(n).collect();
                serde_json::json!({
                    "t0": p.t0,
                    "t1": p.t1,
                    "pattern": p.pattern.to_string(),
                    "outputs_start": p.outputs_start,
                    "outputs_end": p.outputs_end,
                    "gradient": gradient,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "features": model.feature_names(),
            "from": args.from,
            "to": args.to,
            "kinks": kinks.kinks,
            "points": kinks.points(),
            "pieces": pieces,
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
        return Ok(ExitCode::SUCCESS);
    }
    writeln!(
        out,
        "{} kinks along the segment from ({}) to ({}):",
        kinks.kinks.len(),
        args.from
            .iter()
            .map(|v| fmt(*v))
            .collect::<Vec<_>>()
            .join(", "),
        args.to
            .iter()
            .map(|v| fmt(*v))
            .collect::<Vec<_>>()
            .join(", ")
    )?;
    let names = model.feature_names();
    let outputs = geometry::output_names(&model, net.out_dim());
    for (i, piece) in kinks.pieces.iter().enumerate() {
        let slopes = |o: usize| -> String {
            (0..n)
                .map(|j| format!("∂/∂{} {}", names[j], fmt(piece.jacobian[o * n + j])))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (t0, t1) = (fmt(piece.t0), fmt(piece.t1));
        let (start, end) = (&piece.outputs_start, &piece.outputs_end);
        if outputs.len() == 1 {
            writeln!(
                out,
                "piece {i}: t {t0}..{t1}, output {} → {}, slopes {}",
                fmt(start[0]),
                fmt(end[0]),
                slopes(0)
            )?;
        } else {
            // Every output on a line of its own, by class label where the model has them.
            writeln!(out, "piece {i}: t {t0}..{t1}")?;
            for (o, name) in outputs.iter().enumerate() {
                writeln!(
                    out,
                    "  {name} {} → {}, slopes {}",
                    fmt(start[o]),
                    fmt(end[o]),
                    slopes(o)
                )?;
            }
        }
        if i + 1 < kinks.pieces.len() {
            let at = kinks.point(piece.t1);
            let place: Vec<String> = names
                .iter()
                .zip(&at)
                .map(|(f, v)| format!("{f}={}", fmt(*v)))
                .collect();
            writeln!(
                out,
                "  kink at t = {} ({})",
                fmt(piece.t1),
                place.join(", ")
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
