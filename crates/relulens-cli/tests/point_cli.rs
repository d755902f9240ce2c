//! `relulens explain-point` and `relulens effect` on hand-made models whose answers are worked out
//! on paper.

use relulens::data::Task;
use relulens::model::ModelInfo;
use relulens::nn::Dense;
use serde_json::json;

mod common;
use common::{failure, json, save_relu_net, stdout};

/// Saves a one-hidden-layer ReLU model on inputs `a`, `b` and returns its path.
fn save(
    dir: &std::path::Path,
    name: &str,
    hidden: Dense<f64>,
    out: Dense<f64>,
    info: ModelInfo,
) -> String {
    let info = ModelInfo {
        feature_names: vec!["a".into(), "b".into()],
        ..info
    };
    save_relu_net(dir, name, hidden, out, info)
}

/// f(a, b) = 2·relu(a + b − 1) + relu(a − b). No training ranges, so each input's typical range is
/// [-1, 1] and kinks are searched within ±4 (twice its width).
fn two_units(dir: &std::path::Path) -> String {
    save(
        dir,
        "two.safetensors",
        Dense::new(vec![1.0, 1.0, 1.0, -1.0], vec![-1.0, 0.0]).unwrap(),
        Dense::new(vec![2.0, 1.0], vec![0.0]).unwrap(),
        ModelInfo::default(),
    )
}

/// Three outputs named after the penguins: Adelie = relu(a), Chinstrap = relu(b), Gentoo =
/// relu(a) + relu(b) − 1.
fn penguin_like(dir: &std::path::Path) -> String {
    save(
        dir,
        "three.safetensors",
        Dense::new(vec![1.0, 0.0, 0.0, 1.0], vec![0.0, 0.0]).unwrap(),
        Dense::new(vec![1.0, 0.0, 0.0, 1.0, 1.0, 1.0], vec![0.0, 0.0, -1.0]).unwrap(),
        ModelInfo {
            task: Some(Task::Multiclass),
            class_labels: vec!["Adelie".into(), "Chinstrap".into(), "Gentoo".into()],
            ..ModelInfo::default()
        },
    )
}

#[test]
fn explain_point_gives_the_outputs_slopes_units_and_nearest_kinks() {
    let dir = tempfile::tempdir().unwrap();
    let model = two_units(dir.path());
    // At (2, 1): a + b − 1 = 2 and a − b = 1, both units on: f = 2·2 + 1 = 5, ∂f/∂a = 2 + 1 = 3,
    // ∂f/∂b = 2 − 1 = 1. Along a (b = 1) the units switch at a = 0 and a = 1; along b (a = 2) at
    // b = −1 and b = 2.
    let doc = json(&["explain-point", &model, "--at", "a=2,b=1", "--json"]);
    assert_eq!(doc["point"], json!({"a": 2.0, "b": 1.0}));
    assert_eq!(doc["outputs"], json!([5.0]));
    assert_eq!(doc["gradient"], json!([{"a": 3.0, "b": 1.0}]));
    assert_eq!(doc["offset"], json!([-2.0]));
    assert_eq!(doc["pattern"], "11");
    assert_eq!(doc["active_per_layer"], json!([2]));
    assert_eq!(doc["units_per_layer"], json!([2]));
    assert_eq!(
        doc["nearest_kinks"],
        json!({"a": {"below": 1.0, "above": null}, "b": {"below": -1.0, "above": 2.0}})
    );
    assert_eq!(doc["search_radius"], json!({"a": 4.0, "b": 4.0}));

    let text = stdout(&["explain-point", &model, "--at", "a=2,b=1"]);
    for expected in [
        "at a=2, b=1:",
        "output = 5",
        "∂output/∂a = 3",
        "∂output/∂b = 1",
        "the slope holds for b from -1 to 2",
        // Nothing above a = 2 within the ±4 searched: the text says how far it looked.
        "the slope holds for a from 1 to beyond 6; no kink within +4",
        "hidden layer 1: 2 of 2 units on",
    ] {
        assert!(text.contains(expected), "{expected:?} not in\n{text}");
    }
}

#[test]
fn explain_point_searches_as_far_as_told() {
    let dir = tempfile::tempdir().unwrap();
    let model = two_units(dir.path());
    // At a = −5 both units are off along a until a = 0, beyond the default ±4.
    let doc = json(&["explain-point", &model, "--at", "a=-5,b=1", "--json"]);
    assert_eq!(
        doc["nearest_kinks"]["a"],
        json!({"below": null, "above": null})
    );
    let text = stdout(&["explain-point", &model, "--at", "a=-5,b=1"]);
    assert!(text.contains("no kink within ±4"), "{text}");
    let doc = json(&[
        "explain-point",
        &model,
        "--at",
        "a=-5,b=1",
        "--radius",
        "a=6",
        "--json",
    ]);
    assert_eq!(
        doc["nearest_kinks"]["a"],
        json!({"below": null, "above": 0.0})
    );
    assert_eq!(doc["search_radius"], json!({"a": 6.0, "b": 4.0}));
    // A bare number is every feature's radius.
    let doc = json(&[
        "explain-point",
        &model,
        "--at",
        "a=-5,b=1",
        "--radius",
        "10",
        "--json",
    ]);
    assert_eq!(doc["search_radius"], json!({"a": 10.0, "b": 10.0}));
    for (radius, message) in [
        ("a=0", "positive"),
        ("a=x", "\"x\""),
        ("c=1", "no feature \"c\""),
    ] {
        let err = failure(&["explain-point", &model, "--radius", radius]);
        assert!(err.contains("--radius") && err.contains(message), "{err}");
    }
}

