//! The planar partition the 2-D geometry is built on: shared vertices with coordinates and one row
//! of values each, and convex faces given by their vertex cycles.
//!
//! A face is split by the zero set of `value[column] − threshold`, which is affine on the face. The
//! crossing on an edge is computed once, from the edge's two end vertices, and shared through a map
//! keyed by (edge, cut): so the two faces on either side of an edge insert the *same* vertex, and
//! the partition stays watertight, with no T-junctions, which adjacency and boundaries rely on.
//!
//! Tolerance policy: a vertex whose value lies within `tol` of the threshold counts as lying on the
//! cut. Callers set `tol` relative to the magnitude of the values (see `regions.rs`), so features
//! finer than that relative size are merged rather than produced as slivers.
//!
//! ```
//! // (Internal module: exercised through `regions_on_slice`.)
//! ```

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use rustc_hash::FxHasher;

/// Vertices shared by the faces of a partition.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mesh {
    pub(crate) coords: Vec<[f64; 2]>,
    /// Row-major `[vertices, width]`.
    pub(crate) values: Vec<f64>,
    pub(crate) width: usize,
}

/// The result of cutting one face.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// The face lies on one side; `true` when some vertex lies strictly above.
    Whole(bool),
    /// The face was cut in two: the halves are in [`CutBuffers::above`] and [`CutBuffers::below`].
    Two,
}

/// A cut line: the zero set of `value[column] − threshold`, within `tol`, named by `key` in
/// [`Crossings`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line {
    pub(crate) column: usize,
    pub(crate) threshold: f64,
    pub(crate) tol: f64,
    pub(crate) key: u32,
}

impl Line {
    /// The side of the line a vertex whose `column` value is `value` lies on: 1 above, -1 below,
    /// 0 on it (within `tol`). Branch-free.
    #[inline]
    fn side(&self, value: f64) -> i8 {
        let z = value - self.threshold;
        i8::from(z > self.tol) - i8::from(z < -self.tol)
    }
}

/// Scratch space reused across cuts, so that cutting allocates nothing once it has warmed up
/// (an enumeration makes millions of cuts; a fresh `Vec` per cut was a fifth of its time).
#[derive(Debug, Default)]
pub(crate) struct CutBuffers {
    ring: Vec<(u32, i8)>,
    /// Each vertex's side of the line: 1 above, -1 below, 0 on it.
    sides: Vec<i8>,
    /// After [`Cut::Two`]: the cycle of the half on or above the line.
    pub(crate) above: Vec<u32>,
    /// After [`Cut::Two`]: the cycle of the half on or below the line.
    pub(crate) below: Vec<u32>,
}

/// Crossing vertices already made, by (low vertex, high vertex, cut key).
pub(crate) type Crossings = HashMap<(u32, u32, u32), u32, BuildHasherDefault<FxHasher>>;

impl Mesh {
    pub(crate) fn value(&self, v: u32, column: usize) -> f64 {
        self.values[v as usize * self.width + column]
    }

    pub(crate) fn row(&self, v: u32) -> &[f64] {
        &self.values[v as usize * self.width..(v as usize + 1) * self.width]
    }

    /// Each column's least and greatest value over the vertices of `cycle`.
    pub(crate) fn value_range(&self, cycle: &[u32], low: &mut [f64], high: &mut [f64]) {
        low.copy_from_slice(self.row(cycle[0]));
        high.copy_from_slice(self.row(cycle[0]));
        for &v in &cycle[1..] {
            for ((l, h), &z) in low.iter_mut().zip(high.iter_mut()).zip(self.row(v)) {
                *l = if z < *l { z } else { *l };
                *h = if z > *h { z } else { *h };
            }
        }
    }

    pub(crate) fn push(&mut self, coord: [f64; 2], row: &[f64]) -> u32 {
        debug_assert_eq!(row.len(), self.width);
        self.coords.push(coord);
        self.values.extend_from_slice(row);
        (self.coords.len() - 1) as u32
    }

