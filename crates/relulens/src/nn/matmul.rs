//! Matrix products on strided views, through the `gemm` crate, with a plain reference beside them.
//!
//! `gemm` (the engine underneath faer) packs and runs AVX2/AVX-512 micro-kernels chosen at run time;
//! `bench/BENCHMARKS.md` records why it was chosen over faer's matmul and a hand loop. Products too
//! small for its packing and dispatch to pay off (a layer with few inputs or one output, or a few
//! thousand multiply-adds) run plain loops instead (the `small` module). Products run on one thread, so
//! training is reproducible bit for bit and the caller decides about parallelism.
//!
//! ```
//! use relulens::nn::matmul::{matmul, View};
//! // [1 2; 3 4] · [5; 6] = [17; 39]
//! let a = [1.0f64, 2.0, 3.0, 4.0];
//! let b = [5.0f64, 6.0];
//! let mut c = [0.0f64; 2];
//! matmul(&mut c, 2, 1, false, View::row_major(&a, 2, 2), View::row_major(&b, 2, 1));
//! assert_eq!(c, [17.0, 39.0]);
//! ```

use crate::activation::Float;

mod small;

/// A read-only matrix view: element (i, j) is `data[i * row_stride + j * col_stride]`.
#[derive(Debug, Clone, Copy)]
pub struct View<'a, T> {
    data: &'a [T],
    rows: usize,
    cols: usize,
    row_stride: usize,
    col_stride: usize,
}

impl<'a, T: Copy> View<'a, T> {
    /// A row-major `rows × cols` matrix.
    ///
    /// # Panics
    ///
    /// If `data` is shorter than `rows × cols` (an internal invariant: callers size their buffers).
    pub fn row_major(data: &'a [T], rows: usize, cols: usize) -> Self {
        Self::strided(data, rows, cols, cols, 1)
    }

    /// The transpose of a row-major `cols × rows` matrix, seen as `rows × cols` without copying.
    ///
    /// # Panics
    ///
    /// If `data` is shorter than `rows × cols`.
    pub fn transposed(data: &'a [T], rows: usize, cols: usize) -> Self {
        Self::strided(data, rows, cols, 1, rows)
    }

    fn strided(
        data: &'a [T],
        rows: usize,
        cols: usize,
        row_stride: usize,
        col_stride: usize,
    ) -> Self {
        if rows > 0 && cols > 0 {
            let last = (rows - 1) * row_stride + (cols - 1) * col_stride;
            assert!(last < data.len(), "matrix view out of bounds");
        }
        View {
            data,
            rows,
            cols,
            row_stride,
            col_stride,
        }
    }

    /// Element (i, j).
    #[inline]
    pub fn at(&self, i: usize, j: usize) -> T {
        self.data[i * self.row_stride + j * self.col_stride]
    }

    /// The number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// The number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }
}

/// `dst = lhs · rhs`, or `dst += lhs · rhs` when `accumulate`; `dst` is row-major `m × n`.
///
/// # Panics
///
/// If the shapes disagree (`lhs` must be `m × k`, `rhs` `k × n`, `dst` hold `m × n`): an internal
/// invariant, since every caller derives the shapes from one layer.
pub fn matmul<T: Float>(
    dst: &mut [T],
    m: usize,
    n: usize,
    accumulate: bool,
    lhs: View<'_, T>,
    rhs: View<'_, T>,
) {
    let k = lhs.cols;
    assert!(
        lhs.rows == m && rhs.rows == k && rhs.cols == n && dst.len() >= m * n,
        "matmul shapes: dst {m}×{n}, lhs {}×{}, rhs {}×{}",
        lhs.rows,
        lhs.cols,
        rhs.rows,
        rhs.cols
    );
    if m == 0 || n == 0 {
        return;
    }
    if k == 0 {
        if !accumulate {
            dst[..m * n].fill(T::ZERO);
        }
        return;
    }
    if small::product(dst, (m, n, accumulate), lhs, rhs) {
        return;
    }
    // SAFETY: the views were bounds-checked when made, `dst` holds m × n elements with row stride n,
    // and `T` is f32 or f64, which `gemm` dispatches on.
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            dst.as_mut_ptr(),
            1,
            n as isize,
            accumulate,
            lhs.data.as_ptr(),
            lhs.col_stride as isize,
            lhs.row_stride as isize,
            rhs.data.as_ptr(),
            rhs.col_stride as isize,
            rhs.row_stride as isize,
            T::ONE,
            T::ONE,
            false,
            false,
            false,
            gemm::Parallelism::None,
        );
    }
}

