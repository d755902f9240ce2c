//! The three matrix products of training, on the shapes relulens trains, through `gemm` (what
//! [`relulens::nn::matmul::matmul`] calls), faer's `matmul` and a plain triple loop, one thread each.
//!
//! `cargo bench -p relulens --bench matmul`; the table in `bench/BENCHMARKS.md` reports criterion's
//! median times from `target/criterion/matmul_f32/`.
//!
//! For a layer with input x (`[batch, in]`), weight W (`[out, in]`) and upstream gradient dz
//! (`[batch, out]`), all row-major:
//! - `forward`: x·Wᵀ, `[batch, out]` (W seen transposed);
//! - `weight_grad`: dzᵀ·x, `[out, in]` (dz seen transposed);
//! - `input_grad`: dz·W, `[batch, in]`.
//!
//! Every contestant overwrites its destination (relulens's forward accumulates onto the bias
//! instead, which costs the same). Throughput is counted in floating-point operations (2·m·n·k),
//! so criterion's "elem/s" reads as flop/s.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use faer::linalg::matmul::matmul as faer_matmul;
use faer::{Accum, MatMut, MatRef, Par};
use relulens::nn::matmul::{matmul, View};
use relulens::rng::Rng;

/// (batch, in, out): the layers of 2-16-16-1 at batch 32, 2-64-64-1 and 784-256-256-10 at 128.
const SHAPES: [(usize, usize, usize); 6] = [
    (32, 2, 16),
    (32, 16, 16),
    (128, 64, 64),
    (128, 784, 256),
    (128, 256, 256),
    (128, 256, 10),
];

#[derive(Debug, Clone, Copy, PartialEq)]
enum Product {
    Forward,
    WeightGrad,
    InputGrad,
}

impl Product {
    fn name(self) -> &'static str {
        match self {
            Product::Forward => "forward",
            Product::WeightGrad => "weight_grad",
            Product::InputGrad => "input_grad",
        }
    }
}

/// One layer's operands.
struct Layer {
    batch: usize,
    in_dim: usize,
    out_dim: usize,
    x: Vec<f32>,
    weight: Vec<f32>,
    dz: Vec<f32>,
}

impl Layer {
    fn new((batch, in_dim, out_dim): (usize, usize, usize), rng: &mut Rng) -> Self {
        let mut draw = |n: usize| (0..n).map(|_| rng.uniform(-1.0, 1.0) as f32).collect();
        Layer {
            batch,
            in_dim,
            out_dim,
            x: draw(batch * in_dim),
            weight: draw(out_dim * in_dim),
            dz: draw(batch * out_dim),
        }
    }

    /// (m, n, k) of the product: dst is m × n, the sum runs over k.
    fn dims(&self, product: Product) -> (usize, usize, usize) {
        let (b, i, o) = (self.batch, self.in_dim, self.out_dim);
        match product {
            Product::Forward => (b, o, i),
            Product::WeightGrad => (o, i, b),
            Product::InputGrad => (b, i, o),
        }
    }

    fn gemm(&self, product: Product, dst: &mut [f32]) {
        let (b, i, o) = (self.batch, self.in_dim, self.out_dim);
        let (lhs, rhs) = match product {
            Product::Forward => (
                View::row_major(&self.x, b, i),
                View::transposed(&self.weight, i, o),
            ),
            Product::WeightGrad => (
                View::transposed(&self.dz, o, b),
                View::row_major(&self.x, b, i),
            ),
            Product::InputGrad => (
                View::row_major(&self.dz, b, o),
                View::row_major(&self.weight, o, i),
            ),
        };
        let (m, n, _) = self.dims(product);
        matmul(dst, m, n, false, lhs, rhs);
    }

