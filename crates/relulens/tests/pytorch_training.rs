//! Agreement with PyTorch for training, through the committed fixture
//! `tests/fixtures/training.json`, written by `scripts/make_train_fixtures.py`.
//!
//! Each case is a small `nn.Sequential` MLP (ReLU, GELU or SiLU hidden layers, identity output) with
//! MSE, BCE-with-logits or cross-entropy loss (mean reduction) on a fixed batch. The test rebuilds
//! it with [`Mlp::new`] from PyTorch's initial weights, then checks
//! - the loss and the gradient of every parameter (`forward_cached`, [`Loss::evaluate`],
//!   `backward`);
//! - for each optimizer (Adam, Adam with L2 weight decay, AdamW, SGD with momentum, Nesterov SGD
//!   with weight decay, SGD with dampening and weight decay), five steps on the same batch: the loss
//!   before each step and every weight and bias after the last.
//!
//! The rule, for every number (`torch` is PyTorch's value, `ours` relulens's):
//!
//! |ours − torch| ≤ rel · max(|torch|, floor)
//!
//! with `rel` = 1e-5 for f32 and 1e-12 for f64, and `floor` = 1e-3 for both: values smaller than
//! 1e-3 in magnitude (gradients that are sums of cancelling terms, weights that pass close to 0)
//! are held to the absolute bound rel · 1e-3 rather than a relative one, which rounding in the last
//! bits of their summands would exceed. Rounding-level differences remain (PyTorch's kernels order
//! their sums and fuse their multiply-adds in their own way; relulens accumulates the loss in f64),
//! so the comparison is not bit for bit. Any difference in the update rules themselves (a missed
//! bias correction, decay applied to the wrong quantity, a momentum buffer started differently)
//! moves the numbers by far more than these bounds.
//!
//! Run with `--nocapture` to see the largest observed deviation, |ours − torch| / max(|torch|,
//! floor), for each check and dtype.

use std::collections::BTreeMap;

use relulens::activation::{Activation, Float};
use relulens::nn::{Dense, ForwardCache, Gradients, Mlp};
use relulens::train::{Loss, Optimizer, OptimizerConfig};
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    torch_version: String,
    steps: usize,
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    name: String,
    dtype: String,
    sizes: Vec<usize>,
    activation: String,
    loss_name: Loss,
    batch: usize,
    x: Vec<String>,
    target: Vec<String>,
    layers: Vec<Tensors>,
    loss: String,
    gradients: Vec<Tensors>,
    runs: Vec<Run>,
}

/// One layer's weight (`[out, in]`, row-major) and bias, or their gradients.
#[derive(Deserialize)]
struct Tensors {
    weight: Vec<String>,
    bias: Vec<String>,
}

#[derive(Deserialize)]
struct Run {
    optimizer: Settings,
    losses: Vec<String>,
    layers: Vec<Tensors>,
}

/// The optimizer's settings as the fixture names them.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(tag = "name", rename_all = "snake_case")]
enum Settings {
    Adam {
        lr: f64,
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
    },
    Adamw {
        lr: f64,
        beta1: f64,
        beta2: f64,
        eps: f64,
        weight_decay: f64,
    },
    Sgd {
        lr: f64,
        momentum: f64,
        dampening: f64,
        weight_decay: f64,
        nesterov: bool,
    },
}

impl Settings {
    fn config(self) -> OptimizerConfig {
        match self {
            Settings::Adam {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            } => OptimizerConfig::Adam {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            },
            Settings::Adamw {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            } => OptimizerConfig::AdamW {
                lr,
                beta1,
                beta2,
                eps,
                weight_decay,
            },
            Settings::Sgd {
                lr,
                momentum,
                dampening,
                weight_decay,
                nesterov,
            } => OptimizerConfig::Sgd {
                lr,
                momentum,
                dampening,
                weight_decay,
                nesterov,
            },
        }
    }

    /// A short label for the deviation table: `adam`, `adam+l2`, `adamw`, `sgd`, `sgd+nesterov`,
    /// `sgd+dampening`.
    fn label(self) -> &'static str {
        match self {
            Settings::Adam {
                weight_decay: 0.0, ..
            } => "adam",
            Settings::Adam { .. } => "adam+l2",
            Settings::Adamw { .. } => "adamw",
            Settings::Sgd { nesterov: true, .. } => "sgd+nesterov",
            Settings::Sgd { dampening, .. } if dampening != 0.0 => "sgd+dampening",
            Settings::Sgd { .. } => "sgd",
        }
    }
}

