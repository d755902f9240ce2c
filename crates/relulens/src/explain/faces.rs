//! Faces in flight during a region enumeration, and splitting one face by one layer's kink lines.
//!
//! A face is a convex vertex cycle in [`Mesh`] plus its activation pattern so far. Cycles are
//! stored back to back in one buffer and patterns as bit words, because the enumeration makes one
//! face per region and a `Vec` apiece cost an allocation for every cut. The splitting keeps its
//! scratch space from face to face for the same reason.
//!
//! Exercised through [`regions_on_slice`](super::regions_on_slice): two units whose kink lines
//! cross split the square into four faces.
//!
//! ```
//! use relulens::activation::Activation;
//! use relulens::explain::{regions_on_slice, PiecewiseLinear, RegionOptions, Slice};
//! use relulens::nn::{Dense, Mlp};
//! // relu(A) + relu(B): kinks along A = 0 and B = 0.
//! let mlp = Mlp::new(
//!     vec![
//!         Dense::new(vec![1.0, 0.0, 0.0, 1.0], vec![0.0, 0.0])?,
//!         Dense::new(vec![1.0, 1.0], vec![0.0])?,
//!     ],
//!     vec![Activation::Relu, Activation::Identity],
//! )?;
//! let net = PiecewiseLinear::new(&mlp)?;
//! let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-1.0, 1.0]])?;
//! let regions = regions_on_slice(&net, &slice, &RegionOptions::default())?;
//! assert_eq!(regions.count(), 4);
//! assert_eq!(regions.adjacency(), [(0, 1), (0, 2), (1, 3), (2, 3)]);
//! # Ok::<(), relulens::Error>(())
//! ```

use std::ops::Range;

use super::mesh::{Crossings, Cut, CutBuffers, Line, Mesh};
use super::network::Layer;

/// Vertex cycles stored back to back in one buffer (a `Vec` per face cost an allocation for every
/// cut, and the enumeration makes one cut per region).
#[derive(Debug, Clone, Default)]
pub(crate) struct Cycles {
    vertices: Vec<u32>,
    /// Where each cycle ends in `vertices`.
    ends: Vec<usize>,
}

