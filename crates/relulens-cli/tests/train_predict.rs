//! `relulens train`, `predict` and `datasets`, run as a user would.
//!
//! Every test works in a fresh temporary directory, which is also the command's working directory,
//! so nothing is written anywhere else; the tests of bad input check that nothing is left behind.

use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::OnceLock;

use assert_cmd::Command;
use tempfile::TempDir;

/// How close `train --data height_weight --seed 0` must come to the set's Bayes accuracy.
const BAYES_GAP: f64 = 0.03;

fn relulens(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("relulens").expect("the binary is built");
    cmd.current_dir(dir);
    cmd
}

fn run(dir: &Path, args: &[&str]) -> Output {
    relulens(dir).args(args).output().unwrap()
}

/// Runs a command that must succeed and print one JSON object.
fn json(dir: &Path, args: &[&str]) -> serde_json::Value {
    let output = run(dir, args);
    assert!(
        output.status.success(),
        "relulens {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).expect("stdout is one JSON object")
}

fn number(doc: &serde_json::Value, pointer: &str) -> f64 {
    doc.pointer(pointer)
        .and_then(serde_json::Value::as_f64)
        .unwrap_or_else(|| panic!("{pointer} is not a number in {doc}"))
}

/// The names of the files in `dir`, sorted.
fn files(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A height_weight model, trained once (briefly) for the tests that only need some model.
fn model_bytes() -> &'static [u8] {
    static BYTES: OnceLock<Vec<u8>> = OnceLock::new();
    BYTES.get_or_init(|| {
        let dir = TempDir::new().unwrap();
        json(
            dir.path(),
            &[
                "train",
                "--data",
                "height_weight",
                "--epochs",
                "40",
                "--json",
                "--out",
                "m.st",
            ],
        );
        std::fs::read(dir.path().join("m.st")).unwrap()
    })
}

/// A fresh directory holding the shared model as `model.safetensors`.
fn dir_with_model() -> (TempDir, PathBuf) {
    let dir = TempDir::new().unwrap();
    let path = dir.path().join("model.safetensors");
    std::fs::write(&path, model_bytes()).unwrap();
    (dir, path)
}

/// Writes `files` into a fresh directory, runs `args` there, and checks that the command fails
/// without a panic, that stderr names the problem (contains every one of `needles`), and that the
/// directory holds only the files written.
fn refused(files_in: &[(&str, &[u8])], args: &[&str], needles: &[&str]) {
    let dir = TempDir::new().unwrap();
    for (name, bytes) in files_in {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let output = run(dir.path(), args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success(),
        "relulens {} succeeded",
        args.join(" ")
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "relulens {}: stderr lacks {needle:?}:\n{stderr}",
            args.join(" ")
        );
    }
    let mut expected: Vec<String> = files_in.iter().map(|(n, _)| n.to_string()).collect();
    expected.sort();
    assert_eq!(files(dir.path()), expected, "relulens {}", args.join(" "));
}

/// `train` on the CSV text `csv` (as data.csv), which must fail naming the problem.
fn train_refuses(csv: &str, extra: &[&str], needles: &[&str]) {
    let mut args = vec![
        "train",
        "--data",
        "data.csv",
        "--out",
        "m.safetensors",
        "-q",
    ];
    args.extend(extra);
    refused(&[("data.csv", csv.as_bytes())], &args, needles);
}

/// `train` on a built-in set with bad settings, which must fail naming the problem.
fn train_flags_refused(flags: &[&str], needles: &[&str]) {
    let mut args = vec!["train", "--data", "xor", "--out", "m.safetensors", "-q"];
    args.extend(flags);
    refused(&[], &args, needles);
}

#[test]
fn height_weight_comes_within_reach_of_the_bayes_accuracy() {
    let dir = TempDir::new().unwrap();
    let doc = json(
        dir.path(),
        &[
            "train",
            "--data",
            "height_weight",
            "--seed",
            "0",
            "--json",
            "--out",
            "m.safetensors",
        ],
    );
    let accuracy = number(&doc, "/validation/accuracy");
    let bayes = number(&doc, "/bayes_accuracy");
    assert!(
        (accuracy - bayes).abs() <= BAYES_GAP,
        "validation accuracy {accuracy}, Bayes accuracy {bayes}"
    );
    assert_eq!(doc["model"], "m.safetensors");
    assert_eq!(
        doc["features"],
        serde_json::json!(["height_cm", "weight_kg"])
    );
    assert!(dir.path().join("m.safetensors").is_file());
    assert_eq!(files(dir.path()), ["m.safetensors"]);
}

#[test]
fn training_stops_early_by_default_and_patience_zero_runs_every_epoch() {
    let dir = TempDir::new().unwrap();
    let run = |extra: &[&str]| {
        let mut args = vec!["train", "--data", "xor", "--json", "--quiet"];
        args.extend_from_slice(extra);
        json(dir.path(), &args)
    };
    let default = run(&["--epochs", "300"]);
    let epochs = number(&default, "/epochs");
    let best = number(&default, "/best_epoch");
    assert_eq!(default["stopped_early"], true, "{default}");
    // Stopped after 20 epochs without a better validation loss (epochs counted from 1).
    assert_eq!(epochs, best + 20.0, "{default}");
    let every = run(&["--patience", "0", "--epochs", "40"]);
    assert_eq!(every["stopped_early"], false, "{every}");
    assert_eq!(number(&every, "/epochs"), 40.0, "{every}");
}

#[test]
fn penguins_from_bill_and_flipper_length() {
    let dir = TempDir::new().unwrap();
    let doc = json(
        dir.path(),
        &[
            "train",
            "--data",
            "penguins",
            "--features",
            "bill_length_mm,flipper_length_mm",
            "--target",
            "species",
            "--json",
            "--out",
            "p.safetensors",
        ],
    );
    let accuracy = number(&doc, "/validation/accuracy");
    assert!(accuracy >= 0.9, "validation accuracy {accuracy}");
    assert_eq!(doc["task"], "multiclass");
}

#[test]
fn predict_gives_one_label_per_csv_row() {
    let (dir, _) = dir_with_model();
    // A short heavy person (BMI 49) and a tall light one (BMI 17), then two in between.
    let csv = "height_cm,weight_kg\n150,110\n190,60\n170,70\n180,95\n";
    std::fs::write(dir.path().join("people.csv"), csv).unwrap();
    let doc = json(
        dir.path(),
        &[
            "predict",
            "model.safetensors",
            "--data",
            "people.csv",
            "--json",
        ],
    );
    assert_eq!(doc["rows"], 4);
    assert_eq!(doc["classes"], serde_json::json!(["no", "yes"]));
    assert!(doc["accuracy"].is_null(), "no target column, no accuracy");
    let predictions = doc["predictions"].as_array().unwrap();
    assert_eq!(predictions.len(), 4);
    for p in predictions {
        assert!(["no", "yes"].contains(&p["prediction"].as_str().unwrap()));
        let sum: f64 = p["probabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_f64().unwrap())
            .sum();
        assert!((sum - 1.0).abs() < 1e-9);
    }
    assert_eq!(predictions[0]["prediction"], "yes");
    assert_eq!(predictions[1]["prediction"], "no");

    // Without --json: CSV with a header on stdout, one line per row, nothing else.
    let output = run(
        dir.path(),
        &["predict", "model.safetensors", "--data", "people.csv"],
    );
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(lines[0], "prediction,p_no,p_yes");
    assert!(lines[1].starts_with("yes,"), "{stdout}");
    assert!(lines[2].starts_with("no,"), "{stdout}");
    assert_eq!(files(dir.path()), ["model.safetensors", "people.csv"]);
}

#[test]
fn predict_reports_accuracy_where_the_answers_are_known() {
    let (dir, _) = dir_with_model();
    // A built-in set; seed 7 draws rows the model was not trained on.
    let doc = json(
        dir.path(),
        &[
            "predict",
            "model.safetensors",
            "--data",
            "height_weight",
            "--seed",
            "7",
            "--json",
        ],
    );
    assert_eq!(doc["rows"], 2000);
    let accuracy = number(&doc, "/accuracy");
    assert!(accuracy > 0.85, "accuracy {accuracy}");
    let output = run(
        dir.path(),
        &["predict", "model.safetensors", "--data", "height_weight"],
    );
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("accuracy on 2000 rows: "), "{stderr}");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout).lines().count(),
        2001
    );

    // A CSV with the model's target column, even of a single class.
    let labelled = "height_cm,weight_kg,elevated_risk\n150,110,yes\n190,60,no\n";
    let single = "height_cm,weight_kg,elevated_risk\n150,110,yes\n160,120,yes\n";
    let other = "height_cm,weight_kg,elevated_risk\n150,110,1\n190,60,0\n";
    for (name, text) in [("l.csv", labelled), ("s.csv", single), ("o.csv", other)] {
        std::fs::write(dir.path().join(name), text).unwrap();
    }
    let doc = json(
        dir.path(),
        &["predict", "model.safetensors", "--data", "l.csv", "--json"],
    );
    assert_eq!(doc["accuracy"], 1.0);
    let doc = json(
        dir.path(),
        &["predict", "model.safetensors", "--data", "s.csv", "--json"],
    );
    assert_eq!(doc["accuracy"], 1.0);
    // Labels the model does not know give no accuracy, and a note that says why.
    let output = run(
        dir.path(),
        &["predict", "model.safetensors", "--data", "o.csv"],
    );
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("labels the model does not know (0, 1)"),
        "{stderr}"
    );
}