    /// The vertex where `value[column] = threshold` on the edge (a, b), made once per edge and cut.
    /// It is interpolated from the lower-numbered end, so both faces of the edge get the same bits.
    fn crossing(
        &mut self,
        a: u32,
        b: u32,
        column: usize,
        threshold: f64,
        key: u32,
        made: &mut Crossings,
    ) -> u32 {
        let (lo, hi) = if a < b { (a, b) } else { (b, a) };
        let v = self.coords.len() as u32;
        match made.entry((lo, hi, key)) {
            Entry::Occupied(made) => return *made.get(),
            Entry::Vacant(slot) => {
                slot.insert(v);
            }
        }
        let (zl, zh) = (
            self.value(lo, column) - threshold,
            self.value(hi, column) - threshold,
        );
        let s = zl / (zl - zh);
        let (cl, ch) = (self.coords[lo as usize], self.coords[hi as usize]);
        let coord = [cl[0] + s * (ch[0] - cl[0]), cl[1] + s * (ch[1] - cl[1])];
        // Interpolate the whole row in place: a new vertex needs every column (other faces and
        // the next layer read them), and a temporary row per vertex cost an allocation each.
        let w = self.width;
        let base = self.values.len();
        self.values.resize(base + w, 0.0);
        let (old, row) = self.values.split_at_mut(base);
        let (xs, ys) = (
            &old[lo as usize * w..(lo as usize + 1) * w],
            &old[hi as usize * w..(hi as usize + 1) * w],
        );
        for ((r, &x), &y) in row.iter_mut().zip(xs).zip(ys) {
            *r = x + s * (y - x);
        }
        row[column] = threshold;
        self.coords.push(coord);
        v
    }

    /// Whether some vertex of `cycle` lies strictly above `line` (beyond its tolerance), and
    /// whether some lies strictly below.
    #[inline]
    pub(crate) fn sides(&self, cycle: &[u32], line: Line) -> (bool, bool) {
        let column = &self.values[line.column..];
        let (mut above, mut below) = (false, false);
        for &v in cycle {
            let z = column[v as usize * self.width] - line.threshold;
            above |= z > line.tol;
            below |= z < -line.tol;
        }
        (above, below)
    }

    /// Cuts the convex face `cycle` by `line`; on [`Cut::Two`] the halves are left in `buffers`.
    pub(crate) fn cut(
        &mut self,
        cycle: &[u32],
        line: Line,
        made: &mut Crossings,
        buffers: &mut CutBuffers,
    ) -> Cut {
        // Most faces lie wholly on one side of most cuts: decide that from the signs alone.
        let (above, below) = self.sides(cycle, line);
        if !(above && below) {
            return Cut::Whole(above);
        }
        self.cut_across(cycle, line, made, buffers)
    }

