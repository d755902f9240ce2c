//! `relulens kinks` and `relulens regions` on hand-made models and a PyTorch state dict.

use predicates::prelude::*;
use relulens::model::ModelInfo;
use relulens::nn::Dense;

mod common;
use common::{failure, json, relulens, save_relu_net, save_summing};

/// Saves a one-hidden-layer ReLU model and returns its path.
fn save(
    dir: &std::path::Path,
    name: &str,
    weight: Vec<f64>,
    bias: Vec<f64>,
    out: Vec<f64>,
) -> String {
    let (hidden, out) = (Dense::new(weight, bias), Dense::new(out, vec![0.0]));
    save_relu_net(
        dir,
        name,
        hidden.unwrap(),
        out.unwrap(),
        ModelInfo::default(),
    )
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

/// A model whose output sums its hidden units, with feature names.
fn save_named(dir: &std::path::Path, names: &[&str], weight: Vec<f64>, bias: Vec<f64>) -> String {
    save_summing(dir, "named.safetensors", names, weight, bias)
}

#[test]
fn values_that_start_with_a_minus_are_values() {
    let dir = tempfile::tempdir().unwrap();
    let model = save(
        dir.path(),
        "node.safetensors",
        vec![2.0, 3.0],
        vec![0.0],
        vec![1.0],
    );
    // 2A + 3B = 0 at A = 0 on the segment B = 0: one kink, half-way.
    let doc = json(&["kinks", &model, "--from", "-1,0", "--to", "1,0", "--json"]);
    assert_eq!(doc["kinks"], serde_json::json!([0.5]));
    let doc = json(&[
        "kinks", &model, "--from", "1,0", "--to", "-1,-0.5", "--json",
    ]);
    assert_eq!(doc["from"], serde_json::json!([1.0, 0.0]));
    let doc = json(&["regions", &model, "--bounds", "-1:1,-1:1", "--json"]);
    assert_eq!(doc["count"], 2);
    let doc = json(&[
        "regions",
        &model,
        "--bounds",
        "-1:1,-1:1",
        "--level",
        "-0.5",
        "--json",
    ]);
    // The node is never negative: no level set at -0.5.
    assert_eq!(doc["boundary_segments"], 0);
}

#[test]
fn regions_take_bounds_by_feature_name() {
    let dir = tempfile::tempdir().unwrap();
    let model = save_named(dir.path(), &["a", "b"], vec![2.0, 3.0], vec![0.0]);
    let doc = json(&["regions", &model, "--bounds", "a=-1:1,b=-1:1", "--json"]);
    assert_eq!(doc["count"], 2);
    assert_eq!(doc["bounds"], serde_json::json!([[-1.0, 1.0], [-1.0, 1.0]]));
    // b around -100 switches the node off. Without --x and --y, the features named are the axes
    // in the order given.
    let doc = json(&["regions", &model, "--bounds", "b=-101:-99,a=-1:1", "--json"]);
    assert_eq!(doc["count"], 1);
    assert_eq!(
        (doc["x"].as_str(), doc["y"].as_str()),
        (Some("b"), Some("a"))
    );
    assert_eq!(
        doc["bounds"],
        serde_json::json!([[-101.0, -99.0], [-1.0, 1.0]])
    );
    // With the axes given, the names only say which range is whose.
    let doc = json(&[
        "regions",
        &model,
        "--x",
        "a",
        "--y",
        "b",
        "--bounds",
        "b=-101:-99,a=-1:1",
        "--json",
    ]);
    assert_eq!(doc["x"], "a");
    assert_eq!(
        doc["bounds"],
        serde_json::json!([[-1.0, 1.0], [-101.0, -99.0]])
    );
    let model3 = {
        let d = dir.path().join("three");
        std::fs::create_dir(&d).unwrap();
        save_named(&d, &["a", "b", "c"], vec![2.0, 3.0, 1.0], vec![0.0])
    };
    let doc = json(&["regions", &model3, "--bounds", "c=0:1,b=0:1", "--json"]);
    assert_eq!(
        (doc["x"].as_str(), doc["y"].as_str()),
        (Some("c"), Some("b"))
    );
    let err = failure(&[
        "regions", &model3, "--x", "a", "--y", "b", "--bounds", "c=0:1",
    ]);
    assert!(err.contains("\"c\"") && err.contains("--at"), "{err}");
    let err = failure(&["regions", &model, "--bounds", "a=0:1,1:2"]);
    assert!(
        err.contains("X0:X1,Y0:Y1") && err.contains("FEATURE=LOW:HIGH"),
        "{err}"
    );
}

#[test]
fn bad_bounds_name_the_option_the_text_and_the_forms() {
    let dir = tempfile::tempdir().unwrap();
    let model = save_named(dir.path(), &["a", "b"], vec![2.0, 3.0], vec![0.0]);
    for bounds in ["1:x,0:1", "a=1:x,b=0:1"] {
        let err = failure(&["regions", &model, "--bounds", bounds]);
        assert!(
            err.contains("--bounds") && err.contains("\"x\"") && err.contains("X0:X1,Y0:Y1"),
            "{err}"
        );
        assert!(!err.contains("error: invalid float literal"), "{err}");
    }
    let err = failure(&["regions", &model, "--bounds", "0:1"]);
    assert!(err.contains("X0:X1,Y0:Y1"), "{err}");
}

#[test]
fn regions_default_the_other_axis_and_name_features_in_errors() {
    let dir = tempfile::tempdir().unwrap();
    let model = save_named(dir.path(), &["a", "b"], vec![2.0, 3.0], vec![0.0]);
    let doc = json(&["regions", &model, "--y", "a", "--json"]);
    assert_eq!(
        (doc["x"].as_str(), doc["y"].as_str()),
        (Some("b"), Some("a"))
    );
    let doc = json(&["regions", &model, "--x", "b", "--json"]);
    assert_eq!(
        (doc["x"].as_str(), doc["y"].as_str()),
        (Some("b"), Some("a"))
    );
    let err = failure(&["regions", &model, "--x", "b", "--y", "b"]);
    assert!(
        err.contains("\"b\"") && !err.contains("axes 1 and 1"),
        "{err}"
    );
}

#[test]
fn a_rectangle_too_small_to_resolve_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let model = save_named(dir.path(), &["a", "b"], vec![2.0, 3.0], vec![0.0]);
    let err = failure(&["regions", &model, "--bounds=0:1e-300,0:1e-300", "--json"]);
    assert!(err.contains("1e-300") && err.contains("too small"), "{err}");
    // Small but resolvable: a partition always has a region.
    let doc = json(&["regions", &model, "--bounds=0:1e-6,0:1e-6", "--json"]);
    assert_eq!(doc["count"], 1);
}

#[test]
fn a_level_must_be_finite() {
    let dir = tempfile::tempdir().unwrap();
    let model = save_named(dir.path(), &["a", "b"], vec![2.0, 3.0], vec![0.0]);
    for level in ["nan", "inf", "-inf"] {
        let err = failure(&["regions", &model, "--level", level]);
        assert!(err.contains("--level") && err.contains("finite"), "{err}");
    }
}
