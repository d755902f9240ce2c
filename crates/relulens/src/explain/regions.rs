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
//! The regions are built on every thread from 8192 regions on; the result is the same, in the
//! same order, whatever the number of threads. Their adjacency is built when first asked for.
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

use super::faces::{adjacency, Cycles, Faces, Splitter};
use super::inline_vec::InlineVec;
use super::mesh::{Crossings, Mesh};
use super::network::{ActivationPattern, Layer, PiecewiseLinear};
use super::slice::Slice;
use crate::error::{Error, Result};
use crate::nn::matmul::{matmul, View};

/// From this many regions on, the regions are built on every thread (below it, handing work to
/// another thread costs more than it saves, more so when other jobs keep the second core busy).
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
    /// The vertices in slice coordinates (u, v), counter-clockwise (up to eight in place).
    pub vertices: InlineVec<[f64; 2], 8>,
    /// The activation pattern shared by every point inside.
    pub pattern: ActivationPattern,
    /// Per output, (∂/∂u, ∂/∂v): the gradient in slice coordinates.
    pub gradient: InlineVec<[f64; 2], 2>,
    /// Per output, its value at the centroid; with `gradient` it gives the affine map.
    pub value_at_centroid: InlineVec<f64, 2>,
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

    /// The final partition, kept for boundaries: vertex coordinates and outputs.
    pub(crate) mesh: Mesh,
    /// Each region's vertex cycle in `mesh`.
    pub(crate) cycles: Cycles,
    /// The index behind [`Regions::find`], built on the first call (most callers never look a
    /// pattern up, and hashing every pattern was a tenth of a small enumeration's time).
    by_pattern: OnceLock<HashMap<ActivationPattern, usize, BuildHasherDefault<FxHasher>>>,
    /// Behind [`Regions::adjacency`], built on the first call (counting the regions, tracing
    /// boundaries and drawing need none, and it was a tenth of a small enumeration's time).
    adjacency: OnceLock<Vec<(usize, usize)>>,
}

impl Regions {
    /// The number of regions.
    pub fn count(&self) -> usize {
        self.regions.len()
    }