fn load() -> Fixture {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/training.json");
    let text = std::fs::read_to_string(path).expect("the fixture file is committed");
    serde_json::from_str(&text).expect("the fixture file is valid JSON")
}

/// The single tolerance rule of this file: |ours − torch| ≤ rel · max(|torch|, floor).
#[derive(Debug, Clone, Copy)]
struct Tolerance {
    rel: f64,
    floor: f64,
}

impl Tolerance {
    /// The deviation in units of `rel`'s denominator: |ours − torch| / max(|torch|, floor). The
    /// check passes when it is at most `rel`.
    fn deviation(self, ours: f64, torch: f64) -> f64 {
        (ours - torch).abs() / torch.abs().max(self.floor)
    }
}

trait FixtureFloat: Float {
    const TOLERANCE: Tolerance;
    fn from_hex(hex: &str) -> Self;
}

impl FixtureFloat for f32 {
    const TOLERANCE: Tolerance = Tolerance {
        rel: 1e-5,
        floor: 1e-3,
    };
    fn from_hex(hex: &str) -> Self {
        f32::from_le_bytes(decode(hex).try_into().expect("4 bytes"))
    }
}

impl FixtureFloat for f64 {
    const TOLERANCE: Tolerance = Tolerance {
        rel: 1e-12,
        floor: 1e-3,
    };
    fn from_hex(hex: &str) -> Self {
        f64::from_le_bytes(decode(hex).try_into().expect("8 bytes"))
    }
}

fn decode(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex digits"))
        .collect()
}

fn floats<T: FixtureFloat>(hex: &[String]) -> Vec<T> {
    hex.iter().map(|h| T::from_hex(h)).collect()
}

/// Collects disagreements and the largest deviation seen per (dtype, check).
#[derive(Default)]
struct Report {
    failures: Vec<String>,
    worst: BTreeMap<(&'static str, String), f64>,
    compared: usize,
}

impl Report {
    fn compare<T: FixtureFloat>(&mut self, check: &str, what: &str, ours: &[T], torch: &[T]) {
        assert_eq!(ours.len(), torch.len(), "{what}: lengths differ");
        let tolerance = T::TOLERANCE;
        let worst = self.worst.entry((T::NAME, check.to_string())).or_default();
        for (i, (&o, &t)) in ours.iter().zip(torch).enumerate() {
            let (o, t) = (o.to_f64(), t.to_f64());
            let deviation = tolerance.deviation(o, t);
            // NaN deviations fail and poison the maximum so they show in the table too.
            if deviation.is_nan() || deviation > *worst {
                *worst = deviation;
            }
            if deviation.is_nan() || deviation > tolerance.rel {
                self.failures.push(format!(
                    "{what}[{i}]: relulens {o:e}, torch {t:e} (deviation {deviation:.2e} > {:e})",
                    tolerance.rel
                ));
            }
        }
        self.compared += ours.len();
    }