#[test]
fn datasets_lists_the_eight_built_in_sets() {
    let dir = TempDir::new().unwrap();
    let doc = json(dir.path(), &["datasets", "--json"]);
    let sets = doc["datasets"].as_array().unwrap();
    let names: Vec<&str> = sets.iter().map(|d| d["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "xor",
            "circles",
            "moons",
            "spiral",
            "gaussians",
            "sine",
            "height_weight",
            "penguins"
        ]
    );
    let height_weight = &sets[6];
    let bayes = number(height_weight, "/bayes_accuracy");
    assert!((0.5..1.0).contains(&bayes), "{bayes}");
    assert_eq!(height_weight["features"], 2);
    assert_eq!(height_weight["task"], "binary");
    assert!(sets[7]["bayes_accuracy"].is_null(), "unknown for real data");

    let output = run(dir.path(), &["datasets"]);
    assert!(output.status.success());
    let table = String::from_utf8(output.stdout).unwrap();
    assert_eq!(table.lines().count(), 9, "a header and eight sets");
    assert!(names.iter().all(|n| table.contains(n)));
    assert!(files(dir.path()).is_empty());
}

/// 40 rows of `x,y,side` with side "left" where x < y: a user's own CSV.
fn two_feature_csv(header: &str) -> String {
    let mut text = format!("{header}\n");
    for i in 0..40 {
        let x = f64::from(i % 8) - 3.5;
        let y = f64::from((i * 3) % 7) - 3.0;
        let side = if x < y { "left" } else { "right" };
        text += &format!("{x},{y},{side}\n");
    }
    text
}

