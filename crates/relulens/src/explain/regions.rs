//! Linear regions on a 2-D slice: the exact partition of a rectangle into the convex polygons on
//! which the network is affine.
//!
//! The rectangle starts as one face. Layer by layer, every vertex holds the layer's pre-activations
//! (computed exactly: by one matrix product from the previous layer's activations, or, for vertices
//! made during the layer, by interpolation along an edge, where the layer is affine). Each face is
//! cut by each unit's kink lines in turn (see `mesh.rs`), and each resulting face records, for that
//! switch, which side it lies on. After the last layer each face has one activation pattern, so the
//! network is affine on it; its outputs at the vertices give the affine map.
//!
//! Tolerance, two cut-offs and nothing else:
//!
//! - *On a kink.* While layer l is cut, a vertex whose pre-activation lies within
//!   `tol = 1e-10 × max(1, m)` of a kink counts as lying on it (on neither side: no crossing is
//!   made on an edge that ends at it), where m is the largest |pre-activation| of layer l over the
//!   vertices of the partition that layer l starts from. A unit's kink line is cut into a face only
//!   if some vertex of the face lies above `kink + tol` and some below `kink − tol`. So features
//!   thinner than `tol` in value are merged into a neighbour instead of becoming slivers.
//! - *Area.* After the last layer, a face whose area is at most `1e-15 ×` the rectangle's area is
//!   dropped: that covers faces of exactly zero area (collinear vertices, left by cuts through
//!   vertices) and slivers between nearly coincident kink lines whose width is at rounding level.
//!   Nothing larger is dropped, however thin.
//!
//! [`verify_regions`](super::verify_regions) measures what these cut-offs leave out.
//!
//! The regions and their adjacency are built on two threads from 8192 regions on; the result is
//! the same, in the same order, whatever the number of threads.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{regions_on_slice, PiecewiseLinear, RegionOptions, Slice};
//! use relulens::nn::{Dense, Mlp};
//! // The article's node relu(2A + 3B): two regions on any box its line crosses.
//! let mlp = Mlp::new(
//!     vec![Dense::new(vec![2.0, 3.0], vec![0.0])?, Dense::new(vec![1.0], vec![0.0])?],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-1.0, 1.0]])?;
//! let regions = regions_on_slice(&net, &slice, &RegionOptions::default())?;
//! assert_eq!(regions.count(), 2);
//! let off = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-100.0, -90.0]])?;
//! assert_eq!(regions_on_slice(&net, &off, &RegionOptions::default())?.count(), 1);
//! # Ok::<(), relulens::Error>(())
//! ```

use std::collections::HashMap;
use std::hash::BuildHasherDefault;
use std::sync::OnceLock;

use rustc_hash::FxHasher;

use super::mesh::{Crossings, Cut, CutBuffers, Line, Mesh};
use super::network::{ActivationPattern, Layer, PiecewiseLinear};
use super::slice::Slice;
use crate::error::{Error, Result};
use crate::nn::matmul::{matmul, View};

/// From this many regions on, the regions and their adjacency are built on two threads (below it,
/// handing work to another thread costs more than it saves, more so when other jobs keep the
/// second core busy).
const PARALLEL_REGIONS: usize = 8192;

/// Faces whose area is at most this fraction of the rectangle's are dropped (module docs).
const DROPPED_AREA: f64 = 1e-15;

/// A vertex within this fraction of its layer's value scale from a kink lies on it (module docs).
pub(crate) const RELATIVE_TOLERANCE: f64 = 1e-10;

/// Settings of a region enumeration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionOptions {
    /// Stop with [`Error::RegionBudget`] past this many regions (default 1,000,000).
    pub max_regions: usize,
}

impl Default for RegionOptions {
    fn default() -> Self {
        RegionOptions {
            max_regions: 1_000_000,
        }
    }
}

/// One linear region: a convex polygon of the slice on which the network is affine.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    /// The vertices in slice coordinates (u, v), counter-clockwise.
    pub vertices: Vec<[f64; 2]>,
    /// The activation pattern shared by every point inside.
    pub pattern: ActivationPattern,
    /// Per output, (∂/∂u, ∂/∂v): the gradient in slice coordinates.
    pub gradient: Vec<[f64; 2]>,
    /// Per output, its value at the centroid; with `gradient` it gives the affine map.
    pub value_at_centroid: Vec<f64>,
    /// The area in slice coordinates.
    pub area: f64,
    /// The centroid in slice coordinates.
    pub centroid: [f64; 2],
}

