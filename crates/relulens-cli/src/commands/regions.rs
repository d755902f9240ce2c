//! `relulens regions`: the exact linear regions of a model on a 2-D slice.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Instant;

use anyhow::{bail, Context};
use relulens::data::Task;
use relulens::explain::{
    decision_boundary, level_set, regions_on_slice_with_progress, Boundary, RegionOptions, Slice,
};
use relulens::model::Model;

use super::geometry::{self, Bounds};
use crate::cli::RegionsArgs;

/// The forms `--bounds` takes.
const BOUNDS_FORMS: &str = "X0:X1,Y0:Y1 or FEATURE=LOW:HIGH,FEATURE=LOW:HIGH";

/// The axes and the rectangle: from `--x`, `--y` and `--bounds`, whose named features are the axes
/// when `--x`/`--y` do not say otherwise; the rest default to the first features not taken, and
/// to the training ranges.
fn axes_and_bounds(
    model: &Model,
    args: &RegionsArgs,
) -> anyhow::Result<(usize, usize, [[f64; 2]; 2])> {
    let names = model.feature_names();
    let given = |name: &Option<String>| {
        name.as_deref()
            .map(|n| geometry::feature_index(model, n))
            .transpose()
    };
    let (mut x, mut y) = (given(&args.x)?, given(&args.y)?);
    let bounds = match &args.bounds {
        Some(text) => {
            let items: Vec<&str> = text.split(',').collect();
            Some(geometry::parse_bounds(model, &items, BOUNDS_FORMS, false)?)
        }
        None => None,
    };
    if let Some(Bounds::Named(named)) = &bounds {
        for &(i, _) in named {
            if x == Some(i) || y == Some(i) {
                continue;
            }
            if x.is_none() {
                x = Some(i);
            } else if y.is_none() {
                y = Some(i);
            } else {
                bail!(
                    "--bounds {:?}: {:?} is not an axis of the slice; hold it with --at",
                    args.bounds.as_deref().unwrap_or_default(),
                    names[i]
                );
            }
        }
    }
    let first_but = |other: Option<usize>| usize::from(other == Some(0));
    let x = x.unwrap_or_else(|| first_but(y));
    let y = y.unwrap_or_else(|| first_but(Some(x)));
    if x == y {
        bail!(
            "--x and --y both name {:?}: the slice needs two different features",
            names[x]
        );
    }
    let rectangle = match bounds {
        None => [model.typical_range(x), model.typical_range(y)],
        Some(Bounds::Positional(ranges)) => match ranges[..] {
            [rx, ry] => [rx, ry],
            _ => bail!(
                "--bounds {:?}: expected {BOUNDS_FORMS}",
                args.bounds.as_deref().unwrap_or_default()
            ),
        },
        Some(Bounds::Named(named)) => {
            let of = |axis: usize| {
                named
                    .iter()
                    .find(|(i, _)| *i == axis)
                    .map_or_else(|| model.typical_range(axis), |(_, r)| *r)
            };
            [of(x), of(y)]
        }
    };
    Ok((x, y, rectangle))
}

