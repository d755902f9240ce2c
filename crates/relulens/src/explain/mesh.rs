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

/// Scratch space reused across cuts, so that cutting allocates nothing once it has warmed up
/// (an enumeration makes millions of cuts; a fresh `Vec` per cut was a fifth of its time).
#[derive(Debug, Default)]
pub(crate) struct CutBuffers {
    ring: Vec<(u32, i8)>,
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
        if let Some(&v) = made.get(&(lo, hi, key)) {
            return v;
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
        let v = (self.coords.len() - 1) as u32;
        made.insert((lo, hi, key), v);
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
    pub(crate) fn cut_across(
        &mut self,
        cycle: &[u32],
        line: Line,
        made: &mut Crossings,
        buffers: &mut CutBuffers,
    ) -> Cut {
        let Line {
            column,
            threshold,
            tol,
            key,
        } = line;
        let side = |z: f64| -> i8 {
            if z > tol {
                1
            } else if z < -tol {
                -1
            } else {
                0
            }
        };
        // Insert the crossing vertices on edges whose ends lie strictly on opposite sides.
        let n = cycle.len();
        let ring = &mut buffers.ring;
        ring.clear();
        let mut side_a = side(self.value(cycle[0], column) - threshold);
        for i in 0..n {
            let (a, b) = (cycle[i], cycle[if i + 1 == n { 0 } else { i + 1 }]);
            let side_b = side(self.value(b, column) - threshold);
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