impl Region {
    /// The outputs at slice coordinates (u, v), by the region's affine map.
    pub fn outputs_at(&self, u: f64, v: f64) -> Vec<f64> {
        let (du, dv) = (u - self.centroid[0], v - self.centroid[1]);
        self.value_at_centroid
            .iter()
            .zip(&self.gradient)
            .map(|(c, g)| c + g[0] * du + g[1] * dv)
            .collect()
    }

    /// Whether (u, v) lies inside or on the polygon, up to `tol` in distance.
    pub fn contains(&self, u: f64, v: f64, tol: f64) -> bool {
        let n = self.vertices.len();
        (0..n).all(|i| {
            let (p, q) = (self.vertices[i], self.vertices[(i + 1) % n]);
            let (ex, ey) = (q[0] - p[0], q[1] - p[1]);
            let len = (ex * ex + ey * ey).sqrt();
            len == 0.0 || (ex * (v - p[1]) - ey * (u - p[0])) / len >= -tol
        })
    }
}

/// The partition of a slice into linear regions.
#[derive(Debug, Clone)]
pub struct Regions {
    /// The slice.
    pub slice: Slice,
    /// The regions.
    pub regions: Vec<Region>,
    /// Pairs of regions that share an edge, each pair once, lower index first.
    pub adjacency: Vec<(usize, usize)>,
    /// The final partition, kept for boundaries: vertex coordinates and outputs.
    pub(crate) mesh: Mesh,
    /// Each region's vertex cycle in `mesh`.
    pub(crate) cycles: Cycles,
    /// The index behind [`Regions::find`], built on the first call (most callers never look a
    /// pattern up, and hashing every pattern was a tenth of a small enumeration's time).
    by_pattern: OnceLock<HashMap<ActivationPattern, usize, BuildHasherDefault<FxHasher>>>,
}

impl Regions {
    /// The number of regions.
    pub fn count(&self) -> usize {
        self.regions.len()
    }

    /// The region with this activation pattern, if the slice has one (each pattern's region is
    /// convex, so there is at most one).
    pub fn find(&self, pattern: &ActivationPattern) -> Option<usize> {
        let index = self.by_pattern.get_or_init(|| {
            let mut index =
                HashMap::with_capacity_and_hasher(self.regions.len(), Default::default());
            for (i, region) in self.regions.iter().enumerate() {
                index.insert(region.pattern.clone(), i);
            }
            index
        });
        index.get(pattern).copied()
    }

    /// The region containing slice point (u, v), by its activation pattern.
    pub fn locate(&self, net: &PiecewiseLinear, u: f64, v: f64) -> Option<usize> {
        self.find(&net.pattern_at(&self.slice.point(u, v)))
    }

    /// The full-input Jacobian of region `i`, `[out_dim, in_dim]` (computed on demand: it costs a
    /// product through every layer).
    pub fn jacobian(&self, net: &PiecewiseLinear, i: usize) -> Vec<f64> {
        net.jacobian(&self.regions[i].pattern)
    }
}

/// Vertex cycles stored back to back in one buffer (a `Vec` per face cost an allocation for every
/// cut, and the enumeration makes one cut per region).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cycles {
    vertices: Vec<u32>,
    /// Where each cycle ends in `vertices`.
    ends: Vec<usize>,
}

impl Cycles {
    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(crate) fn get(&self, i: usize) -> &[u32] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.vertices[start..self.ends[i]]
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &[u32]> + '_ {
        (0..self.len()).map(|i| self.get(i))
    }

    pub(crate) fn push(&mut self, cycle: &[u32]) {
        self.vertices.extend_from_slice(cycle);
        self.ends.push(self.vertices.len());
    }

    fn clear(&mut self) {
        self.vertices.clear();
        self.ends.clear();
    }
}

/// Faces in flight: their cycles and their activation patterns, `words` bits-words each.
#[derive(Debug, Default)]
struct Faces {
    cycles: Cycles,
    bits: Vec<u64>,
    words: usize,
}

impl Faces {
    fn len(&self) -> usize {
        self.cycles.len()
    }

    fn bits(&self, i: usize) -> &[u64] {
        &self.bits[i * self.words..(i + 1) * self.words]
    }

    fn push(&mut self, cycle: &[u32], bits: &[u64]) {
        self.cycles.push(cycle);
        self.bits.extend_from_slice(bits);
    }