#[test]
fn train_on_a_user_csv_takes_the_last_column_as_the_target() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("sides.csv"), two_feature_csv("x,y,side")).unwrap();
    let doc = json(
        dir.path(),
        &[
            "train",
            "--data",
            "sides.csv",
            "--epochs",
            "100",
            "--json",
            "--out",
            "sides.safetensors",
        ],
    );
    assert_eq!(doc["dataset"], "sides");
    assert_eq!(doc["features"], serde_json::json!(["x", "y"]));
    assert_eq!(doc["task"], "binary");
    assert!(doc["bayes_accuracy"].is_null());
    // Its predictions on its own file know the target column, so they come with an accuracy.
    let doc = json(
        dir.path(),
        &[
            "predict",
            "sides.safetensors",
            "--data",
            "sides.csv",
            "--json",
        ],
    );
    assert_eq!(doc["classes"], serde_json::json!(["left", "right"]));
    assert!(number(&doc, "/accuracy") >= 0.9, "{doc}");
    assert_eq!(files(dir.path()), ["sides.csv", "sides.safetensors"]);
}

#[test]
fn the_default_target_is_the_whole_last_column_even_when_quoted() {
    let dir = TempDir::new().unwrap();
    let csv = two_feature_csv("x,y,\"side, final\"").replace('\n', "\r\n");
    std::fs::write(dir.path().join("q.csv"), csv).unwrap();
    let doc = json(
        dir.path(),
        &[
            "train", "--data", "q.csv", "--epochs", "2", "--json", "--out", "q.st",
        ],
    );
    assert_eq!(doc["features"], serde_json::json!(["x", "y"]));
}

#[test]
fn missing_values_are_refused_or_dropped_on_request() {
    let csv = "a,b,label\n1,2,x\n3,NA,y\n5,6,x\n7,8,y\n9,10,x\n";
    train_refuses(
        csv,
        &[],
        &[
            "data.csv",
            "line 3",
            "column \"b\"",
            "\"NA\"",
            "--drop-missing",
        ],
    );
    // A missing target cell would otherwise become a class of its own.
    let target = "a,b,label\n1,2,x\n3,4,\n5,6,x\n7,8,y\n9,10,y\n";
    train_refuses(
        target,
        &[],
        &[
            "target column \"label\"",
            "missing values",
            "--drop-missing",
        ],
    );
    for text in [csv, target] {
        let dir = TempDir::new().unwrap();
        std::fs::write(dir.path().join("data.csv"), text).unwrap();
        let doc = json(
            dir.path(),
            &[
                "train",
                "--data",
                "data.csv",
                "--drop-missing",
                "--validation",
                "0",
                "--epochs",
                "2",
                "--json",
                "--out",
                "m.st",
            ],
        );
        assert_eq!(doc["rows"]["train"], 4);
        assert_eq!(doc["task"], "binary");
    }
}