    /// [`Mesh::cut`] for a face known to have a vertex strictly on each side of `line`.
    ///
    /// The sides are read once; a convex face then has one run of vertices on or above the line,
    /// entered and left across one edge each, and the halves are read off the cycle around it.
    /// Faces that rounding made look non-convex at this line go to [`Mesh::cut_across_ring`],
    /// the general form this one is tested against (same halves, same vertices in the same order).
    pub(crate) fn cut_across(
        &mut self,
        cycle: &[u32],
        line: Line,
        made: &mut Crossings,
        buffers: &mut CutBuffers,
    ) -> Cut {
        let n = cycle.len();
        let sides = &mut buffers.sides;
        sides.clear();
        {
            let column = &self.values[line.column..];
            sides.extend(
                cycle
                    .iter()
                    .map(|&v| line.side(column[v as usize * self.width])),
            );
        }
        let next = |i: usize| if i + 1 == n { 0 } else { i + 1 };
        let previous = |i: usize| if i == 0 { n - 1 } else { i - 1 };
        // The run on or above the line: from `a`, the first vertex on or above after the first
        // one below, to `last`; `b` is the first vertex below after it.
        let Some(below) = sides.iter().position(|&s| s < 0) else {
            return self.cut_across_ring(cycle, line, made, buffers);
        };
        let mut a = next(below);
        while sides[a] < 0 {
            a = next(a);
        }
        let mut b = next(a);
        while sides[b] >= 0 {
            b = next(b);
        }
        let last = previous(b);
        // Convex at this line: nothing strictly above outside the run.
        let mut i = b;
        while i != a {
            if sides[i] > 0 {
                return self.cut_across_ring(cycle, line, made, buffers);
            }
            i = next(i);
        }
        let (enters_across, leaves_across) = (sides[a] > 0, sides[last] > 0);
        let Line {
            column,
            threshold,
            key,
            ..
        } = line;
        // The crossings on the entering edge (previous(a), a) and the leaving edge (last, b), made
        // in the order of their edges in the cycle, as the ring walk makes them.
        let mut cross = |mesh: &mut Mesh, edge: usize| {
            mesh.crossing(cycle[edge], cycle[next(edge)], column, threshold, key, made)
        };
        let (entry_edge, exit_edge) = (previous(a), last);
        let (entry, exit) = if entry_edge < exit_edge {
            let entry = enters_across.then(|| cross(self, entry_edge));
            (entry, leaves_across.then(|| cross(self, exit_edge)))
        } else {
            let exit = leaves_across.then(|| cross(self, exit_edge));
            (enters_across.then(|| cross(self, entry_edge)), exit)
        };
        let above = &mut buffers.above;
        above.clear();
        above.extend(entry);
        let mut i = a;
        loop {
            above.push(cycle[i]);
            if i == last {
                break;
            }
            i = next(i);
        }
        above.extend(exit);
        let below = &mut buffers.below;
        below.clear();
        below.push(exit.unwrap_or(cycle[last]));
        let mut i = b;
        while i != a {
            below.push(cycle[i]);
            i = next(i);
        }
        below.push(entry.unwrap_or(cycle[a]));
        Cut::Two
    }

    /// [`Mesh::cut_across`] by walking the ring of vertices and crossings: the general form, which
    /// also keeps whole a face that rounding made look non-convex at this line.
    pub(crate) fn cut_across_ring(
        &mut self,
        cycle: &[u32],
        line: Line,
        made: &mut Crossings,
        buffers: &mut CutBuffers,
    ) -> Cut {
        let Line {
            column,
            threshold,
            key,
            ..
        } = line;
        // Insert the crossing vertices on edges whose ends lie strictly on opposite sides.
        let n = cycle.len();
        let ring = &mut buffers.ring;
        ring.clear();
        let mut side_a = line.side(self.value(cycle[0], column));
        for i in 0..n {
            let (a, b) = (cycle[i], cycle[if i + 1 == n { 0 } else { i + 1 }]);
            let side_b = line.side(self.value(b, column));
            ring.push((a, side_a));
            if side_a * side_b < 0 {
                let c = self.crossing(a, b, column, threshold, key, made);
                ring.push((c, 0));
            }
            side_a = side_b;
        }
        // Rotate so the ring starts at a vertex strictly below; the vertices on or above the cut then
        // form one run, which starts and ends on the cut.
        let start = ring
            .iter()
            .position(|&(_, s)| s < 0)
            .expect("a vertex below");
        ring.rotate_left(start);
        let first = ring
            .iter()
            .position(|&(_, s)| s >= 0)
            .expect("a vertex above");
        let run_end = first
            + ring[first..]
                .iter()
                .position(|&(_, s)| s < 0)
                .map_or(ring.len() - first, |p| p);
        let last = run_end - 1;
        let consistent =
            ring[first].1 == 0 && ring[last].1 == 0 && !ring[run_end..].iter().any(|&(_, s)| s > 0);
        if !consistent {
            // Rounding made the face look non-convex at this cut: keep it whole on the side most of
            // its weight lies on. (`verify` would report any resulting mismatch.)
            let total: f64 = cycle
                .iter()
                .map(|&v| self.value(v, column) - threshold)
                .sum();
            return Cut::Whole(total > 0.0);
        }
        buffers.above.clear();
        buffers
            .above
            .extend(ring[first..=last].iter().map(|&(v, _)| v));
        buffers.below.clear();
        buffers
            .below
            .extend(ring[last..].iter().chain(&ring[..=first]).map(|&(v, _)| v));
        Cut::Two
    }

