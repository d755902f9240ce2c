//! What the CLI test files share: running the binary, and saving hand-built one-hidden-layer ReLU
//! models whose answers can be worked out on paper.

// Each test file is its own crate and uses only some of these.
#![allow(dead_code)]

use assert_cmd::Command;
use relulens::activation::Activation;
use relulens::model::{Dtype, Model, ModelInfo};
use relulens::nn::{Dense, Mlp};

pub fn relulens() -> Command {
    Command::cargo_bin("relulens").expect("the binary is built")
}

/// The stdout of a run that must succeed.
pub fn stdout(args: &[&str]) -> String {
    let output = relulens().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "relulens {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// The stdout of a run that must succeed, read as one JSON object.
pub fn json(args: &[&str]) -> serde_json::Value {
    serde_json::from_str(&stdout(args)).expect("stdout is one JSON object")
}

/// The stderr of a run that must fail.
pub fn failure(args: &[&str]) -> String {
    let output = relulens().args(args).output().unwrap();
    assert!(
        !output.status.success(),
        "relulens {} succeeded",
        args.join(" ")
    );
    String::from_utf8(output.stderr).unwrap()
}

/// Saves relu(`hidden`) followed by `out` as `dir/name` (float64, described by `info`) and returns
/// its path.
pub fn save_relu_net(
    dir: &std::path::Path,
    name: &str,
    hidden: Dense<f64>,
    out: Dense<f64>,
    info: ModelInfo,
) -> String {
    let mlp = Mlp::new(
        vec![hidden, out],
        vec![Activation::Relu, Activation::Identity],
    )
    .unwrap();
    let model = Model::new(mlp, Dtype::F64, info).unwrap();
    let path = dir.join(name);
    relulens::io::save(&model, &path).unwrap();
    path.display().to_string()
}

/// Saves a one-hidden-layer ReLU model on inputs `names` whose output sums its hidden units.
pub fn save_summing(
    dir: &std::path::Path,
    name: &str,
    names: &[&str],
    weight: Vec<f64>,
    bias: Vec<f64>,
) -> String {
    let units = bias.len();
    save_relu_net(
        dir,
        name,
        Dense::new(weight, bias).unwrap(),
        Dense::new(vec![1.0; units], vec![0.0]).unwrap(),
        ModelInfo {
            feature_names: names.iter().map(|s| s.to_string()).collect(),
            ..ModelInfo::default()
        },
    )
}
