//! The `relulens` binary, run as a user would.

use assert_cmd::Command;
use predicates::prelude::*;

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

fn column(doc: &serde_json::Value, key: &str) -> Vec<f64> {
    doc["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p[key].as_f64().unwrap())
        .collect()
}

#[test]
fn relu_on_five_points() {
    let doc = json(&[
        "activation",
        "relu",
        "--from",
        "-2",
        "--to",
        "2",
        "--steps",
        "5",
        "--json",
    ]);
    assert_eq!(doc["activation"], "relu");
    assert_eq!(column(&doc, "x"), [-2.0, -1.0, 0.0, 1.0, 2.0]);
    assert_eq!(column(&doc, "value"), [0.0, 0.0, 0.0, 1.0, 2.0]);
    assert_eq!(column(&doc, "derivative"), [0.0, 0.0, 0.0, 1.0, 1.0]);
}

#[test]
fn leaky_relu_at_minus_two() {
    let doc = json(&[
        "activation",
        "leaky_relu",
        "--from",
        "-2",
        "--to",
        "2",
        "--steps",
        "5",
        "--json",
    ]);
    assert_eq!(doc["params"]["negative_slope"], 0.01);
    assert_eq!(column(&doc, "value")[0], -0.02);
    assert_eq!(column(&doc, "derivative")[0], 0.01);
}

#[test]
fn parameters_override_the_defaults() {
    let doc = json(&[
        "activation",
        "leaky_relu",
        "--param",
        "negative_slope=0.2",
        "--from",
        "-1",
        "--to",
        "1",
        "--steps",
        "3",
        "--json",
    ]);
    assert_eq!(doc["params"]["negative_slope"], 0.2);
    assert_eq!(column(&doc, "value"), [-0.2, 0.0, 1.0]);
    let doc = json(&[
        "activation",
        "softplus(beta=2)",
        "--param",
        "threshold=5",
        "--json",
    ]);
    assert_eq!(doc["params"]["beta"], 2.0);
    assert_eq!(doc["params"]["threshold"], 5.0);
}

#[test]
fn unknown_names_and_parameters_list_the_valid_ones() {
    relulens()
        .args(["activation", "swish"])
        .assert()
        .failure()
        .stderr(
            predicate::str::contains("unknown activation \"swish\"")
                .and(predicate::str::contains("relu, leaky_relu, relu6")),
        );
    relulens()
        .args(["activation", "elu", "--param", "slope=1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("valid parameters: alpha"));
    relulens()
        .args(["activation", "relu", "--param", "alpha"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("expected KEY=VALUE"));
}

#[test]
fn bad_grids_are_refused() {
    relulens()
        .args(["activation", "relu", "--steps", "1"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("--steps 1"));
    relulens()
        .args(["activation", "relu", "--from", "nan"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("finite"));
}

#[test]
fn the_table_is_readable() {
    relulens()
        .args([
            "activation",
            "relu",
            "--from",
            "-1",
            "--to",
            "1",
            "--steps",
            "3",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("derivative").and(predicate::str::contains("relu")));
}