    fn clear(&mut self) {
        self.cycles.clear();
        self.bits.clear();
    }
}

fn set_bit(words: &mut [u64], i: usize, on: bool) {
    let mask = 1u64 << (i % 64);
    if on {
        words[i / 64] |= mask;
    } else {
        words[i / 64] &= !mask;
    }
}

/// Writes the low `count` (1 to 64) bits of `value` into `words` from bit `start` on.
fn write_bits(words: &mut [u64], start: usize, count: usize, value: u64) {
    let mask = if count == 64 { !0 } else { (1u64 << count) - 1 };
    let (w, offset) = (start / 64, start % 64);
    words[w] = words[w] & !(mask << offset) | (value & mask) << offset;
    if offset + count > 64 {
        let shift = 64 - offset;
        words[w + 1] = words[w + 1] & !(mask >> shift) | (value & mask) >> shift;
    }
}

/// The switches whose kink line crosses the face (from `split.low`/`split.high`, the units' ranges
/// over it) into `split.straddling`; every other switch's bit set to the side the face lies on.
fn straddling(layer: &Layer, tol: f64, split: &mut Splitter) {
    let kinks = &layer.pieces.kinks;
    for k in 0..layer.units {
        let (low, high) = (split.low[k], split.high[k]);
        for (j, &kink) in kinks.iter().enumerate() {
            let switch = layer.first_switch + k * kinks.len() + j;
            if high - kink > tol && low - kink < -tol {
                split.straddling.push((k, kink, switch));
            } else {
                set_bit(&mut split.bits, switch, high - kink > tol);
            }
        }
    }
}

/// [`straddling`] for a layer whose activation has one kink (so unit k is switch
/// `first_switch + k`), 64 units at a time and without branches: the same decisions as the general
/// loop, which was the largest single cost of a layer. Each unit's bit is set to "above"; a
/// straddling unit's bit is overwritten in every piece when its line is cut.
fn straddling_one_kink(layer: &Layer, kink: f64, tol: f64, split: &mut Splitter) {
    for start in (0..layer.units).step_by(64) {
        let end = (start + 64).min(layer.units);
        let (mut above, mut straddle) = (0u64, 0u64);
        for (i, (&low, &high)) in split.low[start..end]
            .iter()
            .zip(&split.high[start..end])
            .enumerate()
        {
            let is_above = high - kink > tol;
            let is_below = low - kink < -tol;
            above |= u64::from(is_above) << i;
            straddle |= u64::from(is_above & is_below) << i;
        }
        write_bits(
            &mut split.bits,
            layer.first_switch + start,
            end - start,
            above,
        );
        while straddle != 0 {
            let k = start + straddle.trailing_zeros() as usize;
            split.straddling.push((k, kink, layer.first_switch + k));
            straddle &= straddle - 1;
        }
    }
}

/// The largest |value| (0 for none), eight lanes at a time so that it vectorises: the maximum
/// does not depend on the order, so this is `fold(0, max)` exactly.
fn largest_magnitude(values: &[f64]) -> f64 {
    let mut lanes = [0.0f64; 8];
    let chunks = values.chunks_exact(8);
    let rest = chunks.remainder();
    for chunk in chunks {
        for (lane, &v) in lanes.iter_mut().zip(chunk) {
            let a = v.abs();
            *lane = if a > *lane { a } else { *lane };
        }
    }
    let lanes = lanes.iter().fold(0.0, |m: f64, &a| m.max(a));
    rest.iter().fold(lanes, |m, v| m.max(v.abs()))
}

/// The layer's pre-activations at every vertex, from the previous layer's activations, into `out`
/// (a buffer kept across layers, so its pages are touched once).
fn next_values(activations: &[f64], vertices: usize, layer: &Layer, out: &mut Vec<f64>) {
    out.clear();
    // Room for the vertices the layer's cuts will add, so that growing does not copy the rows.
    out.reserve(2 * vertices * layer.units);
    for _ in 0..vertices {
        out.extend_from_slice(&layer.bias);
    }
    matmul(
        out,
        vertices,
        layer.units,
        true,
        View::row_major(activations, vertices, layer.in_dim),
        View::transposed(&layer.weight, layer.in_dim, layer.units),
    );
}

