//! ReLU kernels against what memory allows: a plain copy of the same buffers, in the same run.
//!
//! `cargo bench -p relulens --bench activation`; `python3 bench/activation_table.py` turns the
//! results into the table in `bench/BENCHMARKS.md`.
//!
//! Throughput is counted in bytes moved, so the ratios compare bandwidth: forward and copy move 8
//! bytes per f32 element (read 4, write 4), backward and the two-input baseline 12.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use relulens::activation::{self, Activation};

fn input(n: usize) -> Vec<f32> {
    // Half negative, in an irregular pattern, so no branch predictor can learn it.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    (0..n)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 40) as f32 / (1u64 << 24) as f32 * 8.0 - 4.0
        })
        .collect()
}

fn sizes() -> [usize; 3] {
    [10_000, 1_000_000, 10_000_000]
}

fn relu(c: &mut Criterion) {
    let mut group = c.benchmark_group("relu_f32");
    group.sample_size(30);
    for n in sizes() {
        let x = input(n);
        let g = input(n);
        let mut out = vec![0.0f32; n];
        group.throughput(Throughput::Bytes((8 * n) as u64));
        group.bench_with_input(BenchmarkId::new("copy", n), &n, |b, _| {
            b.iter(|| out.copy_from_slice(black_box(&x)))
        });
        group.bench_with_input(BenchmarkId::new("forward", n), &n, |b, _| {
            b.iter(|| activation::forward(Activation::Relu, black_box(&x), &mut out).unwrap())
        });
        let mut buf = x.clone();
        group.bench_with_input(BenchmarkId::new("forward_inplace", n), &n, |b, _| {
            b.iter(|| activation::forward_inplace(Activation::Relu, black_box(&mut buf)))
        });
        group.throughput(Throughput::Bytes((12 * n) as u64));
        group.bench_with_input(BenchmarkId::new("add_baseline", n), &n, |b, _| {
            b.iter(|| {
                for ((o, &u), &v) in out.iter_mut().zip(black_box(&x)).zip(black_box(&g)) {
                    *o = u + v;
                }
            })
        });
        group.bench_with_input(BenchmarkId::new("backward", n), &n, |b, _| {
            b.iter(|| {
                activation::backward(Activation::Relu, black_box(&x), black_box(&g), &mut out)
                    .unwrap()
            })
        });
    }
    group.finish();
}

fn smooth(c: &mut Criterion) {
    let mut group = c.benchmark_group("smooth_f32");
    group.sample_size(20);
    let n = 1_000_000;
    let x = input(n);
    let mut out = vec![0.0f32; n];
    group.throughput(Throughput::Bytes((8 * n) as u64));
    group.bench_function("copy", |b| b.iter(|| out.copy_from_slice(black_box(&x))));
    for name in [
        "relu",
        "leaky_relu",
        "gelu",
        "gelu_tanh",
        "silu",
        "elu",
        "softplus",
        "mish",
    ] {
        let a: Activation = name.parse().unwrap();
        group.bench_function(name, |b| {
            b.iter(|| activation::forward(a, black_box(&x), &mut out).unwrap())
        });
    }
    group.finish();
}

criterion_group!(benches, relu, smooth);
criterion_main!(benches);