#[test]
fn bad_csv_files_are_refused_with_where_and_what() {
    let good = "a,b,label\n1,2,x\n3,4,y\n5,6,x\n";
    train_refuses(
        good,
        &["--target", "class"],
        &[
            "data.csv",
            "no column \"class\"",
            "available columns: a, b, label",
        ],
    );
    train_refuses(
        good,
        &["--features", "a,c"],
        &["no column \"c\"", "available columns: a, b, label"],
    );
    train_refuses(
        "a,b,label\n1,2,x\n3,oops,y\n5,6,x\n",
        &[],
        &["data.csv", "line 3", "column \"b\"", "\"oops\""],
    );
    for cell in ["nan", "inf", "-inf", "NaN"] {
        let csv = format!("a,b,label\n1,2,x\n3,4,y\n5,{cell},x\n");
        let needles = ["data.csv", "line 4", "column \"b\""];
        train_refuses(&csv, &[], &needles);
    }
    train_refuses(
        "a,b,label\n1,2,x\n3,y\n5,6,x\n",
        &[],
        &["data.csv", "line 3", "expected 3 fields, got 2"],
    );
    train_refuses("a,b,label\n", &[], &["data.csv", "no data rows"]);
    train_refuses("", &[], &["data.csv", "no header row"]);
    train_refuses(
        "a,b,label\n1,2,x\n3,4,x\n",
        &[],
        &["data.csv", "target column \"label\"", "single class \"x\""],
    );
    train_refuses(
        "a,b,label\n1,2,x\n3,4,y\n5,6,z\n",
        &["--task", "binary"],
        &["3 classes (x, y, z)", "binary"],
    );
    train_refuses(
        good,
        &["--task", "sideways"],
        &["unknown task \"sideways\""],
    );
}

#[test]
fn bad_settings_are_refused_before_training() {
    refused(
        &[],
        &[
            "train",
            "--data",
            "nosuchfile.csv",
            "--out",
            "m.safetensors",
        ],
        &["nosuchfile.csv", "no such file", "height_weight, penguins"],
    );
    train_flags_refused(
        &["--activation", "swish"],
        &["unknown activation \"swish\"", "relu, leaky_relu"],
    );
    train_flags_refused(
        &["--optimizer", "rmsprop"],
        &["unknown optimizer \"rmsprop\"", "adam"],
    );
    train_flags_refused(&["--hidden", "0"], &["--hidden 0", "at least 1 unit"]);
    train_flags_refused(&["--hidden", "16,0"], &["--hidden 16,0", "at least 1 unit"]);
    // Refused before any memory is asked for: 10^10 parameters would need 40 GB.
    train_flags_refused(
        &["--hidden", "100000,100000"],
        &["2-100000-100000-1", "parameters", "limit"],
    );
    train_flags_refused(&["--lr", "-1"], &["lr = -1", "positive"]);
    train_flags_refused(&["--lr", "nan"], &["positive"]);
    train_flags_refused(&["--epochs", "0"], &["epochs = 0"]);
    train_flags_refused(&["--batch-size", "0"], &["batch size = 0"]);
    train_flags_refused(&["--validation", "1"], &["validation fraction 1"]);
    train_flags_refused(&["--validation", "-0.5"], &["validation fraction -0.5"]);
    train_flags_refused(&["--target", "label"], &["--target \"label\"", "xor"]);
    train_flags_refused(&["--features", "x1,z"], &["no feature \"z\"", "x1, x2"]);
}

#[test]
fn a_failed_save_leaves_nothing_behind() {
    // The missing directory is noticed before training, and nothing is created.
    refused(
        &[],
        &[
            "train",
            "--data",
            "xor",
            "--epochs",
            "2",
            "--out",
            "sub/m.safetensors",
        ],
        &["sub/m.safetensors", "directory", "does not exist"],
    );
    let dir = TempDir::new().unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let output = run(
        dir.path(),
        &["train", "--data", "xor", "--epochs", "2", "--out", "sub"],
    );
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("is a directory"));
    assert_eq!(files(dir.path()), ["sub"]);
    assert!(files(&dir.path().join("sub")).is_empty());
}