/// Scratch space for splitting one face by one layer, reused from face to face.
#[derive(Debug, Default)]
struct Splitter {
    low: Vec<f64>,
    high: Vec<f64>,
    /// (unit, kink, switch) of the switches whose kink line crosses the face.
    straddling: Vec<(usize, f64, usize)>,
    /// The pieces cut from the face so far (the first `live` entries; the rest keep their
    /// capacity for later faces).
    pieces: Vec<Vec<u32>>,
    /// The pieces' patterns, `words` words each.
    bits: Vec<u64>,
    buffers: CutBuffers,
}

/// How far an enumeration has come, for progress bars.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegionProgress {
    /// The layer being cut, from 0.
    pub layer: usize,
    /// The number of layers.
    pub layers: usize,
    /// Faces of this layer's starting partition processed so far.
    pub faces_done: usize,
    /// Faces in this layer's starting partition.
    pub faces: usize,
    /// Regions so far.
    pub regions: usize,
}

/// The exact partition of `slice`'s rectangle into the linear regions of `net`.
///
/// # Errors
///
/// [`Error::ShapeMismatch`] when the slice's width is not the network's input width, and
/// [`Error::RegionBudget`] past `options.max_regions` regions.
pub fn regions_on_slice(
    net: &PiecewiseLinear,
    slice: &Slice,
    options: &RegionOptions,
) -> Result<Regions> {
    regions_on_slice_with_progress(net, slice, options, &mut |_| {})
}

