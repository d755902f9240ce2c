//! Matrix products on strided views, through the `gemm` crate, with a plain reference beside them.
//!
//! `gemm` (the engine underneath faer) packs and runs AVX2/AVX-512 micro-kernels chosen at run time;
//! `bench/BENCHMARKS.md` records why it was chosen over faer's matmul and a hand loop. Products run on
//! one thread, so training is reproducible bit for bit and the caller decides about parallelism.
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
        ] {
            let a = random(m * k, &mut rng);
            let at = random(m * k, &mut rng);
            let b = random(k * n, &mut rng);
            let bt = random(k * n, &mut rng);
            let init = random(m * n, &mut rng);
            for accumulate in [false, true] {
                for (lhs, rhs) in [
                    (View::row_major(&a, m, k), View::row_major(&b, k, n)),
                    (View::transposed(&at, m, k), View::row_major(&b, k, n)),
                    (View::row_major(&a, m, k), View::transposed(&bt, k, n)),
                ] {
                    let mut fast = init.clone();
                    let mut slow = init.clone();
                    matmul(&mut fast, m, n, accumulate, lhs, rhs);
                    matmul_reference(&mut slow, m, n, accumulate, lhs, rhs);
                    for (x, y) in fast.iter().zip(&slow) {
                        assert!(
                            (x - y).abs() <= 1e-12 * (1.0 + y.abs()) * k as f64,
                            "{m}×{n}×{k}"
                        );
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
