//! Products too small for `gemm`'s packing and dispatch to pay off, as plain loops that vectorise.
//!
//! A small network's training step is made of such products: a layer with two inputs multiplies
//! by a rank-2 matrix, a layer with one output is a matrix-vector product, and its gradients are
//! outer products or matrix-vector products again. `gemm` spends longer choosing and packing for
//! these than computing them. The loops here are chosen by the operands' layout so that the
//! innermost loop runs along contiguous memory: dst(i, ·) = Σₚ lhs(i, p)·rhs(p, ·) when rhs's rows
//! are contiguous (or copied so, when small), vectorised along the destination's rows; the same
//! loop on the transposed problem, dstᵀ = rhsᵀ·lhsᵀ, when lhs's columns are contiguous instead and
//! the destination is too narrow to vectorise along its rows (a weight gradient with two inputs).
//! Anything else (a matrix-vector product with the matrix's rows contiguous, the forward pass of a
//! layer with one output) stays with `gemm`: a dot-product loop here did not come out as 256-bit
//! code and was slower than `gemm` on it.
//!
//! Each element is summed along k in order from the first product, with fused multiply-adds, then
//! added to the destination when accumulating, so results are reproducible bit for bit on one
//! machine. The loops are compiled for
//! AVX2 and FMA and used only where the processor has both; elsewhere `gemm` runs every product.
//!
//! ```
//! use relulens::nn::matmul::{matmul, View};
//! // A rank-1 update, the input gradient of a layer with one output: [1; 2] · [1 2 … 8].
//! let row: Vec<f32> = (1..=8).map(|v| v as f32).collect();
//! let mut c = [0.0f32; 16];
//! matmul(&mut c, 2, 8, false, View::row_major(&[1.0, 2.0], 2, 1), View::row_major(&row, 1, 8));
//! assert_eq!(c[..8], row[..]);
//! assert_eq!(c[15], 16.0);
//! ```

use super::View;
use crate::activation::Float;

/// Products with at most this many multiply-adds (m·n·k) take the small path whatever their shape.
/// At 32×16×16 (8192, 2-16-16-1's hidden layer at batch 32) `gemm` and these loops were within
/// ±17% of each other, `gemm` ahead on the weight gradient, so that size stays with `gemm`.
pub(super) const SMALL: usize = 1 << 12;

/// Destination columns one pass keeps in registers: 64 `f32` sums are eight AVX2 registers, enough
/// independent chains to hide the latency of the multiply-add.
const WIDE: usize = 64;
/// The narrower pass for what is left of a row, one AVX2 register of `f32`.
const NARROW: usize = 8;
/// A right-hand side with at most this many elements whose rows are not contiguous is copied into
/// contiguous rows on the stack (a layer's weight seen transposed in the forward pass).
const PACK: usize = 256;

/// Whether a product of this shape takes the small path (where the processor allows it): few
/// multiply-adds, or a shape `gemm` handles badly at any size (k ≤ 4, a single row or column).
pub(super) fn is_small(m: usize, n: usize, k: usize) -> bool {
    k <= 4 || n == 1 || m == 1 || m.saturating_mul(n).saturating_mul(k) <= SMALL
}