    /// Twice the signed area and the centroid of a cycle (shoelace).
    pub(crate) fn area_centroid(&self, cycle: &[u32]) -> (f64, [f64; 2]) {
        let n = cycle.len();
        // Relative to the first vertex, for accuracy far from the origin.
        let o = self.coords[cycle[0] as usize];
        let (mut a2, mut cx, mut cy) = (0.0, 0.0, 0.0);
        for i in 0..n {
            let p = self.coords[cycle[i] as usize];
            let q = self.coords[cycle[if i + 1 == n { 0 } else { i + 1 }] as usize];
            let (px, py, qx, qy) = (p[0] - o[0], p[1] - o[1], q[0] - o[0], q[1] - o[1]);
            let cross = px * qy - qx * py;
            a2 += cross;
            cx += (px + qx) * cross;
            cy += (py + qy) * cross;
        }
        let area = 0.5 * a2;
        if a2 == 0.0 {
            let mean = |i: usize| {
                cycle
                    .iter()
                    .map(|&v| self.coords[v as usize][i])
                    .sum::<f64>()
                    / n as f64
            };
            return (0.0, [mean(0), mean(1)]);
        }
        (area, [o[0] + cx / (3.0 * a2), o[1] + cy / (3.0 * a2)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The unit square with value x − y at each corner.
    fn square() -> (Mesh, Vec<u32>) {
        let mut m = Mesh {
            width: 1,
            ..Mesh::default()
        };
        let ids = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]]
            .map(|c| m.push(c, &[c[0] - c[1] + 0.25]));
        (m, ids.to_vec())
    }

    fn line(threshold: f64, key: u32) -> Line {
        Line {
            column: 0,
            threshold,
            tol: 1e-12,
            key,
        }
    }

    /// A convex polygon of 3 to 9 vertices on a circle, with two value columns: an affine one and
    /// one with noise of about `noise` added (so that it can look non-convex to a line).
    fn polygon(rng: &mut crate::rng::Rng, noise: f64) -> (Mesh, Vec<u32>) {
        let mut m = Mesh {
            width: 2,
            ..Mesh::default()
        };
        let n = 3 + rng.below(7);
        let mut angles: Vec<f64> = (0..n)
            .map(|_| rng.uniform(0.0, std::f64::consts::TAU))
            .collect();
        angles.sort_by(f64::total_cmp);
        let (gx, gy, c) = (rng.normal(), rng.normal(), rng.normal());
        let ids = angles
            .iter()
            .map(|t| {
                let (x, y) = (t.cos(), t.sin());
                let z = gx * x + gy * y + c;
                m.push([x, y], &[z, z + noise * rng.normal()])
            })
            .collect();
        (m, ids)
    }

    #[test]
    fn the_run_cut_is_the_ring_cut() {
        let mut rng = crate::rng::Rng::new(11);
        let (mut cuts, mut kept_whole) = (0, 0);
        for case in 0..20_000 {
            let noise = [0.0, 1e-12, 0.3][case % 3];
            let (mesh, cycle) = polygon(&mut rng, noise);
            let column = rng.below(2);
            // Thresholds at a vertex's value (lines through vertices), within the tolerance of
            // one, and anywhere in the range.
            let pick = mesh.value(cycle[rng.below(cycle.len())], column);
            let threshold = match rng.below(3) {
                0 => pick,
                1 => pick + rng.uniform(-2e-12, 2e-12),
                _ => rng.uniform(-2.0, 2.0),
            };
            let line = Line {
                column,
                threshold,
                tol: 1e-12,
                key: 7,
            };
            let (above, below) = mesh.sides(&cycle, line);
            if !(above && below) {
                continue;
            }
            // A crossing made earlier, from a neighbour across the first edge.
            let mut made = Crossings::default();
            let (mut run, mut ring) = (mesh.clone(), mesh.clone());
            if rng.below(2) == 0 {
                let v = run.crossing(cycle[0], cycle[1], column, threshold, 7, &mut made);
                let again = ring.crossing(
                    cycle[0],
                    cycle[1],
                    column,
                    threshold,
                    7,
                    &mut Crossings::default(),
                );
                assert_eq!(again, v);
            }
            let mut ring_made = made.clone();
            let (mut run_buffers, mut ring_buffers) =
                (CutBuffers::default(), CutBuffers::default());
            let got = run.cut_across(&cycle, line, &mut made, &mut run_buffers);
            let want = ring.cut_across_ring(&cycle, line, &mut ring_made, &mut ring_buffers);
            assert_eq!(got, want, "case {case}");
            if got == Cut::Two {
                cuts += 1;
                assert_eq!(run_buffers.above, ring_buffers.above, "case {case}");
                assert_eq!(run_buffers.below, ring_buffers.below, "case {case}");
                assert_eq!(run.coords, ring.coords, "case {case}");
                assert_eq!(run.values, ring.values, "case {case}");
                assert_eq!(made, ring_made, "case {case}");
            } else {
                kept_whole += 1;
            }
        }
        assert!(
            cuts > 5000 && kept_whole > 50,
            "{cuts} cuts, {kept_whole} kept whole"
        );
    }

    #[test]
    fn a_cut_through_two_edges_makes_two_convex_halves_that_share_the_chord() {
        let (mut m, face) = square();
        let mut made = Crossings::default();
        let mut buffers = CutBuffers::default();
        assert_eq!(
            m.cut(&face, line(0.0, 0), &mut made, &mut buffers),
            Cut::Two,
            "the line x - y + 0.25 = 0 crosses the square"
        );
        let (a, _) = m.area_centroid(&buffers.above);
        let (b, _) = m.area_centroid(&buffers.below);
        // Below the line y = x + 0.25 lies the larger part: 1 − 0.75²/2.
        assert!(
            (a - (1.0 - 0.28125)).abs() < 1e-15 && (b - 0.28125).abs() < 1e-15,
            "{a} {b}"
        );
        assert_eq!(made.len(), 2);
        // The same edge cut again (from the neighbour's side) reuses the vertex.
        let again = m.crossing(3, 0, 0, 0.0, 0, &mut made);
        assert!(made.values().any(|&v| v == again));
    }

    #[test]
    fn a_cut_through_a_corner_and_a_line_missing_the_face() {
        let (mut m, face) = square();
        let mut made = Crossings::default();
        let mut buffers = CutBuffers::default();
        // Through corners (0, 0) + 0.25 offset: the value 0.25 at (0,0) and (1,1); cut at 0.25.
        match m.cut(&face, line(0.25, 1), &mut made, &mut buffers) {
            Cut::Two => {
                assert_eq!((buffers.above.len(), buffers.below.len()), (3, 3));
                assert!(
                    made.is_empty(),
                    "the diagonal passes through vertices: nothing to insert"
                );
            }
            Cut::Whole(_) => panic!("the diagonal cuts the square"),
        }
        assert_eq!(
            m.cut(&face, line(5.0, 2), &mut made, &mut buffers),
            Cut::Whole(false)
        );
        assert_eq!(
            m.cut(&face, line(-5.0, 3), &mut made, &mut buffers),
            Cut::Whole(true)
        );
        // A cut along an edge leaves the face whole, on the side of its other vertices.
        assert_eq!(
            m.cut(&face, line(1.25, 4), &mut made, &mut buffers),
            Cut::Whole(false)
        );
    }
}