/// The plain reference for [`matmul`]: the triple loop, summing in order of k.
pub fn matmul_reference<T: Float>(
    dst: &mut [T],
    m: usize,
    n: usize,
    accumulate: bool,
    lhs: View<'_, T>,
    rhs: View<'_, T>,
) {
    for i in 0..m {
        for j in 0..n {
            let mut sum = T::ZERO;
            for p in 0..lhs.cols {
                sum = sum + lhs.at(i, p) * rhs.at(p, j);
            }
            let d = &mut dst[i * n + j];
            *d = if accumulate { *d + sum } else { sum };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::Rng;

    fn random(len: usize, rng: &mut Rng) -> Vec<f64> {
        (0..len).map(|_| rng.uniform(-1.0, 1.0)).collect()
    }

    /// Every layout a product is given: row-major, either operand transposed, both, and rows
    /// padded (a row stride past the row's end).
    fn layouts<'a>(
        (m, n, k): (usize, usize, usize),
        [a, at, ap]: [&'a [f64]; 3],
        [b, bt, bp]: [&'a [f64]; 3],
    ) -> Vec<(View<'a, f64>, View<'a, f64>)> {
        let (a, at, ap) = (
            View::row_major(a, m, k),
            View::transposed(at, m, k),
            View::strided(ap, m, k, k + 3, 1),
        );
        let (b, bt, bp) = (
            View::row_major(b, k, n),
            View::transposed(bt, k, n),
            View::strided(bp, k, n, 1, k + 2),
        );
        vec![
            (a, b),
            (at, b),
            (a, bt),
            (at, bt),
            (ap, bp),
            (ap, b),
            (at, bp),
        ]
    }

    #[test]
    fn gemm_matches_the_reference_on_every_layout_the_network_uses() {
        let mut rng = Rng::new(11);
        for &(m, n, k) in &[
            (1, 1, 1),
            (3, 5, 7),
            (32, 16, 2),
            (17, 33, 65),
            (128, 10, 256),
            (4, 0, 3),
            (2, 3, 0),
            // 2-64-64-1 at batch 128: the forward pass of each layer, the weight gradients, the
            // input gradients.
            (128, 64, 2),
            (128, 64, 64),
            (128, 1, 64),
            (1, 64, 128),
            (64, 64, 128),
            (64, 2, 128),
            (128, 64, 1),
            // 2-16-16-1 at batch 32, and odd sizes that leave every edge of the small path's
            // tiles: 4-row blocks and single rows; 64-, 16-, 8- and 1-wide columns.
            (32, 16, 16),
            (16, 2, 32),
            (1, 16, 32),
            (9, 93, 4),
            (7, 27, 3),
            (2, 11, 40),
            (13, 1, 5),
            (22, 6, 9),
        ] {
            let mut draw = |len: usize| random(len, &mut rng);
            // Padded operands hold their rows (or columns) with a gap of a few elements.
            let (a, at, ap) = (draw(m * k), draw(m * k), draw(m * (k + 3)));
            let (b, bt, bp) = (draw(k * n), draw(k * n), draw((k + 2) * n));
            let init = draw(m * n);
            for accumulate in [false, true] {
                for (lhs, rhs) in layouts((m, n, k), [&a, &at, &ap], [&b, &bt, &bp]) {
                    let mut slow = init.clone();
                    matmul_reference(&mut slow, m, n, accumulate, lhs, rhs);
                    let check = |fast: &[f64], path: &str| {
                        for (x, y) in fast.iter().zip(&slow) {
                            assert!(
                                (x - y).abs() <= 1e-12 * (1.0 + y.abs()) * k as f64,
                                "{path}: {m}×{n}×{k}, accumulate {accumulate}, strides {:?} {:?}",
                                (lhs.row_stride, lhs.col_stride),
                                (rhs.row_stride, rhs.col_stride)
                            );
                        }
                    };
                    let mut fast = init.clone();
                    matmul(&mut fast, m, n, accumulate, lhs, rhs);
                    check(&fast, "matmul");
                    // The small path's loops directly, on any processor and whatever the size
                    // rule would pick; where no loop fits the layout they leave `dst` alone.
                    let mut small = init.clone();
                    if m > 0 && n > 0 && k > 0 {
                        if small::product_plain(&mut small, (m, n, accumulate), lhs, rhs) {
                            check(&small, "small path");
                        } else {
                            assert_eq!(small, init);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn f32_products_match_too() {
        let a: Vec<f32> = (0..12).map(|i| i as f32 * 0.5 - 2.0).collect();
        let b: Vec<f32> = (0..12).map(|i| 1.0 - i as f32 * 0.25).collect();
        let mut fast = vec![0.0f32; 9];
        let mut slow = vec![0.0f32; 9];
        matmul(
            &mut fast,
            3,
            3,
            false,
            View::row_major(&a, 3, 4),
            View::row_major(&b, 4, 3),
        );
        matmul_reference(
            &mut slow,
            3,
            3,
            false,
            View::row_major(&a, 3, 4),
            View::row_major(&b, 4, 3),
        );
        assert_eq!(fast, slow); // small integers and halves: exact in any order
    }
}