    fn faer(&self, product: Product, dst: &mut [f32]) {
        let (b, i, o) = (self.batch, self.in_dim, self.out_dim);
        let (m, n, _) = self.dims(product);
        let dst = MatMut::from_row_major_slice_mut(dst, m, n);
        let (lhs, rhs) = match product {
            Product::Forward => (
                MatRef::from_row_major_slice(&self.x, b, i),
                MatRef::from_row_major_slice(&self.weight, o, i).transpose(),
            ),
            Product::WeightGrad => (
                MatRef::from_row_major_slice(&self.dz, b, o).transpose(),
                MatRef::from_row_major_slice(&self.x, b, i),
            ),
            Product::InputGrad => (
                MatRef::from_row_major_slice(&self.dz, b, o),
                MatRef::from_row_major_slice(&self.weight, o, i),
            ),
        };
        faer_matmul(dst, Accum::Replace, lhs, rhs, 1.0, Par::Seq);
    }

    /// Each product written the way one would by hand: dot products where both operands run along
    /// the sum (forward), row updates (axpy) where the destination's rows are contiguous in the
    /// operands (the two gradients), so the inner loop vectorises without reassociating a sum.
    fn reference_loop(&self, product: Product, dst: &mut [f32]) {
        let (i_dim, o_dim) = (self.in_dim, self.out_dim);
        match product {
            Product::Forward => {
                for (x, row) in self.x.chunks_exact(i_dim).zip(dst.chunks_exact_mut(o_dim)) {
                    for (d, w) in row.iter_mut().zip(self.weight.chunks_exact(i_dim)) {
                        let mut sum = 0.0;
                        for (a, b) in x.iter().zip(w) {
                            sum += a * b;
                        }
                        *d = sum;
                    }
                }
            }
            Product::WeightGrad => {
                dst.fill(0.0);
                for (dz, x) in self.dz.chunks_exact(o_dim).zip(self.x.chunks_exact(i_dim)) {
                    for (&g, row) in dz.iter().zip(dst.chunks_exact_mut(i_dim)) {
                        for (d, &a) in row.iter_mut().zip(x) {
                            *d += g * a;
                        }
                    }
                }
            }
            Product::InputGrad => {
                for (dz, row) in self.dz.chunks_exact(o_dim).zip(dst.chunks_exact_mut(i_dim)) {
                    row.fill(0.0);
                    for (&g, w) in dz.iter().zip(self.weight.chunks_exact(i_dim)) {
                        for (d, &a) in row.iter_mut().zip(w) {
                            *d += g * a;
                        }
                    }
                }
            }
        }
    }
}

/// The three contestants agree (up to rounding) before any is timed.
fn check(layer: &Layer, product: Product) {
    let (m, n, k) = layer.dims(product);
    let mut want = vec![0.0; m * n];
    layer.reference_loop(product, &mut want);
    for f in [Layer::gemm, Layer::faer] {
        let mut got = vec![f32::NAN; m * n];
        f(layer, product, &mut got);
        for (g, w) in got.iter().zip(&want) {
            assert!(
                (g - w).abs() <= 1e-5 * k as f32 * (1.0 + w.abs()),
                "{m}×{n}×{k} {product:?}: {g} vs {w}"
            );
        }
    }
}

fn products(c: &mut Criterion) {
    let mut rng = Rng::new(3);
    let mut group = c.benchmark_group("matmul_f32");
    group.sample_size(30);
    for shape in SHAPES {
        let layer = Layer::new(shape, &mut rng);
        let (batch, in_dim, out_dim) = shape;
        for product in [Product::Forward, Product::WeightGrad, Product::InputGrad] {
            check(&layer, product);
            let (m, n, k) = layer.dims(product);
            let mut dst = vec![0.0f32; m * n];
            group.throughput(Throughput::Elements((2 * m * n * k) as u64));
            let id = |who: &str| {
                BenchmarkId::new(
                    format!("{}/{who}", product.name()),
                    format!("{batch}x{in_dim}x{out_dim}"),
                )
            };
            group.bench_function(id("gemm"), |b| {
                b.iter(|| black_box(&layer).gemm(product, black_box(&mut dst)))
            });
            group.bench_function(id("faer"), |b| {
                b.iter(|| black_box(&layer).faer(product, black_box(&mut dst)))
            });
            group.bench_function(id("loop"), |b| {
                b.iter(|| black_box(&layer).reference_loop(product, black_box(&mut dst)))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, products);
criterion_main!(benches);