/// As [`regions_on_slice`], reporting progress every few thousand faces and at each layer's end.
///
/// # Errors
///
/// As [`regions_on_slice`].
pub fn regions_on_slice_with_progress(
    net: &PiecewiseLinear,
    slice: &Slice,
    options: &RegionOptions,
    progress: &mut dyn FnMut(RegionProgress),
) -> Result<Regions> {
    if slice.origin.len() != net.in_dim() {
        return Err(Error::ShapeMismatch {
            op: "regions",
            what: "slice".into(),
            expected: format!("{} input coordinates", net.in_dim()),
            got: format!("{}", slice.origin.len()),
        });
    }
    let [[u0, u1], [v0, v1]] = slice.bounds;
    let corners = [[u0, v0], [u1, v0], [u1, v1], [u0, v1]];
    let mut mesh = Mesh {
        width: net.in_dim(),
        ..Mesh::default()
    };
    let first: Vec<u32> = corners
        .iter()
        .map(|c| mesh.push(*c, &slice.point(c[0], c[1])))
        .collect();
    let words = net.switch_count().div_ceil(64);
    let mut faces = Faces {
        words,
        ..Faces::default()
    };
    faces.push(&first, &vec![0; words]);
    let mut next = Faces {
        words,
        ..Faces::default()
    };
    let mut spare = Vec::new();
    let mut made = Crossings::default();
    let mut split = Splitter::default();

    for (l, layer) in net.layers.iter().enumerate() {
        let vertices = mesh.coords.len();
        next_values(&mesh.values, vertices, layer, &mut spare);
        std::mem::swap(&mut mesh.values, &mut spare);
        mesh.width = layer.units;
        let kinks = &layer.pieces.kinks;
        if !kinks.is_empty() {
            let scale = largest_magnitude(&mesh.values).max(1.0);
            let tol = RELATIVE_TOLERANCE * scale;
            made.clear();
            next.clear();
            let mut total = faces.len();
            split.low.resize(layer.units, 0.0);
            split.high.resize(layer.units, 0.0);
            let faces_in_layer = faces.len();
            for face in 0..faces_in_layer {
                if face % 4096 == 0 {
                    progress(RegionProgress {
                        layer: l,
                        layers: net.layers.len(),
                        faces_done: face,
                        faces: faces_in_layer,
                        regions: total,
                    });
                }
                let cycle = faces.cycles.get(face);
                // Each unit's range over the face bounds its range over every piece cut from it
                // (the pieces are convex subsets and the unit is affine here): units whose kink
                // lies outside the range are decided once, and only the rest are cut.
                mesh.value_range(cycle, &mut split.low, &mut split.high);
                split.bits.clear();
                split.bits.extend_from_slice(faces.bits(face));
                split.straddling.clear();
                if let &[kink] = kinks.as_slice() {
                    straddling_one_kink(layer, kink, tol, &mut split);
                } else {
                    straddling(layer, tol, &mut split);
                }
                if split.pieces.is_empty() {
                    split.pieces.push(Vec::new());
                }
                split.pieces[0].clear();
                split.pieces[0].extend_from_slice(cycle);
                let mut live = 1;
                for &(k, kink, switch) in &split.straddling {
                    let line = Line {
                        column: k,
                        threshold: kink,
                        tol,
                        key: switch as u32,
                    };
                    // Pieces cut off by this switch are pushed past `len`: already decided.
                    let len = live;
                    for w in 0..len {
                        let piece_bits = w * words..(w + 1) * words;
                        // The sign test `Mesh::cut` starts with, here, without the call: most
                        // pieces lie on one side of most lines.
                        let column = &mesh.values[k..];
                        let (mut above, mut below) = (false, false);
                        for &v in &split.pieces[w] {
                            let z = column[v as usize * layer.units] - kink;
                            above |= z > tol;
                            below |= z < -tol;
                        }
                        if !(above && below) {
                            set_bit(&mut split.bits[piece_bits], switch, above);
                            continue;
                        }
                        match mesh.cut(&split.pieces[w], line, &mut made, &mut split.buffers) {
                            Cut::Whole(above) => {
                                set_bit(&mut split.bits[piece_bits], switch, above);
                            }
                            Cut::Two => {
                                total += 1;
                                if total > options.max_regions {
                                    return Err(Error::RegionBudget {
                                        max_regions: options.max_regions,
                                        layer: l,
                                    });
                                }
                                split.bits.extend_from_within(piece_bits.clone());
                                set_bit(&mut split.bits[live * words..], switch, false);
                                set_bit(&mut split.bits[piece_bits], switch, true);
                                std::mem::swap(&mut split.pieces[w], &mut split.buffers.above);
                                if split.pieces.len() == live {
                                    split.pieces.push(Vec::new());
                                }
                                std::mem::swap(&mut split.pieces[live], &mut split.buffers.below);
                                live += 1;
                            }
                        }
                    }
                }
                for w in 0..live {
                    next.push(&split.pieces[w], &split.bits[w * words..(w + 1) * words]);
                }
            }
            std::mem::swap(&mut faces, &mut next);
            progress(RegionProgress {
                layer: l,
                layers: net.layers.len(),
                faces_done: faces_in_layer,
                faces: faces_in_layer,
                regions: total,
            });
        }
        // The layer's activations, for the next layer (or as the outputs after the last).
        layer.activate_all(&mut mesh.values);
    }
    // The last layer's buffer may be one that held a wide layer: keep only what the outputs use.
    mesh.values.shrink_to_fit();
    drop(spare);

    let rect_area = slice.area();
    let out_dim = net.out_dim();
    // The area cut-off of the module documentation.
    let mut kept = Vec::with_capacity(faces.len());
    let mut cycles = Cycles {
        vertices: Vec::with_capacity(faces.cycles.vertices.len()),
        ends: Vec::with_capacity(faces.len()),
    };
    for face in 0..faces.len() {
        let cycle = faces.cycles.get(face);
        let (area, centroid) = mesh.area_centroid(cycle);
        if area > DROPPED_AREA * rect_area {
            kept.push((face, area, centroid));
            cycles.push(cycle);
        }
    }
    let build = || -> Vec<Region> {
        kept.iter()
            .map(|&(face, area, centroid)| {
                let cycle = faces.cycles.get(face);
                let (value_at_centroid, gradient) = fit_affine(&mesh, cycle, centroid, out_dim);
                Region {
                    vertices: cycle.iter().map(|&v| mesh.coords[v as usize]).collect(),
                    pattern: ActivationPattern::from_words(net, faces.bits(face)),
                    gradient,
                    value_at_centroid,
                    area,
                    centroid,
                }
            })
            .collect()
    };
    let neighbours = || adjacency(&cycles, mesh.coords.len());
    // Two independent jobs: on two threads when there is enough of each to pay for the hand-off.
    let (regions, adjacency) = if kept.len() >= PARALLEL_REGIONS {
        rayon::join(build, neighbours)
    } else {
        (build(), neighbours())
    };
    Ok(Regions {
        slice: slice.clone(),
        regions,
        adjacency,
        mesh,
        cycles,
        by_pattern: OnceLock::new(),
    })
}