/// `dst (+)= lhs · rhs` by the small path, when the processor has AVX2 and FMA and a loop fits the
/// layout; false, touching nothing, when `gemm` should run it instead. Shapes are checked by the
/// caller.
#[inline]
pub(super) fn product<T: Float>(
    dst: &mut [T],
    (m, n, accumulate): (usize, usize, bool),
    lhs: View<'_, T>,
    rhs: View<'_, T>,
) -> bool {
    #[cfg(target_arch = "x86_64")]
    if is_small(m, n, lhs.cols) && crate::activation::has_avx2() {
        // SAFETY: the processor was checked to have AVX2 and FMA just above.
        return unsafe { product_avx2(dst, (m, n, accumulate), lhs, rhs) };
    }
    let _ = (dst, m, n, accumulate, lhs, rhs);
    false
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
unsafe fn product_avx2<T: Float>(
    dst: &mut [T],
    (m, n, accumulate): (usize, usize, bool),
    lhs: View<'_, T>,
    rhs: View<'_, T>,
) -> bool {
    product_plain(dst, (m, n, accumulate), lhs, rhs)
}

/// The choice of loop, for any processor (the tests run it directly).
#[inline(always)]
pub(super) fn product_plain<T: Float>(
    dst: &mut [T],
    (m, n, accumulate): (usize, usize, bool),
    lhs: View<'_, T>,
    rhs: View<'_, T>,
) -> bool {
    let k = lhs.cols;
    if n >= NARROW {
        if rhs.col_stride == 1 {
            rows(
                dst,
                (n, 1),
                (m, n, k),
                accumulate,
                lhs,
                rhs.data,
                rhs.row_stride,
            );
            return true;
        }
        if k * n <= PACK {
            let mut packed = [T::ZERO; PACK];
            for (p, row) in packed.chunks_exact_mut(n).take(k).enumerate() {
                for (j, x) in row.iter_mut().enumerate() {
                    *x = rhs.at(p, j);
                }
            }
            rows(dst, (n, 1), (m, n, k), accumulate, lhs, &packed, n);
            return true;
        }
    }
    if m >= NARROW && lhs.row_stride == 1 {
        // dstᵀ = rhsᵀ · lhsᵀ, where lhsᵀ's rows are lhs's contiguous columns.
        let rhs_t = View {
            data: rhs.data,
            rows: n,
            cols: k,
            row_stride: rhs.col_stride,
            col_stride: rhs.row_stride,
        };
        rows(
            dst,
            (1, n),
            (n, m, k),
            accumulate,
            rhs_t,
            lhs.data,
            lhs.col_stride,
        );
        return true;
    }
    false
}

/// dst(i, j) (+)= Σₚ lhs(i, p)·rhs[p·rhs_stride + j] for i < m, j < n, p < k, where dst(i, j) is
/// `dst[i·dst_strides.0 + j·dst_strides.1]`. Sums run along p in order from the first product.
///
/// The destination is cut into tiles of R rows by W columns whose sums stay in registers while p
/// runs: 4 × 16 where there are four rows (eight AVX2 registers of `f32`, each reused by four
/// multiply-adds per loaded row of rhs), single rows 64 wide otherwise (still eight independent
/// chains, enough to hide the multiply-add's latency), and narrower tiles for the edges.
#[inline(always)]
fn rows<T: Float>(
    dst: &mut [T],
    dst_strides: (usize, usize),
    (m, n, k): (usize, usize, usize),
    accumulate: bool,
    lhs: View<'_, T>,
    rhs: &[T],
    rhs_stride: usize,
) {
    let operands = Operands {
        k,
        accumulate,
        lhs,
        rhs,
        rhs_stride,
        dst_strides,
    };
    let mut i = 0;
    while i + 4 <= m {
        row_block::<T, 4>(dst, &operands, i, n);
        i += 4;
    }
    while i < m {
        row_block::<T, 1>(dst, &operands, i, n);
        i += 1;
    }
}

/// Rows `i..i + R` of [`rows`], in tiles as wide as fit: 64 only for a single row (four rows of
/// 64 sums would not fit in the registers).
#[inline(always)]
fn row_block<T: Float, const R: usize>(dst: &mut [T], o: &Operands<'_, T>, i: usize, n: usize) {
    let mut j = 0;
    while R == 1 && j + WIDE <= n {
        tile::<T, R, WIDE>(dst, o, i, j);
        j += WIDE;
    }
    while j + 16 <= n {
        tile::<T, R, 16>(dst, o, i, j);
        j += 16;
    }
    while j + NARROW <= n {
        tile::<T, R, NARROW>(dst, o, i, j);
        j += NARROW;
    }
    while j < n {
        tile::<T, R, 1>(dst, o, i, j);
        j += 1;
    }
}

/// What every tile of one [`rows`] call reads.
struct Operands<'a, T> {
    k: usize,
    accumulate: bool,
    lhs: View<'a, T>,
    rhs: &'a [T],
    rhs_stride: usize,
    dst_strides: (usize, usize),
}

/// The R × W tile of [`rows`] at row `i`, column `j`. Written with constant-length index loops
/// over arrays: that is the form LLVM keeps in vector registers (iterator chains over the same
/// arrays came out as 128-bit or scalar code).
#[allow(clippy::needless_range_loop)] // the index loops are that form, on purpose
#[inline(always)]
fn tile<T: Float, const R: usize, const W: usize>(
    dst: &mut [T],
    o: &Operands<'_, T>,
    i: usize,
    j: usize,
) {
    let mut sums = [[T::ZERO; W]; R];
    for p in 0..o.k {
        let row: &[T; W] = o.rhs[p * o.rhs_stride + j..][..W]
            .try_into()
            .expect("a slice of W elements");
        for r in 0..R {
            let a = o.lhs.at(i + r, p);
            for c in 0..W {
                sums[r][c] = a.mul_add(row[c], sums[r][c]);
            }
        }
    }
    let (dst_rs, dst_cs) = o.dst_strides;
    for (r, sums) in sums.iter().enumerate() {
        let start = (i + r) * dst_rs + j * dst_cs;
        if dst_cs == 1 {
            let out: &mut [T; W] = (&mut dst[start..][..W])
                .try_into()
                .expect("a slice of W elements");
            for c in 0..W {
                out[c] = if o.accumulate {
                    out[c] + sums[c]
                } else {
                    sums[c]
                };
            }
        } else {
            for (c, &s) in sums.iter().enumerate() {
                let d = &mut dst[start + c * dst_cs];
                *d = if o.accumulate { *d + s } else { s };
            }
        }
    }
}