#[test]
fn explain_point_refuses_a_point_too_far_to_resolve() {
    let dir = tempfile::tempdir().unwrap();
    let model = two_units(dir.path());
    let err = failure(&["explain-point", &model, "--at", "a=1e300"]);
    assert!(!err.contains("same point"), "{err}");
    assert!(err.contains("a=1e300") && err.contains("--radius"), "{err}");
    // Far, but with a radius that f64 can resolve there: fine.
    stdout(&[
        "explain-point",
        &model,
        "--at",
        "a=1e300",
        "--radius",
        "a=1e290",
    ]);
}

#[test]
fn explain_point_shows_every_output_by_class() {
    let dir = tempfile::tempdir().unwrap();
    let model = penguin_like(dir.path());
    // At (2, 3): Adelie 2, Chinstrap 3, Gentoo 4; slopes along a: 1, 0, 1; along b: 0, 1, 1.
    let text = stdout(&["explain-point", &model, "--at", "a=2,b=3"]);
    for expected in [
        "Adelie = 2",
        "Chinstrap = 3",
        "Gentoo = 4",
        "∂/∂a: Adelie 1, Chinstrap 0, Gentoo 1",
        "∂/∂b: Adelie 0, Chinstrap 1, Gentoo 1",
    ] {
        assert!(text.contains(expected), "{expected:?} not in\n{text}");
    }
    let doc = json(&["explain-point", &model, "--at", "a=2,b=3", "--json"]);
    assert_eq!(doc["outputs"], json!([2.0, 3.0, 4.0]));
    assert_eq!(
        doc["gradient"],
        json!([{"a": 1.0, "b": 0.0}, {"a": 0.0, "b": 1.0}, {"a": 1.0, "b": 1.0}])
    );
}

#[test]
fn kinks_show_every_output_by_class() {
    let dir = tempfile::tempdir().unwrap();
    let model = penguin_like(dir.path());
    // From (−1, 2) to (1, 2): relu(a) switches at a = 0 (t = 1/2).
    let text = stdout(&["kinks", &model, "--from", "-1,2", "--to", "1,2"]);
    for expected in [
        "1 kinks",
        "Adelie 0 → 0",
        "Chinstrap 2 → 2",
        "Gentoo 1 → 1",
        "Adelie 0 → 1",
        "Gentoo 1 → 2",
        "kink at t = 0.5 (a=0, b=2)",
    ] {
        assert!(text.contains(expected), "{expected:?} not in\n{text}");
    }
}

#[test]
fn effect_pieces_are_exact() {
    let dir = tempfile::tempdir().unwrap();
    let model = two_units(dir.path());
    // ∂f/∂a = 2·[b > −1] + [b < 2] at a = 2: 1 for b < −1, 3 between, 2 above 2.
    // The range as a separate argument that starts with a minus, and joined with `=`.
    for range in [&["--range", "-3:5"][..], &["--range=-3:5"][..]] {
        let mut args = vec![
            "effect", &model, "--of", "a", "--along", "b", "--at", "a=2", "--json",
        ];
        args.extend_from_slice(range);
        let doc = json(&args);
        assert_eq!(
            doc["pieces"],
            json!([
                {"from": -3.0, "to": -1.0, "effect": 1.0},
                {"from": -1.0, "to": 2.0, "effect": 3.0},
                {"from": 2.0, "to": 5.0, "effect": 2.0},
            ])
        );
        assert_eq!(doc["range"], json!([-3.0, 5.0]));
        assert_eq!(doc["of"], "a");
        assert_eq!(doc["along"], "b");
        assert_eq!(doc["output"], 0);
    }
    let text = stdout(&[
        "effect", &model, "--of", "a", "--along", "b", "--at", "a=2", "--range", "-3:5",
    ]);
    assert!(text.contains("b ∈ [-1, 2]: 3"), "{text}");
    // Without training ranges or a scaler the default range is [-1, 1]; at b = 0, ∂f/∂b =
    // 2·[a > 1] − [a > 0]: 0 up to a = 0, then −1.
    let doc = json(&[
        "effect", &model, "--of", "b", "--along", "a", "--at", "b=0", "--json",
    ]);
    assert_eq!(doc["range"], json!([-1.0, 1.0]));
    assert_eq!(
        doc["pieces"],
        json!([
            {"from": -1.0, "to": 0.0, "effect": 0.0},
            {"from": 0.0, "to": 1.0, "effect": -1.0},
        ])
    );
}

#[test]
fn effect_explains_bad_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let model = two_units(dir.path());
    let err = failure(&[
        "effect", &model, "--of", "a", "--along", "b", "--range", "x:1",
    ]);
    assert!(
        err.contains("--range") && err.contains("\"x\"") && err.contains("A:B"),
        "{err}"
    );
    let err = failure(&[
        "effect", &model, "--of", "a", "--along", "b", "--range", "1",
    ]);
    assert!(err.contains("--range") && err.contains("A:B"), "{err}");
    let err = failure(&["effect", &model, "--of", "c", "--along", "b"]);
    assert!(err.contains("no feature \"c\""), "{err}");
    let err = failure(&[
        "effect", &model, "--of", "a", "--along", "b", "--output", "1",
    ]);
    assert!(err.contains("--output 1"), "{err}");
}