/// The affine map of each output over a face, by least squares on its vertices (exact up to
/// rounding, since the outputs are affine there).
fn fit_affine(
    mesh: &Mesh,
    cycle: &[u32],
    centroid: [f64; 2],
    out_dim: usize,
) -> (Vec<f64>, Vec<[f64; 2]>) {
    let n = cycle.len() as f64;
    let point = |v: u32| mesh.coords[v as usize];
    // Centre on the vertices' mean, where the least-squares plane passes through their mean value.
    let mean = [
        cycle.iter().map(|&v| point(v)[0]).sum::<f64>() / n,
        cycle.iter().map(|&v| point(v)[1]).sum::<f64>() / n,
    ];
    let (mut suu, mut suv, mut svv) = (0.0, 0.0, 0.0);
    for &v in cycle {
        let (du, dv) = (point(v)[0] - mean[0], point(v)[1] - mean[1]);
        suu += du * du;
        suv += du * dv;
        svv += dv * dv;
    }
    let det = suu * svv - suv * suv;
    let mut values = Vec::with_capacity(out_dim);
    let mut gradients = Vec::with_capacity(out_dim);
    for o in 0..out_dim {
        let y_mean = cycle.iter().map(|&v| mesh.value(v, o)).sum::<f64>() / n;
        let (mut su, mut sv) = (0.0, 0.0);
        for &v in cycle {
            let y = mesh.value(v, o) - y_mean;
            su += (point(v)[0] - mean[0]) * y;
            sv += (point(v)[1] - mean[1]) * y;
        }
        let g = if det > 0.0 {
            [(svv * su - suv * sv) / det, (suu * sv - suv * su) / det]
        } else {
            [0.0, 0.0]
        };
        values.push(y_mean + g[0] * (centroid[0] - mean[0]) + g[1] * (centroid[1] - mean[1]));
        gradients.push(g);
    }
    (values, gradients)
}

/// A cycle's edges, (last, first) first.
fn edges(cycle: &[u32]) -> impl Iterator<Item = (u32, u32)> + '_ {
    let last = cycle[cycle.len() - 1];
    std::iter::once(last)
        .chain(cycle.iter().copied())
        .zip(cycle.iter().copied())
}

