//! `relulens neuron`, `relulens interactions` and `relulens neurons` on hand-made models, with
//! numbers worked out on paper.

use predicates::prelude::*;
use relulens::activation::Activation;
use relulens::model::{Dtype, Model, ModelInfo};
use relulens::nn::{Dense, Mlp};
use serde_json::json;

mod common;
use common::{json, relulens, save_summing, stdout};

/// Saves a one-hidden-layer ReLU model whose output sums its hidden units.
fn save(dir: &std::path::Path, names: &[&str], weight: Vec<f64>, bias: Vec<f64>) -> String {
    save_summing(dir, "model.safetensors", names, weight, bias)
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn the_articles_node_prints_the_issues_numbers() {
    let args = [
        "neuron",
        "--weights",
        "A=2,B=3",
        "--bias",
        "0",
        "--at",
        "A=1,B=-100",
        "--json",
    ];
    let doc = json(&args);
    assert_eq!(doc["pre_activation"], json!(-298));
    assert_eq!(doc["output"], json!(0));
    assert_eq!(doc["active"], json!(false));
    assert_eq!(doc["contributions"], json!({"A": 2, "B": -300, "bias": 0}));
    assert_eq!(doc["gradient"], json!({"A": 0, "B": 0}));
    // 2·150 + 3·(−100) = 0 and 2·1 + 3·(−2/3) = 0: the values of A and B at the switch; A must
    // rise by 149 to reach it.
    assert_eq!(doc["switch_at"], json!({"A": 150, "B": -2.0 / 3.0}));
    assert_eq!(doc["change_to_switch"]["A"], json!(149));
    // Whole numbers print without a fraction, in the inputs' order.
    let text = stdout(&args);
    assert!(
        text.contains(
            r#""pre_activation":-298,"output":0,"active":false,"contributions":{"A":2,"B":-300,"bias":0},"gradient":{"A":0,"B":0},"switch_at":{"A":150,"B":-0.6666666666666666}"#
        ),
        "{text}"
    );
}

#[test]
fn the_node_in_text_and_its_errors() {
    relulens()
        .args(["neuron", "--weights", "A=2,B=3", "--at", "A=1,B=-100"])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("pre-activation -298 = 2 (A) - 300 (B) + 0 (bias): off").and(
                predicate::str::contains("on where A > 150 or B > -0.666667"),
            ),
        );
    relulens()
        .args([
            "neuron",
            "--weights",
            "A=1",
            "--bias",
            "-1",
            "--at",
            "A=-2",
            "--activation",
            "leaky_relu(negative_slope=0.5)",
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""output":-1.5"#));
    for (args, message) in [
        (vec!["--weights", "A=2,B=3", "--at", "A=1"], "missing B"),
        (
            vec!["--weights", "A=2", "--at", "A=1,C=2"],
            "no input \"C\"",
        ),
        (vec!["--weights", "A=x", "--at", "A=1"], "not a number"),
        (vec!["--weights", "A=1,A=2", "--at", "A=1"], "named twice"),
        (
            vec!["--weights", "A=1", "--at", "A=1", "--activation", "gelu"],
            "no switch at 0",
        ),
    ] {
        relulens()
            .arg("neuron")
            .args(&args)
            .assert()
            .failure()
            .stderr(predicate::str::contains(message));
    }
}

#[test]
fn interactions_of_an_and_gate_with_an_ignored_input() {
    // f = relu(a + b - 1); c has weight 0. The data: a, b on the grid {0, 1, 2}².
    let dir = tempfile::tempdir().unwrap();
    let model = save(
        dir.path(),
        &["a", "b", "c"],
        vec![1.0, 1.0, 0.0],
        vec![-1.0],
    );
    let mut csv = String::from("a,b,c\n");
    for (i, a) in [0, 1, 2].iter().enumerate() {
        for (j, b) in [0, 1, 2].iter().enumerate() {
            csv += &format!("{a},{b},{}\n", (i * 3 + j) as f64 * 0.7 - 2.0);
        }
    }
    let data = write(dir.path(), "grid.csv", &csv);
    let doc = json(&["interactions", &model, "--data", &data, "--json"]);
    assert_eq!(doc["rows_used"], json!(9));
    let by_h = doc["by_h"].as_array().unwrap();
    assert_eq!(by_h[0]["pair"], json!(["a", "b"]));
    // Computed independently in exact fractions: H² = 1/20, and the residual's root mean square
    // 2/9.
    let h2 = by_h[0]["h_squared"].as_f64().unwrap();
    assert!((h2 - 0.05).abs() < 1e-14, "{h2}");
    let size = by_h[0]["h_unnormalized"].as_f64().unwrap();
    assert!((size - 2.0 / 9.0).abs() < 1e-14, "{size}");
    // Along b over [0, 2], ∂f/∂a jumps by 1 at b = 1 - a only on the three rows with a = 0 (for
    // a = 1 the kink sits on the range's end, for a = 2 outside it): G = 1/3 each way, and the
    // strength ½(1/3·2 + 1/3·2) = 2/3.
    let g = by_h[0]["gradient"].as_array().unwrap();
    for v in g {
        assert!((v.as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-15);
    }
    let strength = by_h[0]["gradient_strength"].as_f64().unwrap();
    assert!((strength - 2.0 / 3.0).abs() < 1e-15);
    assert_eq!(doc["by_gradient"][0]["pair"], json!(["a", "b"]));
    for p in &by_h[1..] {
        // Zero up to rounding: the ignored input's partial dependence is a constant.
        assert!(p["h"].as_f64().unwrap() < 1e-12, "{p}");
        assert_eq!(p["gradient_strength"], json!(0.0), "{p}");
    }
    relulens()
        .args(["interactions", &model, "--data", &data])
        .assert()
        .success()
        .stdout(predicate::str::contains("a × b").and(predicate::str::contains("over 9 of 9")));
    relulens()
        .args(["interactions", &model, "--data", "height_weight"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("needs the features a, b, c"));
}

#[test]
fn neurons_dead_always_active_and_switching() {
    // Units: relu(-1) (no incoming weight), relu(x + y + 10), relu(x). No training ranges, so the
    // box is [-1, 1]² by default: a 2-D slice, analysed exactly.
    let dir = tempfile::tempdir().unwrap();
    let model = save(
        dir.path(),
        &["x", "y"],
        vec![0.0, 0.0, 1.0, 1.0, 1.0, 0.0],
        vec![-1.0, 10.0, 0.0],
    );
    let data = write(dir.path(), "rows.csv", "x,y\n1,1\n-1,0.5\n");
    let doc = json(&["neurons", &model, "--data", &data, "--json"]);
    assert_eq!(doc["rows"], json!(2));
    assert_eq!(doc["exact"], json!("slice"));
    assert_eq!(doc["linear_pieces"], json!(2));
    let unit = |layer: usize, unit: usize| json!({"layer_index": layer, "unit_index": unit});
    assert_eq!(doc["dead_on_data"], json!([unit(0, 0)]));
    assert_eq!(doc["always_active_on_data"], json!([unit(0, 1)]));
    assert_eq!(doc["dead_on_box"], json!([unit(0, 0)]));
    assert_eq!(doc["always_active_on_box"], json!([unit(0, 1)]));
    let units = doc["units"].as_array().unwrap();
    assert_eq!(units[2]["layer_index"], json!(0));
    assert_eq!(units[2]["unit_index"], json!(2));
    assert_eq!(units[0]["by_bounds"], json!("dead"));
    assert_eq!(units[0]["interval"], json!([-1.0, -1.0]));
    assert_eq!(units[1]["interval"], json!([8.0, 12.0]));
    assert_eq!(units[2]["rate"], json!(0.5));
    assert_eq!(units[2]["on_data"], json!("switching"));
    assert_eq!(units[2]["by_bounds"], json!("unknown"));
    assert_eq!(units[2]["exact"], json!("switching"));

    // With x in [2, 3] the third unit is always on; fixing y makes the box a segment.
    let doc = json(&[
        "neurons", &model, "--bounds", "x=2:3", "--at", "y=-4", "--json",
    ]);
    assert_eq!(doc["exact"], json!("segment"));
    assert_eq!(doc["always_active_on_box"], json!([unit(0, 1), unit(0, 2)]));
    assert_eq!(doc["rows"], json!(null));

    relulens()
        .args(["neurons", &model, "--data", &data])
        .assert()
        .success()
        .stdout(
            predicate::str::contains("dead (never active): hidden layer 1 unit 1")
                .and(predicate::str::contains("exact, 2 linear regions")),
        );
    relulens()
        .args(["neurons", &model, "--bounds", "x=3:2"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("low must not exceed high"));
}

#[test]
fn neurons_take_bounds_by_position_and_count_layers_from_one() {
    // Layer 1: relu(x), relu(-x); layer 2: relu(h1 + h2 - 5), dead while |x| < 5.
    let dir = tempfile::tempdir().unwrap();
    let mlp = Mlp::new(
        vec![
            Dense::new(vec![1.0, 0.0, -1.0, 0.0], vec![0.0, 0.0]).unwrap(),
            Dense::new(vec![1.0, 1.0], vec![-5.0]).unwrap(),
            Dense::new(vec![1.0], vec![0.0]).unwrap(),
        ],
        vec![Activation::Relu, Activation::Relu, Activation::Identity],
    )
    .unwrap();
    let info = ModelInfo {
        feature_names: vec!["x".into(), "y".into()],
        ..ModelInfo::default()
    };
    let path = dir.path().join("deep.safetensors");
    relulens::io::save(&Model::new(mlp, Dtype::F64, info).unwrap(), &path).unwrap();
    let model = path.display().to_string();
    // Every feature's range by position, and the same by name.
    let by_position = json(&["neurons", &model, "--bounds=-2:3,-1:1", "--json"]);
    let by_name = json(&["neurons", &model, "--bounds=x=-2:3,y=-1:1", "--json"]);
    assert_eq!(by_position, by_name);
    assert_eq!(
        by_position["bounds"],
        json!({"x": [-2.0, 3.0], "y": [-1.0, 1.0]})
    );
    assert_eq!(
        by_position["dead_on_box"],
        json!([{"layer_index": 1, "unit_index": 0}])
    );
    let text = stdout(&["neurons", &model, "--bounds=-2:3,-1:1"]);
    assert!(text.contains("dead: hidden layer 2 unit 1"), "{text}");
    assert!(!text.contains("layer 1 unit 0"), "{text}");
    // A positional list must give every feature; the forms are shown.
    let output = relulens()
        .args(["neurons", &model, "--bounds=-2:3"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    let err = String::from_utf8(output.stderr).unwrap();
    assert!(
        err.contains("--bounds") && err.contains("FEATURE=LOW:HIGH") && err.contains("2 features"),
        "{err}"
    );
    // explain-point numbers hidden layers the same way.
    let text = stdout(&["explain-point", &model, "--at", "x=1,y=0"]);
    assert!(
        text.contains("hidden layer 1: 1 of 2 units on")
            && text.contains("hidden layer 2: 0 of 1 units on"),
        "{text}"
    );
}