    /// Pairs of regions that share an edge, each pair once, lower index first, in order.
    pub fn adjacency(&self) -> &[(usize, usize)] {
        self.adjacency
            .get_or_init(|| adjacency(&self.cycles, self.mesh.coords.len()))
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

/// At most this many bytes of value rows are reserved ahead of a layer's cuts (past it, the rows
/// grow as they are made).
const ROOM_BYTES: usize = 32 << 20;

/// About how many vertices (and faces) cutting `layer` adds to a partition of `vertices` vertices,
/// for room up front, so that the rows, crossings and faces are not copied (or rehashed) as they
/// grow: on PyTorch-initialised networks a layer adds one to three per starting vertex, and the
/// first, whose one face every kink line may cross, a few per pair of units. Never more than the
/// region budget, nor more rows than [`ROOM_BYTES`] hold: the estimate grows with the square of
/// the width, and its rows with the cube.
fn added_vertices(vertices: usize, layer: &Layer, max_regions: usize) -> usize {
    if layer.pieces.kinks.is_empty() {
        return 0;
    }
    let estimate = 3 * vertices + layer.units * layer.units / 4;
    let rows = ROOM_BYTES / (std::mem::size_of::<f64>() * layer.units.max(1));
    estimate.min(max_regions).min(rows)
}

/// The layer's pre-activations at every vertex, from the previous layer's activations, into `out`
/// (a buffer kept across layers, so its pages are touched once), with room for `added` rows more.
fn next_values(
    activations: &[f64],
    vertices: usize,
    added: usize,
    layer: &Layer,
    out: &mut Vec<f64>,
) {
    out.clear();
    out.reserve((vertices + added) * layer.units);
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
    let mut faces = Faces::new(words);
    faces.push(&first, &vec![0; words]);
    let mut next = Faces::new(words);
    let mut spare = Vec::new();
    let mut made = Crossings::default();
    let mut split = Splitter::default();

    for (l, layer) in net.layers.iter().enumerate() {
        let vertices = mesh.coords.len();
        let added = added_vertices(vertices, layer, options.max_regions);
        next_values(&mesh.values, vertices, added, layer, &mut spare);
        std::mem::swap(&mut mesh.values, &mut spare);
        mesh.width = layer.units;
        if !layer.pieces.kinks.is_empty() {
            let scale = largest_magnitude(&mesh.values).max(1.0);
            let tol = RELATIVE_TOLERANCE * scale;
            made.clear();
            next.clear();
            made.reserve(added);
            mesh.coords.reserve(added);
            next.reserve(faces.len() + added, faces.cycles.vertex_count() + 5 * added);
            split.start_layer(layer, faces.len(), options.max_regions);
            let faces_in_layer = faces.len();
            for face in 0..faces_in_layer {
                if face % 4096 == 0 {
                    progress(RegionProgress {
                        layer: l,
                        layers: net.layers.len(),
                        faces_done: face,
                        faces: faces_in_layer,
                        regions: split.total,
                    });
                }
                if !split.split_face(&mut mesh, layer, &faces, face, tol, &mut made, &mut next) {
                    return Err(Error::RegionBudget {
                        max_regions: options.max_regions,
                        layer: l,
                    });
                }
            }
            let total = split.total;
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
    let mut cycles = Cycles::with_capacity(faces.len(), faces.cycles.vertex_count());
    for face in 0..faces.len() {
        let cycle = faces.cycles.get(face);
        let (area, centroid) = mesh.area_centroid(cycle);
        if area > DROPPED_AREA * rect_area {
            kept.push((face, area, centroid));
            cycles.push(cycle);
        }
    }
    let region = |&(face, area, centroid): &(usize, f64, [f64; 2])| {
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
    };
    // Each region apart, in blocks on every thread when there are enough to pay the hand-off.
    let regions = if kept.len() >= PARALLEL_REGIONS {
        use rayon::prelude::*;
        kept.par_iter().with_min_len(256).map(region).collect()
    } else {
        kept.iter().map(region).collect()
    };
    Ok(Regions {
        slice: slice.clone(),
        regions,
        mesh,
        cycles,
        by_pattern: OnceLock::new(),
        adjacency: OnceLock::new(),
    })
}

/// The affine map of each output over a face, by least squares on its vertices (exact up to
/// rounding, since the outputs are affine there).
///
/// Coordinates are centred on the vertices' mean, where the least-squares plane passes through
/// their mean value; each output then takes one pass, since Σ du (y − ȳ) = Σ du y − ȳ Σ du (the
/// second term is rounding-level, and kept).
fn fit_affine(
    mesh: &Mesh,
    cycle: &[u32],
    centroid: [f64; 2],
    out_dim: usize,
) -> (InlineVec<f64, 2>, InlineVec<[f64; 2], 2>) {
    let n = cycle.len() as f64;
    let point = |v: u32| mesh.coords[v as usize];
    let (mut mu, mut mv) = (0.0, 0.0);
    for &v in cycle {
        mu += point(v)[0];
        mv += point(v)[1];
    }
    let mean = [mu / n, mv / n];
    let (mut suu, mut suv, mut svv, mut su, mut sv) = (0.0, 0.0, 0.0, 0.0, 0.0);
    for &v in cycle {
        let (du, dv) = (point(v)[0] - mean[0], point(v)[1] - mean[1]);
        suu += du * du;
        suv += du * dv;
        svv += dv * dv;
        su += du;
        sv += dv;
    }
    let det = suu * svv - suv * suv;
    let mut values = InlineVec::filled(out_dim);
    let mut gradients = InlineVec::filled(out_dim);
    for o in 0..out_dim {
        let (mut y_sum, mut uy, mut vy) = (0.0, 0.0, 0.0);
        for &v in cycle {
            let y = mesh.value(v, o);
            y_sum += y;
            uy += (point(v)[0] - mean[0]) * y;
            vy += (point(v)[1] - mean[1]) * y;
        }
        let y_mean = y_sum / n;
        let (uy, vy) = (uy - y_mean * su, vy - y_mean * sv);
        let g = if det > 0.0 {
            [(svv * uy - suv * vy) / det, (suu * vy - suv * uy) / det]
        } else {
            [0.0, 0.0]
        };
        values[o] = y_mean + g[0] * (centroid[0] - mean[0]) + g[1] * (centroid[1] - mean[1]);
        gradients[o] = g;
    }
    (values, gradients)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Activation;
    use crate::nn::MlpConfig;

    use crate::explain::test_nets::values;

    #[test]
    fn a_wide_layer_reserves_a_bounded_room() {
        // The estimate of what a layer adds grows with the square of its width: 4096 units once
        // asked for 137 GB of rows up front, and the process aborted.
        let mlp = MlpConfig::new(vec![2, 4096, 1]).init::<f64>().unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let layer = &net.layers[0];
        let added = added_vertices(4, layer, RegionOptions::default().max_regions);
        assert!(added * layer.units * 8 <= ROOM_BYTES, "{added} rows");
        assert_eq!(added_vertices(4, layer, 10), 10, "within the region budget");
        let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-1e-3, 1e-3], [-1e-3, 1e-3]]).unwrap();
        let regions = regions_on_slice(&net, &slice, &RegionOptions::default()).unwrap();
        assert!(regions.count() >= 1);
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
        let one = run(1);
        assert!(one.count() > PARALLEL_REGIONS, "{} regions", one.count());
        for threads in [2, 3] {
            let many = run(threads);
            assert_eq!(one.regions, many.regions, "{threads} threads");
            assert_eq!(one.adjacency(), many.adjacency(), "{threads} threads");
            assert_eq!(one.mesh.coords, many.mesh.coords, "{threads} threads");
            assert_eq!(
                one.cycles.iter().collect::<Vec<_>>(),
                many.cycles.iter().collect::<Vec<_>>()
            );
        }
    }
}
