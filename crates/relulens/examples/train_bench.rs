//! Training throughput: samples per second of Adam (lr 1e-3) on an `Mlp<f32>`, for
//! `bench/train_vs_torch.py`, which runs PyTorch on the same networks and prints the comparison.
//!
//! ```text
//! cargo build --release --example train_bench -p relulens
//! target/release/examples/train_bench --sizes 2,16,16,1 --batch 32 --steps 2000 --repeat 5
//! target/release/examples/train_bench --sizes 784,256,256,10 --batch 128 --steps 50 \
//!     --repeat 3 --task multiclass
//! ```
//!
//! Each repetition trains a freshly initialised network on a fixed random data set of
//! `steps × batch` rows for one epoch of [`fit`], so it takes exactly `steps` optimiser steps, each
//! a minibatch gather, `forward_cached`, the loss, `backward` and `Optimizer::step`. `fit` also
//! shuffles and, at the end of the epoch, evaluates the whole training set once; that end-to-end
//! cost is what `--mode fit` (the default) reports. `--mode steps` runs the same per-batch work in
//! a hand loop over contiguous minibatches, without the shuffle and the evaluation, as the PyTorch
//! script's loop does.
//!
//! `--flush-denormals` sets the processor's flush-to-zero and denormals-are-zero modes for the
//! whole process before anything runs, as `torch.set_flush_denormal(True)` does for PyTorch. It is
//! a measurement knob, not a recommendation: it changes results (subnormal numbers become 0) and
//! changing the floating-point environment is outside what Rust's compiler assumes. It shows what
//! subnormal arithmetic costs: Adam's moment estimates of parameters whose gradient stays exactly 0
//! (dead ReLU units) decay into the subnormal range and stay there, and every step then pays the
//! processor's slow path for them.
//!
//! Prints one JSON line: `{"samples_per_second_median": …, "runs": [samples/s of each repetition]}`.
//! Regression nets (one output) use [`Loss::Mse`], multiclass nets [`Loss::CrossEntropy`].

use std::process::ExitCode;
use std::time::Instant;

use relulens::nn::{ForwardCache, Gradients, Mlp, MlpConfig};
use relulens::rng::Rng;
use relulens::train::{fit, Loss, Optimizer, OptimizerConfig, Split, TrainConfig};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Mode {
    Fit,
    Steps,
}

#[derive(Debug)]
struct Args {
    sizes: Vec<usize>,
    batch: usize,
    steps: usize,
    repeat: usize,
    warmup: usize,
    loss: Loss,
    mode: Mode,
    seed: u64,
    flush_denormals: bool,
}

const USAGE: &str =
    "usage: train_bench [--sizes 2,16,16,1] [--batch 32] [--steps 200] [--repeat 3] \
[--warmup 1] [--task regression|multiclass] [--mode fit|steps] [--seed 0] [--flush-denormals]";

fn parse() -> Result<Args, String> {
    let mut args = Args {
        sizes: vec![2, 16, 16, 1],
        batch: 32,
        steps: 200,
        repeat: 3,
        warmup: 1,
        loss: Loss::Mse,
        mode: Mode::Fit,
        seed: 0,
        flush_denormals: false,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        if flag == "--help" || flag == "-h" {
            return Err(USAGE.into());
        }
        if flag == "--flush-denormals" {
            args.flush_denormals = true;
            continue;
        }
        let value = it
            .next()
            .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
        let number = |v: &str| v.parse::<usize>().map_err(|e| format!("{flag} {v:?}: {e}"));
        match flag.as_str() {
            "--sizes" => {
                args.sizes = value
                    .split(',')
                    .map(|s| number(s.trim()))
                    .collect::<Result<_, _>>()?
            }
            "--batch" => args.batch = number(&value)?,
            "--steps" => args.steps = number(&value)?,
            "--repeat" => args.repeat = number(&value)?,
            "--warmup" => args.warmup = number(&value)?,
            "--seed" => args.seed = number(&value)? as u64,
            "--task" => {
                args.loss = match value.as_str() {
                    "regression" => Loss::Mse,
                    "multiclass" => Loss::CrossEntropy,
                    _ => return Err(format!("--task {value:?}: regression or multiclass")),
                }
            }
            "--mode" => {
                args.mode = match value.as_str() {
                    "fit" => Mode::Fit,
                    "steps" => Mode::Steps,
                    _ => return Err(format!("--mode {value:?}: fit or steps")),
                }
            }
            _ => return Err(format!("unknown flag {flag}\n{USAGE}")),
        }
    }
    if args.batch == 0 || args.steps == 0 || args.repeat == 0 {
        return Err("--batch, --steps and --repeat must be at least 1".into());
    }
    Ok(args)
}