pub fn run(args: &RegionsArgs) -> anyhow::Result<ExitCode> {
    let (model, net) = geometry::load(&args.model)?;
    if net.in_dim() < 2 {
        bail!("the model has one input: use `relulens kinks` for its exact pieces");
    }
    if let Some(level) = args.level.filter(|l| !l.is_finite()) {
        bail!("--level {level}: the level must be a finite number");
    }
    let (x, y, bounds) = axes_and_bounds(&model, args)?;
    let at = geometry::point_with(&model, &args.at)?;
    let slice = Slice::features(&at, x, y, bounds).with_context(|| match &args.bounds {
        Some(text) => format!("--bounds {text:?}"),
        None => format!(
            "the training ranges of {} and {}",
            model.feature_names()[x],
            model.feature_names()[y]
        ),
    })?;

    let bar = if args.quiet || !std::io::stderr().is_terminal() {
        indicatif::ProgressBar::hidden()
    } else {
        indicatif::ProgressBar::new(0)
    };
    bar.set_style(
        indicatif::ProgressStyle::with_template("{prefix} [{bar:30}] {msg}")
            .expect("a valid template")
            .progress_chars("=> "),
    );
    let start = Instant::now();
    let regions = regions_on_slice_with_progress(
        &net,
        &slice,
        &RegionOptions {
            max_regions: args.max_regions,
        },
        &mut |p| {
            bar.set_length(p.faces as u64);
            bar.set_position(p.faces_done as u64);
            bar.set_prefix(format!("layer {}/{}", p.layer + 1, p.layers));
            bar.set_message(format!("{} regions", p.regions));
        },
    )?;
    let boundary: Option<Boundary> = match (model.info().task, args.level) {
        (_, Some(level)) => Some(level_set(&regions, 0, level)?),
        (Some(Task::Regression), None) => None,
        _ => Some(decision_boundary(&regions)),
    };
    bar.finish_and_clear();
    let seconds = start.elapsed().as_secs_f64();
    let names = model.feature_names();
    let fixed: serde_json::Map<String, serde_json::Value> = names
        .iter()
        .enumerate()
        .filter(|&(i, _)| i != x && i != y)
        .map(|(i, f)| (f.clone(), at[i].into()))
        .collect();

    if let Some(path) = &args.out {
        let full: Vec<serde_json::Value> = regions
            .regions
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let jacobian = regions.jacobian(&net, i);
                let jacobian: Vec<&[f64]> = jacobian.chunks(net.in_dim()).collect();
                serde_json::json!({
                    "vertices": &r.vertices[..],
                    "pattern": r.pattern.to_string(),
                    "gradient": &r.gradient[..],
                    "value_at_centroid": &r.value_at_centroid[..],
                    "jacobian": jacobian,
                    "area": r.area,
                    "centroid": r.centroid,
                })
            })
            .collect();
        let doc = serde_json::json!({
            "x": names[x],
            "y": names[y],
            "bounds": bounds,
            "at": fixed,
            "count": regions.count(),
            "regions": full,
            "adjacency": regions.adjacency(),
            "boundary": boundary.as_ref().map(|b| &b.polylines),
        });
        relulens::io::write_atomic(path, serde_json::to_string(&doc)?.as_bytes())?;
    }

    let mut out = std::io::stdout().lock();
    if args.json {
        let doc = serde_json::json!({
            "count": regions.count(),
            "boundary_segments": boundary.as_ref().map(|b| b.segments),
            "boundary_polylines": boundary.as_ref().map(|b| b.polylines.len()),
            "adjacent_pairs": regions.adjacency().len(),
            "x": names[x],
            "y": names[y],
            "bounds": bounds,
            "at": fixed,
            "seconds": seconds,
            "out": args.out.as_ref().map(|p| p.display().to_string()),
        });
        serde_json::to_writer(&mut out, &doc)?;
        writeln!(out)?;
    } else {
        writeln!(
            out,
            "{} linear regions of {} on {} ∈ [{}, {}] × {} ∈ [{}, {}] ({:.3} s)",
            regions.count(),
            model.mlp(),
            names[x],
            bounds[0][0],
            bounds[0][1],
            names[y],
            bounds[1][0],
            bounds[1][1],
            seconds
        )?;
        if !fixed.is_empty() {
            let held: Vec<String> = fixed.iter().map(|(k, v)| format!("{k}={v}")).collect();
            writeln!(out, "other features held at {}", held.join(", "))?;
        }
        if let Some(b) = &boundary {
            writeln!(
                out,
                "decision boundary: {} segments in {} polylines",
                b.segments,
                b.polylines.len()
            )?;
        }
        if let Some(path) = &args.out {
            writeln!(out, "every region written to {}", path.display())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