    fn compare_layers<T: FixtureFloat>(
        &mut self,
        check: &str,
        what: &str,
        ours: impl IntoIterator<Item = (Vec<T>, Vec<T>)>,
        torch: &[Tensors],
    ) {
        let ours: Vec<_> = ours.into_iter().collect();
        assert_eq!(ours.len(), torch.len(), "{what}: layer counts differ");
        for (l, ((weight, bias), want)) in ours.iter().zip(torch).enumerate() {
            let name = format!("{what} layer {l} weight");
            self.compare(check, &name, weight, &floats::<T>(&want.weight));
            let name = format!("{what} layer {l} bias");
            self.compare(check, &name, bias, &floats::<T>(&want.bias));
        }
    }
}

fn build<T: FixtureFloat>(case: &Case) -> Mlp<T> {
    let hidden: Activation = case.activation.parse().expect("fixture activations parse");
    let layers: Vec<Dense<T>> = case
        .layers
        .iter()
        .map(|t| Dense::new(floats(&t.weight), floats(&t.bias)).expect("valid layer"))
        .collect();
    let mut activations = vec![hidden; layers.len()];
    *activations.last_mut().expect("at least one layer") = Activation::Identity;
    let mlp = Mlp::new(layers, activations).expect("valid network");
    assert_eq!(mlp.sizes(), case.sizes, "{}", case.name);
    mlp
}

/// The loss and the gradients at `mlp`'s current weights.
fn loss_and_gradients<T: FixtureFloat>(
    mlp: &Mlp<T>,
    loss: Loss,
    x: &[T],
    target: &[T],
    batch: usize,
    cache: &mut ForwardCache<T>,
    grads: &mut Gradients<T>,
) -> f64 {
    let output = mlp.forward_cached(x, batch, cache).unwrap().to_vec();
    let (value, grad_output) = loss
        .evaluate(&output, target, batch, mlp.out_dim())
        .unwrap();
    mlp.backward(x, cache, &grad_output, grads, None).unwrap();
    value
}

fn params<T: Float>(mlp: &Mlp<T>) -> Vec<(Vec<T>, Vec<T>)> {
    mlp.layers()
        .iter()
        .map(|l| (l.weight().to_vec(), l.bias().to_vec()))
        .collect()
}

fn check_case<T: FixtureFloat>(case: &Case, steps: usize, report: &mut Report) {
    let initial = build::<T>(case);
    let x: Vec<T> = floats(&case.x);
    let target: Vec<T> = floats(&case.target);
    let batch = case.batch;
    assert_eq!(x.len(), batch * initial.in_dim(), "{}", case.name);

    let mut cache = ForwardCache::default();
    let mut grads = Gradients::zeros_like(&initial);
    let value = loss_and_gradients(
        &initial,
        case.loss_name,
        &x,
        &target,
        batch,
        &mut cache,
        &mut grads,
    );
    // The loss is accumulated in f64; it is compared in the case's dtype, as PyTorch returns it.
    let value = T::from_f64(value);
    report.compare("loss", &case.name, &[value], &[T::from_hex(&case.loss)]);
    report.compare_layers(
        "gradients",
        &format!("{} gradient", case.name),
        grads
            .layers
            .iter()
            .map(|g| (g.weight.clone(), g.bias.clone())),
        &case.gradients,
    );

    assert_eq!(case.runs.len(), 6, "{}: six optimizer runs", case.name);
    for run in &case.runs {
        let label = run.optimizer.label();
        let config = run.optimizer.config();
        config.validate().expect("the fixture's settings are valid");
        let what = format!("{} {label}", case.name);
        let mut mlp = initial.clone();
        let mut optimizer = Optimizer::new(config, &mlp);
        let mut losses = Vec::with_capacity(steps);
        for _ in 0..steps {
            let value = loss_and_gradients(
                &mlp,
                case.loss_name,
                &x,
                &target,
                batch,
                &mut cache,
                &mut grads,
            );
            losses.push(T::from_f64(value));
            optimizer.step(&mut mlp, &grads).unwrap();
        }
        report.compare(
            "losses along the run",
            &format!("{what} losses"),
            &losses,
            &floats::<T>(&run.losses),
        );
        report.compare_layers(
            &format!("weights after {label}"),
            &format!("{what} after {steps} steps:"),
            params(&mlp),
            &run.layers,
        );
    }
}

#[test]
fn training_agrees_with_pytorch() {
    let fixture = load();
    assert!(!fixture.torch_version.is_empty());
    assert_eq!(fixture.steps, 5);
    let mut report = Report::default();
    for case in &fixture.cases {
        match case.dtype.as_str() {
            "f32" => check_case::<f32>(case, fixture.steps, &mut report),
            "f64" => check_case::<f64>(case, fixture.steps, &mut report),
            other => panic!("unknown dtype {other}"),
        }
    }

    // Every loss, both dtypes and a non-ReLU activation are exercised.
    let covered = |f: &dyn Fn(&Case) -> bool| fixture.cases.iter().any(f);
    for loss in [Loss::Mse, Loss::BceWithLogits, Loss::CrossEntropy] {
        assert!(covered(&|c| c.loss_name == loss), "no case for {loss:?}");
    }
    assert!(covered(&|c| c.dtype == "f32") && covered(&|c| c.dtype == "f64"));
    assert!(covered(&|c| c.activation != "relu"));
    assert!(report.compared > 2_500, "only {} numbers", report.compared);

    eprintln!(
        "largest deviation |ours - torch| / max(|torch|, floor), PyTorch {}:",
        fixture.torch_version
    );
    for ((dtype, check), worst) in &report.worst {
        eprintln!("  {dtype} {check:<28} {worst:.2e}");
    }
    assert!(
        report.failures.is_empty(),
        "{} disagreements with PyTorch {}, first ones:\n{}",
        report.failures.len(),
        fixture.torch_version,
        report.failures[..report.failures.len().min(40)].join("\n")
    );
}