#[test]
fn bad_model_files_are_refused_naming_the_file() {
    let bytes = model_bytes();
    let csv: &[u8] = b"height_cm,weight_kg\n160,55\n";
    let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    // Cut inside the JSON header, and inside the tensor data.
    for cut in [1000, 8 + header_len + 100] {
        refused(
            &[("cut.safetensors", &bytes[..cut]), ("p.csv", csv)],
            &["predict", "cut.safetensors", "--data", "p.csv"],
            &["cut.safetensors", "truncated"],
        );
    }
    refused(
        &[("cut.safetensors", &bytes[..5]), ("p.csv", csv)],
        &["predict", "cut.safetensors", "--data", "p.csv"],
        &["cut.safetensors", "5 bytes long"],
    );
    refused(
        &[
            ("notes.safetensors", b"these are my notes, not a model\n"),
            ("p.csv", csv),
        ],
        &["predict", "notes.safetensors", "--data", "p.csv"],
        &["notes.safetensors", "not a valid safetensors file"],
    );
    refused(
        &[("p.csv", csv)],
        &["predict", "missing.safetensors", "--data", "p.csv"],
        &["missing.safetensors"],
    );
}

#[test]
fn predict_refuses_data_that_does_not_fit_the_model() {
    let model = model_bytes();
    let with = |name: &'static str, text: &'static str| -> Vec<(&'static str, &'static [u8])> {
        vec![("m.safetensors", model), (name, text.as_bytes())]
    };
    refused(
        &with("p.csv", "height_cm,age\n160,40\n"),
        &["predict", "m.safetensors", "--data", "p.csv"],
        &[
            "p.csv",
            "no column \"weight_kg\"",
            "available columns: height_cm, age",
            "height_cm, weight_kg",
        ],
    );
    refused(
        &with("p.csv", "height_cm,weight_kg\n160,55\n170,NA\n"),
        &["predict", "m.safetensors", "--data", "p.csv"],
        &[
            "p.csv",
            "line 3",
            "column \"weight_kg\"",
            "missing value \"NA\"",
            "fill in or delete",
        ],
    );
    refused(
        &with("p.csv", "height_cm,weight_kg\n160,55\n170,seventy\n"),
        &["predict", "m.safetensors", "--data", "p.csv", "--json"],
        &["p.csv", "line 3", "column \"weight_kg\"", "\"seventy\""],
    );
    refused(
        &with("p.csv", "height_cm,weight_kg\n"),
        &["predict", "m.safetensors", "--data", "p.csv"],
        &["p.csv", "no data rows"],
    );
    refused(
        &with("p.csv", "height_cm,weight_kg\n160,55\n"),
        &["predict", "m.safetensors", "--data", "nosuchfile.csv"],
        &["nosuchfile.csv", "no such file"],
    );
    refused(
        &with("p.csv", "height_cm,weight_kg\n160,55\n"),
        &["predict", "m.safetensors", "--data", "penguins"],
        &["no feature \"height_cm\"", "bill_length_mm"],
    );
}

#[test]
fn training_is_reproducible_to_the_byte() {
    let dir = TempDir::new().unwrap();
    let train = |out: &str| {
        let mut doc = json(
            dir.path(),
            &[
                "train", "--data", "moons", "--seed", "3", "--epochs", "20", "--json", "--out", out,
            ],
        );
        let object = doc.as_object_mut().unwrap();
        // Only the wall-clock time and the file name may differ.
        assert!(object.remove("seconds").is_some());
        assert_eq!(object.remove("model").unwrap(), out);
        doc
    };
    let first = train("a.safetensors");
    let second = train("b.safetensors");
    assert_eq!(first, second);
    assert!(first["validation"]["accuracy"].is_number());
    let a = std::fs::read(dir.path().join("a.safetensors")).unwrap();
    let b = std::fs::read(dir.path().join("b.safetensors")).unwrap();
    assert!(a == b, "the two model files differ");
}