impl Cycles {
    pub(crate) fn with_capacity(cycles: usize, vertices: usize) -> Self {
        Cycles {
            vertices: Vec::with_capacity(vertices),
            ends: Vec::with_capacity(cycles),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.ends.len()
    }

    fn reserve(&mut self, cycles: usize, vertices: usize) {
        self.ends.reserve(cycles);
        self.vertices.reserve(vertices);
    }

    /// The vertices of all cycles together.
    pub(crate) fn vertex_count(&self) -> usize {
        self.vertices.len()
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
pub(crate) struct Faces {
    pub(crate) cycles: Cycles,
    pub(crate) bits: Vec<u64>,
    pub(crate) words: usize,
}

impl Faces {
    pub(crate) fn new(words: usize) -> Self {
        Faces {
            words,
            ..Faces::default()
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.cycles.len()
    }

    pub(crate) fn bits(&self, i: usize) -> &[u64] {
        &self.bits[i * self.words..(i + 1) * self.words]
    }

    pub(crate) fn push(&mut self, cycle: &[u32], bits: &[u64]) {
        self.cycles.push(cycle);
        self.bits.extend_from_slice(bits);
    }

    pub(crate) fn clear(&mut self) {
        self.cycles.clear();
        self.bits.clear();
    }

    /// Room for `faces` faces of `vertices` vertices in all.
    pub(crate) fn reserve(&mut self, faces: usize, vertices: usize) {
        self.cycles.reserve(faces, vertices);
        self.bits.reserve(faces * self.words);
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

/// Scratch space for splitting one face by one layer, reused from face to face.
#[derive(Debug, Default)]
pub(crate) struct Splitter {
    low: Vec<f64>,
    high: Vec<f64>,
    /// (unit, kink, switch) of the switches whose kink line crosses the face.
    straddling: Vec<(usize, f64, usize)>,
    /// The cycles of the pieces cut from the face so far, back to back: a cut appends both halves
    /// and points the piece at its upper one (a heap block per piece was a tenth of a small
    /// enumeration's time, in allocating and freeing).
    arena: Vec<u32>,
    /// Each piece's cycle in `arena`.
    pieces: Vec<Range<usize>>,
    /// The pieces' patterns, `words` words each.
    bits: Vec<u64>,
    buffers: CutBuffers,
    /// Faces so far in this layer: its starting faces plus one per cut.
    pub(crate) total: usize,
    max_regions: usize,
}

impl Splitter {
    /// Gets ready for `layer`, which starts from `faces` faces.
    pub(crate) fn start_layer(&mut self, layer: &Layer, faces: usize, max_regions: usize) {
        self.low.resize(layer.units, 0.0);
        self.high.resize(layer.units, 0.0);
        self.total = faces;
        self.max_regions = max_regions;
    }

    /// Splits face `face` of `faces` by every kink line of `layer` that crosses it (vertices within
    /// `tol` of a kink lie on it), appending the pieces and their patterns to `next`; `false` once
    /// the layer has more than `max_regions` faces.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    pub(crate) fn split_face(
        &mut self,
        mesh: &mut Mesh,
        layer: &Layer,
        faces: &Faces,
        face: usize,
        tol: f64,
        made: &mut Crossings,
        next: &mut Faces,
    ) -> bool {
        let words = faces.words;
        let kinks = &layer.pieces.kinks;
        let cycle = faces.cycles.get(face);
        // Each unit's range over the face bounds its range over every piece cut from it
        // (the pieces are convex subsets and the unit is affine here): units whose kink
        // lies outside the range are decided once, and only the rest are cut.
        mesh.value_range(cycle, &mut self.low, &mut self.high);
        self.bits.clear();
        self.bits.extend_from_slice(faces.bits(face));
        self.straddling.clear();
        if let &[kink] = kinks.as_slice() {
            straddling_one_kink(layer, kink, tol, self);
        } else {
            straddling(layer, tol, self);
        }
        self.arena.clear();
        self.arena.extend_from_slice(cycle);
        self.pieces.clear();
        self.pieces.push(0..cycle.len());
        let straddling = std::mem::take(&mut self.straddling);
        for &(k, kink, switch) in &straddling {
            let line = Line {
                column: k,
                threshold: kink,
                tol,
                key: switch as u32,
            };
            // Pieces cut off by this switch are pushed past `len`: already decided.
            let len = self.pieces.len();
            for w in 0..len {
                let piece = &self.arena[self.pieces[w].clone()];
                let piece_bits = w * words..(w + 1) * words;
                // The sign test `Mesh::cut` starts with, here, so the piece's bit is set at
                // once: most pieces lie on one side of most lines, and the rest are cut across.
                let (above, below) = mesh.sides(piece, line);
                if !(above && below) {
                    set_bit(&mut self.bits[piece_bits], switch, above);
                    continue;
                }
                match mesh.cut_across(piece, line, made, &mut self.buffers) {
                    Cut::Whole(above) => {
                        set_bit(&mut self.bits[piece_bits], switch, above);
                    }
                    Cut::Two => {
                        self.total += 1;
                        if self.total > self.max_regions {
                            self.straddling = straddling;
                            return false;
                        }
                        let below = self.pieces.len() * words;
                        self.bits.extend_from_within(piece_bits.clone());
                        set_bit(&mut self.bits[below..], switch, false);
                        set_bit(&mut self.bits[piece_bits], switch, true);
                        let start = self.arena.len();
                        self.arena.extend_from_slice(&self.buffers.above);
                        let middle = self.arena.len();
                        self.arena.extend_from_slice(&self.buffers.below);
                        self.pieces[w] = start..middle;
                        self.pieces.push(middle..self.arena.len());
                    }
                }
            }
        }
        self.straddling = straddling;
        for (w, piece) in self.pieces.iter().enumerate() {
            next.push(
                &self.arena[piece.clone()],
                &self.bits[w * words..(w + 1) * words],
            );
        }
        true
    }
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
pub(crate) fn adjacency(cycles: &Cycles, vertices: usize) -> Vec<(usize, usize)> {
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
    use std::collections::HashMap;

    use crate::explain::{regions_on_slice, PiecewiseLinear, RegionOptions, Slice};
    use crate::nn::MlpConfig;

    use crate::explain::test_nets::values;

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
    fn the_adjacency_is_the_hash_map_one() {
        let mlp = MlpConfig::new(vec![2, 24, 24, 1])
            .seed(5)
            .init::<f64>()
            .unwrap();
        let net = PiecewiseLinear::new(&mlp).unwrap();
        let slice = Slice::features(&[0.0, 0.0], 0, 1, [[-1.0, 1.0], [-1.0, 1.0]]).unwrap();
        let regions = regions_on_slice(&net, &slice, &RegionOptions::default()).unwrap();
        assert!(regions.adjacency().len() > regions.count());
        assert_eq!(regions.adjacency(), adjacency_reference(&regions.cycles));
    }
}
