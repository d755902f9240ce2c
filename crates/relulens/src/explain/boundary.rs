//! Decision boundaries and level sets, exactly: the polylines where a binary logit is 0, where the
//! arg-max class changes, or where a regression output equals a value.
//!
//! Inside each linear region the outputs are affine, so each region is cut (with the same watertight
//! machinery as the regions themselves) by the zero sets of `output − level`, or of every pairwise
//! difference of outputs for several classes. Each resulting piece has one label (the side, or the
//! arg-max class); the boundary is every edge between pieces with different labels, chained into
//! polylines.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{decision_boundary, regions_on_slice, PiecewiseLinear, RegionOptions, Slice};
//! use relulens::nn::{Dense, Mlp};
//! // logit = relu(x) + relu(-x) − y: zero on the curve y = |x|, a polyline with one bend.
//! let mlp = Mlp::new(
//!     vec![
//!         Dense::new(vec![1.0, 0.0, -1.0, 0.0, 0.0, 1.0], vec![0.0, 0.0, 0.0])?,
//!         Dense::new(vec![1.0, 1.0, -1.0], vec![0.0])?,
//!     ],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-0.5, 2.0]])?;
//! let regions = regions_on_slice(&net, &slice, &RegionOptions::default())?;
//! let boundary = decision_boundary(&regions);
//! assert_eq!(boundary.polylines.len(), 1);
//! assert_eq!(boundary.polylines[0].len(), 3); // (-1, 1), (0, 0), (1, 1)
//! # Ok::<(), relulens::Error>(())
//! ```

use std::collections::HashMap;

use super::mesh::{Crossings, Cut, CutBuffers, Line, Mesh};
use super::regions::{Regions, RELATIVE_TOLERANCE};
use crate::error::{Error, Result};

/// Polylines in slice coordinates.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Boundary {
    /// Each polyline's points in order; a closed one repeats its first point at the end.
    pub polylines: Vec<Vec<[f64; 2]>>,
    /// The number of straight segments in all.
    pub segments: usize,
}

/// The decision boundary: where the logit is 0 for one output, where the arg-max changes for more.
pub fn decision_boundary(regions: &Regions) -> Boundary {
    if regions.mesh.width == 1 {
        split_and_trace(regions, &[], Some((0, 0.0)))
    } else {
        let n = regions.mesh.width;
        let pairs: Vec<(usize, usize)> = (0..n)
            .flat_map(|i| (i + 1..n).map(move |j| (i, j)))
            .collect();
        split_and_trace(regions, &pairs, None)
    }
}

/// Where output `output` equals `level` (a regression's level set; the logit's 0 for a binary
/// classifier).
///
/// # Errors
///
/// [`Error::InvalidGeometry`] when `level` is NaN or infinite (no finite output equals it, so
/// there would be silently nothing to trace) or `output` is not one of the network's outputs.
pub fn level_set(regions: &Regions, output: usize, level: f64) -> Result<Boundary> {
    let invalid = |reason: String| {
        Err(Error::InvalidGeometry {
            op: "level_set",
            reason,
        })
    };
    if !level.is_finite() {
        return invalid(format!("the level must be a finite number, got {level}"));
    }
    if output >= regions.mesh.width {
        return invalid(format!(
            "output {output}: the network has {} outputs",
            regions.mesh.width
        ));
    }
    Ok(split_and_trace(regions, &[], Some((output, level))))
}

