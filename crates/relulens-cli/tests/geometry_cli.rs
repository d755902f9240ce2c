//! `relulens kinks` and `relulens regions` on hand-made models and a PyTorch state dict.

use assert_cmd::Command;
use predicates::prelude::*;
use relulens::activation::Activation;
use relulens::model::{Dtype, Model, ModelInfo};
use relulens::nn::{Dense, Mlp};

fn relulens() -> Command {
    Command::cargo_bin("relulens").expect("the binary is built")
}

fn json(args: &[&str]) -> serde_json::Value {
    let output = relulens().args(args).output().unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

/// Saves a one-hidden-layer ReLU model and returns its path.
fn save(
    dir: &std::path::Path,
    name: &str,
    weight: Vec<f64>,
    bias: Vec<f64>,
    out: Vec<f64>,
) -> String {
    let mlp = Mlp::new(
        vec![
            Dense::new(weight, bias).unwrap(),
            Dense::new(out, vec![0.0]).unwrap(),
        ],
        vec![Activation::Relu, Activation::Identity],
    )
    .unwrap();
    let model = Model::new(mlp, Dtype::F64, ModelInfo::default()).unwrap();
    let path = dir.join(name);
    relulens::io::save(&model, &path).unwrap();
    path.display().to_string()
}

#[test]
fn kinks_of_relu_7_plus_a() {
    let dir = tempfile::tempdir().unwrap();
    let model = save(
        dir.path(),
        "bias.safetensors",
        vec![1.0],
        vec![7.0],
        vec![1.0],
    );
    let doc = json(&["kinks", &model, "--from", "-10", "--to", "10", "--json"]);
    assert_eq!(doc["kinks"], serde_json::json!([0.15]));
    assert_eq!(doc["points"], serde_json::json!([[-7.0]]));
    let pieces = doc["pieces"].as_array().unwrap();
    assert_eq!(pieces.len(), 2);
    assert_eq!(pieces[0]["gradient"], serde_json::json!([[0.0]]));
    assert_eq!(pieces[1]["gradient"], serde_json::json!([[1.0]]));
    assert_eq!(pieces[0]["outputs_end"], serde_json::json!([0.0]));
    assert_eq!(pieces[1]["outputs_end"], serde_json::json!([17.0]));
    assert_eq!(pieces[0]["pattern"], "0");
    relulens()
        .args(["kinks", &model, "--from", "-10", "--to", "10"])
        .assert()
        .success()
        .stdout(predicate::str::contains("1 kinks").and(predicate::str::contains("x0=-7")));
}

#[test]
fn regions_of_the_articles_node() {
    let dir = tempfile::tempdir().unwrap();
    let model = save(
        dir.path(),
        "node.safetensors",
        vec![2.0, 3.0],
        vec![0.0],
        vec![1.0],
    );
    let doc = json(&["regions", &model, "--bounds=-1:1,-1:1", "--json"]);
    assert_eq!(doc["count"], 2);
    // B around -100 switches the node off: one region, A has no effect.
    let out = dir.path().join("off.json");
    let doc = json(&[
        "regions",
        &model,
        "--bounds=-1:1,-101:-99",
        "--json",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(doc["count"], 1);
    let full: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(
        full["regions"][0]["gradient"],
        serde_json::json!([[0.0, 0.0]])
    );
    assert_eq!(
        full["regions"][0]["jacobian"],
        serde_json::json!([[0.0, 0.0]])
    );
}

#[test]
fn a_pytorch_state_dict_works_directly() {
    let model = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../relulens/tests/fixtures/torch_sequential_f32.safetensors"
    );
    let doc = json(&[
        "regions",
        model,
        "--bounds=-20:20,-20:20",
        "--json",
        "--quiet",
    ]);
    assert!(doc["count"].as_u64().unwrap() > 1);
    assert!(
        doc["boundary_segments"].as_u64().unwrap() > 0,
        "three classes: an arg-max boundary"
    );
    let doc = json(&["kinks", model, "--from=-2,-2", "--to=2,2", "--json"]);
    assert_eq!(
        doc["pieces"].as_array().unwrap().len(),
        doc["kinks"].as_array().unwrap().len() + 1
    );
}

#[test]
fn bad_geometry_arguments_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let model = save(
        dir.path(),
        "m.safetensors",
        vec![2.0, 3.0],
        vec![0.0],
        vec![1.0],
    );
    relulens()
        .args(["kinks", &model, "--from", "1", "--to", "2"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("takes 2 inputs"));
    relulens()
        .args(["regions", &model, "--bounds=1:1,0:1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("low < high"));
    relulens()
        .args(["regions", &model, "--x", "height"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("no feature \"height\"")
                .and(predicate::str::contains("x0, x1")),
        );
    relulens()
        .args([
            "regions",
            &model,
            "--bounds=-1:1,-1:1",
            "--max-regions",
            "1",
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains("more than 1 linear regions"));
}