/// A PyTorch-style state dict with no relulens metadata: `Sequential(Linear(2, 2), ReLU(),
/// Linear(2, 1))` computing relu(x0) − relu(x1), in F32.
fn plain_state_dict() -> Vec<u8> {
    let tensors: [(&str, &[usize], &[f32]); 4] = [
        ("0.weight", &[2, 2], &[1.0, 0.0, 0.0, 1.0]),
        ("0.bias", &[2], &[0.0, 0.0]),
        ("2.weight", &[1, 2], &[1.0, -1.0]),
        ("2.bias", &[1], &[0.0]),
    ];
    let mut header = serde_json::Map::new();
    let mut data = Vec::new();
    for (name, shape, values) in tensors {
        let start = data.len();
        for v in values {
            data.extend_from_slice(&v.to_le_bytes());
        }
        header.insert(
            name.to_string(),
            serde_json::json!({"dtype": "F32", "shape": shape, "data_offsets": [start, data.len()]}),
        );
    }
    let header = serde_json::Value::Object(header).to_string();
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(&data);
    bytes
}

#[test]
fn a_state_dict_of_unknown_task_predicts_raw_outputs() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("plain.safetensors"), plain_state_dict()).unwrap();
    std::fs::write(dir.path().join("p.csv"), "x0,x1\n3,1\n-1,2\n").unwrap();
    // relu(3) − relu(1) = 2 and relu(−1) − relu(2) = −2, printed as they are.
    let output = run(
        dir.path(),
        &["predict", "plain.safetensors", "--data", "p.csv"],
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(String::from_utf8_lossy(&output.stdout), "output\n2\n-2\n");
    assert!(String::from_utf8_lossy(&output.stderr).contains("--task"));
    let doc = json(
        dir.path(),
        &["predict", "plain.safetensors", "--data", "p.csv", "--json"],
    );
    assert_eq!(doc["predictions"][0], serde_json::json!({"outputs": [2.0]}));
    assert_eq!(doc["classes"], serde_json::json!([]));
    // Told it is a binary classifier, the output is a logit.
    let doc = json(
        dir.path(),
        &[
            "predict",
            "plain.safetensors",
            "--data",
            "p.csv",
            "--task",
            "binary",
            "--json",
        ],
    );
    assert_eq!(doc["classes"], serde_json::json!(["0", "1"]));
    assert_eq!(doc["predictions"][0]["prediction"], "1");
    assert_eq!(doc["predictions"][1]["prediction"], "0");
    let p = doc["predictions"][0]["probabilities"][1].as_f64().unwrap();
    assert!((p - 1.0 / (1.0 + (-2.0f64).exp())).abs() < 1e-12, "{p}");
    let doc = json(
        dir.path(),
        &[
            "predict",
            "plain.safetensors",
            "--data",
            "p.csv",
            "--task",
            "regression",
            "--json",
        ],
    );
    assert_eq!(
        doc["predictions"][1],
        serde_json::json!({"prediction": -2.0})
    );
}

#[test]
fn a_task_that_contradicts_the_model_is_refused() {
    let plain = plain_state_dict();
    let csv: &[u8] = b"x0,x1\n3,1\n";
    refused(
        &[("plain.safetensors", &plain), ("p.csv", csv)],
        &[
            "predict",
            "plain.safetensors",
            "--data",
            "p.csv",
            "--task",
            "multiclass",
        ],
        &["--task multiclass", "1 output"],
    );
    let torch = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../relulens/tests/fixtures/torch_sequential_f32.safetensors"),
    )
    .unwrap();
    refused(
        &[("torch.safetensors", &torch), ("p.csv", csv)],
        &[
            "predict",
            "torch.safetensors",
            "--data",
            "p.csv",
            "--task",
            "binary",
        ],
        &["--task binary", "3 outputs"],
    );
    refused(
        &[
            ("m.safetensors", model_bytes()),
            ("p.csv", b"height_cm,weight_kg\n160,55\n"),
        ],
        &[
            "predict",
            "m.safetensors",
            "--data",
            "p.csv",
            "--task",
            "regression",
        ],
        &["--task regression", "binary"],
    );
    refused(
        &[
            ("m.safetensors", model_bytes()),
            ("p.csv", b"height_cm,weight_kg\n160,55\n"),
        ],
        &[
            "predict",
            "m.safetensors",
            "--data",
            "p.csv",
            "--task",
            "ternary",
        ],
        &["ternary"],
    );
    // The model's own task, repeated, is fine.
    let (dir, _) = dir_with_model();
    std::fs::write(dir.path().join("p.csv"), "height_cm,weight_kg\n160,55\n").unwrap();
    let doc = json(
        dir.path(),
        &[
            "predict",
            "model.safetensors",
            "--data",
            "p.csv",
            "--task",
            "binary",
            "--json",
        ],
    );
    assert_eq!(doc["rows"], 1);
}