/// Regions that share an edge.
///
/// Each edge is filed under its lower vertex by a counting sort, so its sides meet in a bucket of a
/// few entries: no hashing. Within a bucket the entries keep the regions' order, and each side is
/// paired with the latest earlier side of the same edge (there are two in a watertight partition).
fn adjacency(cycles: &Cycles, vertices: usize) -> Vec<(usize, usize)> {
    let mut start = vec![0u32; vertices + 1];
    for cycle in cycles.iter() {
        for (a, b) in edges(cycle) {
            start[a.min(b) as usize + 1] += 1;
        }
    }
    for v in 0..vertices {
        start[v + 1] += start[v];
    }
    let mut fill = start.clone();
    // (higher vertex, region) per edge side.
    let mut sides = vec![(0u32, 0u32); start[vertices] as usize];
    for (r, cycle) in cycles.iter().enumerate() {
        for (a, b) in edges(cycle) {
            let low = a.min(b) as usize;
            sides[fill[low] as usize] = (a.max(b), r as u32);
            fill[low] += 1;
        }
    }
    // Pairs (lower region, higher region), filed under the lower by another counting sort, so
    // that only each region's handful of neighbours need sorting.
    let mut pairs: Vec<(u32, u32)> = Vec::with_capacity(sides.len() / 2);
    for v in 0..vertices {
        let bucket = &sides[start[v] as usize..start[v + 1] as usize];
        for (i, &(high, r)) in bucket.iter().enumerate() {
            if let Some(&(_, other)) = bucket[..i].iter().rev().find(|&&(h, _)| h == high) {
                if other != r {
                    pairs.push((other.min(r), other.max(r)));
                }
            }
        }
    }
    let regions = cycles.len();
    let mut first = vec![0u32; regions + 1];
    for &(a, _) in &pairs {
        first[a as usize + 1] += 1;
    }
    for r in 0..regions {
        first[r + 1] += first[r];
    }
    let mut neighbours = vec![0u32; pairs.len()];
    let mut fill = first.clone();
    for &(a, b) in &pairs {
        neighbours[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
    }
    let mut out = Vec::with_capacity(pairs.len());
    for r in 0..regions {
        let group = &mut neighbours[first[r] as usize..first[r + 1] as usize];
        group.sort_unstable();
        let mut previous = None;
        for &b in group.iter() {
            if previous != Some(b) {
                out.push((r, b as usize));
                previous = Some(b);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::nn::MlpConfig;

    /// A few thousand values of mixed sign and magnitude, from a seeded generator.
    fn values(n: usize, seed: u64) -> Vec<f64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 8.0
            })
            .collect()
    }

    #[test]
    fn the_vectorised_scale_is_the_plain_fold() {
        for n in [0, 1, 7, 8, 9, 63, 1000] {
            let v = values(n, n as u64);
            let plain = v.iter().fold(1.0f64, |m, x| m.max(x.abs()));
            assert_eq!(largest_magnitude(&v).max(1.0), plain, "{n} values");
        }
    }

    #[test]
    fn activating_in_place_is_activate_on_each_value() {
        for activation in [
            Activation::Relu,
            Activation::LeakyRelu {
                negative_slope: 0.01,
            },
            Activation::Relu6,
            Activation::Identity,
        ] {
            let mlp = MlpConfig::new(vec![2, 3, 1])
                .activation(activation)
                .init::<f64>()
                .unwrap();
            let net = PiecewiseLinear::new(&mlp).unwrap();
            let layer = &net.layers[0];
            let mut v = values(100, 3);
            v.extend([0.0, -0.0, 6.0, 6.5]);
            let expected: Vec<f64> = v.iter().map(|&z| layer.activate(z).0).collect();
            layer.activate_all(&mut v);
            for (got, want) in v.iter().zip(&expected) {
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{activation}: {got} vs {want}"
                );
            }
        }
    }

    #[test]
    fn the_one_kink_straddling_test_decides_as_the_general_one() {
        let mlp = MlpConfig::new(vec![2, 150, 1]).init::<f64>().unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let layer = &net.layers[0];
        let words = net.switch_count().div_ceil(64);
        let (centres, widths) = (values(150, 1), values(150, 2));
        let mut fast = Splitter {
            low: centres
                .iter()
                .zip(&widths)
                .map(|(c, w)| c - w.abs())
                .collect(),
            high: centres
                .iter()
                .zip(&widths)
                .map(|(c, w)| c + w.abs())
                .collect(),
            bits: vec![0xA5A5_A5A5_A5A5_A5A5; words],
            ..Splitter::default()
        };
        let mut general = Splitter {
            low: fast.low.clone(),
            high: fast.high.clone(),
            bits: fast.bits.clone(),
            ..Splitter::default()
        };
        straddling_one_kink(layer, 0.0, 0.5, &mut fast);
        straddling(layer, 0.5, &mut general);
        assert_eq!(fast.straddling, general.straddling);
        assert!(!fast.straddling.is_empty() && fast.straddling.len() < 150);
        // Straddling switches' bits are decided later, piece by piece: compare the others.
        let mut decided = vec![!0u64; words];
        for &(_, _, switch) in &fast.straddling {
            set_bit(&mut decided, switch, false);
        }
        for ((f, g), d) in fast.bits.iter().zip(&general.bits).zip(&decided) {
            assert_eq!(f & d, g & d);
        }
    }

    /// The adjacency as it was first written: each edge's sides in a hash map.
    fn adjacency_reference(cycles: &Cycles) -> Vec<(usize, usize)> {
        let mut edges: HashMap<(u32, u32), usize> = HashMap::new();
        let mut pairs = Vec::new();
        for (r, cycle) in cycles.iter().enumerate() {
            let n = cycle.len();
            for i in 0..n {
                let (a, b) = (cycle[i], cycle[(i + 1) % n]);
                if let Some(other) = edges.insert((a.min(b), a.max(b)), r) {
                    if other != r {
                        pairs.push((other.min(r), other.max(r)));
                    }
                }
            }
        }
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    }

    #[test]
    fn the_regions_are_the_same_on_one_thread_and_on_two() {
        // Past `PARALLEL_REGIONS`, so that the two-thread run does hand work over.
        let mlp = MlpConfig::new(vec![2, 128, 128, 128, 1])
            .seed(0)
            .init::<f64>()
            .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-1.0, 1.0]]).unwrap();
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| regions_on_slice(&net, &slice, &RegionOptions::default()).unwrap())
        };
        let (one, two) = (run(1), run(2));
        assert!(one.count() > PARALLEL_REGIONS, "{} regions", one.count());
        assert_eq!(one.regions, two.regions);
        assert_eq!(one.adjacency, two.adjacency);
        assert_eq!(one.adjacency, adjacency_reference(&one.cycles));
    }
}