/// The fixed data set: inputs uniform in [-1, 1); targets normal values (regression) or uniform
/// class indices (multiclass).
fn data(args: &Args, in_dim: usize, out_dim: usize) -> (Vec<f32>, Vec<f32>) {
    let rows = args.steps * args.batch;
    let mut rng = Rng::new(args.seed.wrapping_add(1));
    let x = (0..rows * in_dim)
        .map(|_| rng.uniform(-1.0, 1.0) as f32)
        .collect();
    let y = match args.loss {
        Loss::CrossEntropy => (0..rows).map(|_| rng.below(out_dim) as f32).collect(),
        _ => (0..rows * out_dim).map(|_| rng.normal() as f32).collect(),
    };
    (x, y)
}

/// The per-batch work of `fit`, over contiguous minibatches.
fn steps(
    mlp: &mut Mlp<f32>,
    loss: Loss,
    x: &[f32],
    y: &[f32],
    batch: usize,
) -> relulens::Result<()> {
    let (in_dim, out_dim) = (mlp.in_dim(), mlp.out_dim());
    let per_row = loss.targets_per_row(out_dim);
    let mut optimizer = Optimizer::new(OptimizerConfig::adam(1e-3), mlp);
    let mut cache = ForwardCache::default();
    let mut grads = Gradients::zeros_like(mlp);
    let mut grad_out = Vec::new();
    for (xb, yb) in x
        .chunks_exact(batch * in_dim)
        .zip(y.chunks_exact(batch * per_row))
    {
        let output = mlp.forward_cached(xb, batch, &mut cache)?;
        grad_out.resize(output.len(), 0.0);
        loss.evaluate_into(output, yb, batch, out_dim, &mut grad_out)?;
        mlp.backward(xb, &cache, &grad_out, &mut grads, None)?;
        optimizer.step(mlp, &grads)?;
    }
    Ok(())
}

/// Sets MXCSR's flush-to-zero (bit 15) and denormals-are-zero (bit 6) flags for this thread.
#[cfg(target_arch = "x86_64")]
#[allow(deprecated)] // `_mm_setcsr` is deprecated because the compiler assumes the default mode.
fn flush_denormals() -> bool {
    // SAFETY: SSE is part of x86_64; the flags only change how subnormal numbers are rounded.
    unsafe {
        use std::arch::x86_64::{_mm_getcsr, _mm_setcsr};
        _mm_setcsr(_mm_getcsr() | 0x8040);
    }
    true
}

#[cfg(not(target_arch = "x86_64"))]
fn flush_denormals() -> bool {
    false
}

fn run(args: &Args) -> relulens::Result<Vec<f64>> {
    let config = MlpConfig::new(args.sizes.clone()).seed(args.seed);
    let fresh = config.init::<f32>()?;
    let (x, y) = data(args, fresh.in_dim(), fresh.out_dim());
    let rows = args.steps * args.batch;
    let train = TrainConfig {
        epochs: 1,
        batch_size: args.batch,
        optimizer: OptimizerConfig::adam(1e-3),
        seed: args.seed,
        early_stopping: None,
    };
    let mut runs = Vec::with_capacity(args.repeat);
    for i in 0..args.warmup + args.repeat {
        let mut mlp = fresh.clone();
        let start = Instant::now();
        match args.mode {
            Mode::Fit => {
                fit(
                    &mut mlp,
                    args.loss,
                    Split::new(&x, &y, rows)?,
                    None,
                    &train,
                    &mut |_| {},
                )?;
            }
            Mode::Steps => steps(&mut mlp, args.loss, &x, &y, args.batch)?,
        }
        let seconds = start.elapsed().as_secs_f64();
        std::hint::black_box(&mlp);
        if i >= args.warmup {
            runs.push(rows as f64 / seconds);
        }
    }
    Ok(runs)
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    }
}

fn main() -> ExitCode {
    let args = match parse() {
        Ok(args) => args,
        Err(message) => {
            eprintln!("{message}");
            return ExitCode::from(2);
        }
    };
    if args.flush_denormals && !flush_denormals() {
        eprintln!("--flush-denormals is only implemented on x86_64");
        return ExitCode::from(2);
    }
    match run(&args) {
        Ok(runs) => {
            let list: Vec<String> = runs.iter().map(|r| format!("{r:.1}")).collect();
            println!(
                "{{\"samples_per_second_median\": {:.1}, \"runs\": [{}]}}",
                median(&runs),
                list.join(", ")
            );
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::FAILURE
        }
    }
}