/// Cuts every region by the given columns and traces the edges between differently labelled pieces.
fn split_and_trace(
    regions: &Regions,
    pairs: &[(usize, usize)],
    level: Option<(usize, f64)>,
) -> Boundary {
    let outputs = regions.mesh.width;
    // Columns: the outputs, then one per cut (output − level, or a pairwise difference).
    let cuts = if level.is_some() { 1 } else { pairs.len() };
    let width = outputs + cuts;
    let mut mesh = Mesh {
        coords: regions.mesh.coords.clone(),
        values: Vec::with_capacity(regions.mesh.coords.len() * width),
        width,
    };
    for v in 0..regions.mesh.coords.len() as u32 {
        let row = regions.mesh.row(v);
        mesh.values.extend_from_slice(row);
        match level {
            Some((o, value)) => mesh.values.push(row[o] - value),
            None => mesh
                .values
                .extend(pairs.iter().map(|&(i, j)| row[i] - row[j])),
        }
    }
    let scale = mesh.values.iter().fold(1.0f64, |m, v| m.max(v.abs()));
    let tol = RELATIVE_TOLERANCE * scale;
    let mut made = Crossings::default();
    let mut buffers = CutBuffers::default();
    let mut pieces: Vec<Vec<u32>> = Vec::new();
    for cycle in regions.cycles.iter() {
        let mut work = vec![cycle.to_vec()];
        for c in 0..cuts {
            let line = Line {
                column: outputs + c,
                threshold: 0.0,
                tol,
                key: c as u32,
            };
            let len = work.len();
            for w in 0..len {
                if mesh.cut(&work[w], line, &mut made, &mut buffers) == Cut::Two {
                    work[w] = buffers.above.clone();
                    work.push(buffers.below.clone());
                }
            }
        }
        pieces.extend(work);
    }
    // Label each piece at its vertices' mean, where the affine outputs take their mean.
    let label = |cycle: &[u32]| -> usize {
        let n = cycle.len() as f64;
        let mean = |col: usize| cycle.iter().map(|&v| mesh.value(v, col)).sum::<f64>() / n;
        match level {
            Some(_) => usize::from(mean(outputs) > 0.0),
            None => {
                (0..outputs)
                    .map(|o| (o, mean(o)))
                    .fold((0, f64::NEG_INFINITY), |best, (o, m)| {
                        if m > best.1 {
                            (o, m)
                        } else {
                            best
                        }
                    })
                    .0
            }
        }
    };
    let mut edges: HashMap<(u32, u32), usize> = HashMap::new();
    let mut boundary_edges: Vec<(u32, u32)> = Vec::new();
    for cycle in &pieces {
        let l = label(cycle);
        let n = cycle.len();
        for i in 0..n {
            let (a, b) = (cycle[i], cycle[(i + 1) % n]);
            let key = (a.min(b), a.max(b));
            if let Some(other) = edges.insert(key, l) {
                if other != l {
                    boundary_edges.push(key);
                }
            }
        }
    }
    trace(&mesh, &boundary_edges)
}

/// Chains edges into polylines: open ones from their ends first, then closed loops.
fn trace(mesh: &Mesh, edges: &[(u32, u32)]) -> Boundary {
    let mut neighbours: HashMap<u32, Vec<u32>> = HashMap::new();
    for &(a, b) in edges {
        neighbours.entry(a).or_default().push(b);
        neighbours.entry(b).or_default().push(a);
    }
    let mut used: std::collections::HashSet<(u32, u32)> = std::collections::HashSet::new();
    let mut polylines = Vec::new();
    let mut starts: Vec<u32> = neighbours.keys().copied().collect();
    starts.sort_unstable();
    // Ends and junctions (degree ≠ 2) first, so open polylines are walked from an end.
    starts.sort_by_key(|v| neighbours[v].len() == 2);
    for &start in &starts {
        for &first in &neighbours[&start] {
            if used.contains(&(start.min(first), start.max(first))) {
                continue;
            }
            let mut line = vec![start, first];
            used.insert((start.min(first), start.max(first)));
            let (mut prev, mut at) = (start, first);
            while neighbours[&at].len() == 2 && at != start {
                let next = if neighbours[&at][0] == prev {
                    neighbours[&at][1]
                } else {
                    neighbours[&at][0]
                };
                if !used.insert((at.min(next), at.max(next))) {
                    break;
                }
                line.push(next);
                prev = at;
                at = next;
            }
            polylines.push(
                line.iter()
                    .map(|&v| mesh.coords[v as usize])
                    .collect::<Vec<_>>(),
            );
        }
    }
    Boundary {
        segments: edges.len(),
        polylines,
    }
}
