//! Saving and loading models: bit-exact round trips in every dtype, the PyTorch names and metadata
//! layout on disk, explicit architectures, and atomic writes.

use relulens::activation::Activation;
use relulens::data::{Standardizer, Task};
use relulens::io::{self, Architecture, ModelMetadata, SafeTensors};
use relulens::model::{Dtype, Model, ModelInfo};
use relulens::nn::{Dense, Mlp, MlpConfig};
use relulens::train::{EpochMetrics, Metrics};
use relulens::Error;

/// A 3-4-4-2 network in `dtype` (its parameters rounded to it, as training in that dtype leaves
/// them) with a full description.
fn model(dtype: Dtype, activation: Activation) -> Model {
    let mlp = MlpConfig::new(vec![3, 4, 4, 2])
        .activation(activation)
        .seed(11)
        .init::<f64>()
        .unwrap();
    let mlp = match dtype {
        Dtype::F32 => mlp.cast::<f32>().cast::<f64>(),
        _ => mlp,
    };
    let names: Vec<String> = ["height", "weight", "age"].map(String::from).to_vec();
    let info = ModelInfo {
        feature_names: names.clone(),
        target: Some("species".into()),
        task: Some(Task::Multiclass),
        class_labels: vec!["Adelie".into(), "Gentoo".into()],
        scaler: Some(
            Standardizer::new(names, vec![170.1, 0.1, 1.0 / 3.0], vec![9.7, 1e-3, 2.5]).unwrap(),
        ),
        dataset: Some("penguins".into()),
        feature_medians: vec![170.0, 0.125, 1.0 / 7.0],
        feature_ranges: vec![[150.0, 190.5], [-0.5, 0.5], [0.0, 1e-300]],
        history: vec![EpochMetrics {
            epoch: 1,
            train: Metrics {
                loss: std::f64::consts::LN_2,
                accuracy: Some(0.1 + 0.2),
                r2: None,
            },
            validation: None,
        }],
    };
    Model::new(mlp, dtype, info).unwrap()
}

fn bits(mlp: &Mlp<f64>) -> Vec<u64> {
    mlp.layers()
        .iter()
        .flat_map(|l| l.weight().iter().chain(l.bias()))
        .map(|v| v.to_bits())
        .collect()
}

#[test]
fn f64_and_f32_models_round_trip_bit_exactly() {
    let dir = tempfile::tempdir().unwrap();
    for dtype in [Dtype::F64, Dtype::F32] {
        let original = model(dtype, Activation::Relu);
        let path = dir.path().join(format!("{dtype:?}.safetensors"));
        io::save(&original, &path).unwrap();
        let loaded = io::load(&path).unwrap();
        assert_eq!(bits(loaded.mlp()), bits(original.mlp()), "{dtype:?}");
        assert_eq!(loaded.info(), original.info());
        assert_eq!(loaded.dtype(), dtype);
        assert_eq!(loaded, original);
    }
}

#[test]
fn half_precision_models_round_trip_after_rounding() {
    let dir = tempfile::tempdir().unwrap();
    for dtype in [Dtype::F16, Dtype::BF16] {
        let original = model(dtype, Activation::Relu);
        let path = dir.path().join("half.safetensors");
        io::save(&original, &path).unwrap();
        let once = io::load(&path).unwrap();
        assert_eq!(once.dtype(), dtype);
        // Saving rounded every parameter to the dtype: close to the original, and fixed from now on.
        let tolerance = if dtype == Dtype::F16 { 1e-3 } else { 1e-2 };
        for (a, b) in once.mlp().layers().iter().zip(original.mlp().layers()) {
            for (x, y) in a.weight().iter().zip(b.weight()) {
                assert!((x - y).abs() <= tolerance * y.abs().max(1e-3), "{x} vs {y}");
            }
        }
        io::save(&once, &path).unwrap();
        assert_eq!(bits(io::load(&path).unwrap().mlp()), bits(once.mlp()));
    }
}

#[test]
fn every_activation_round_trips_including_parameters() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("act.safetensors");
    let mut activations = Activation::all();
    activations.push("leaky_relu(negative_slope=0.2)".parse().unwrap());
    activations.push("prelu(weight=0.3)".parse().unwrap());
    activations.push("softplus(beta=0.1, threshold=3)".parse().unwrap());
    for act in activations {
        for dtype in [Dtype::F64, Dtype::F32] {
            let original = model(dtype, act);
            io::save(&original, &path).unwrap();
            assert_eq!(io::load(&path).unwrap(), original, "{act} in {dtype:?}");
        }
    }
}

#[test]
fn the_file_holds_pytorch_names_and_versioned_metadata() {
    // Hand-checkable: Sequential(Linear(2, 2), ReLU(), Linear(2, 1), ReLU6()).
    let layers = vec![
        Dense::new(vec![1.0, 2.0, -1.0, 0.5], vec![0.25, -0.5]).unwrap(),
        Dense::new(vec![3.0, -3.0], vec![1.0]).unwrap(),
    ];
    let mlp = Mlp::new(layers, vec![Activation::Relu, Activation::Relu6]).unwrap();
    let original = Model::new(mlp, Dtype::F32, ModelInfo::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("hand.safetensors");
    io::save(&original, &path).unwrap();

    let file = SafeTensors::read(&path).unwrap();
    let mut names: Vec<(&str, &str, &[usize])> = file
        .tensors()
        .iter()
        .map(|t| (t.name(), t.dtype(), t.shape()))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ("0.bias", "F32", &[2][..]),
            ("0.weight", "F32", &[2, 2][..]),
            ("2.bias", "F32", &[1][..]),
            ("2.weight", "F32", &[1, 2][..]),
        ]
    );
    assert_eq!(file.values("0.weight").unwrap(), [1.0, 2.0, -1.0, 0.5]);
    assert_eq!(file.metadata()["format"], "pt");
    let json: serde_json::Value = serde_json::from_str(&file.metadata()["relulens"]).unwrap();
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["sizes"], serde_json::json!([2, 2, 1]));
    assert_eq!(json["activations"], serde_json::json!(["relu", "relu6"]));
    assert_eq!(
        json["info"]["feature_names"],
        serde_json::json!(["x0", "x1"])
    );
    let meta = ModelMetadata::from_json(&file.metadata()["relulens"], "hand").unwrap();
    assert_eq!(meta.info, *original.info());

    // relu(1·1 + 2·1 + 0.25) = 3.25 and relu(-1 + 0.5 - 0.5) = 0; relu6(3·3.25 - 0 + 1) = 6.
    assert_eq!(
        io::load(&path).unwrap().predict(&[1.0, 1.0], 1).unwrap(),
        [6.0]
    );
}

#[test]
fn prelu_slopes_are_stored_as_pytorch_prelu_weights() {
    let act = Activation::Prelu { weight: 0.1 };
    let original = model(Dtype::F32, act);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("prelu.safetensors");
    io::save(&original, &path).unwrap();
    let file = SafeTensors::read(&path).unwrap();
    for (name, shape) in [
        ("1.weight", &[1][..]),
        ("3.weight", &[1]),
        ("4.weight", &[2, 4]),
    ] {
        assert_eq!(file.get(name).map(|t| t.shape()), Some(shape), "{name}");
    }
    assert_eq!(file.values("1.weight").unwrap(), [f64::from(0.1f32)]);
    // Without the metadata's exact 0.1, the stored f32 slope is what a plain state dict gives.
    let plain = io::load_with(&path, &Architecture::new()).unwrap();
    let slope = Activation::Prelu {
        weight: f64::from(0.1f32),
    };
    assert_eq!(
        plain.mlp().activations(),
        [slope, slope, Activation::Identity]
    );
}

#[test]
fn an_explicit_architecture_replaces_the_stored_activations() {
    let original = model(Dtype::F64, Activation::Relu);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.safetensors");
    io::save(&original, &path).unwrap();
    let arch = Architecture::new()
        .activation(Activation::LeakyRelu {
            negative_slope: 0.2,
        })
        .output_activation(Activation::Relu);
    let loaded = io::load_with(&path, &arch).unwrap();
    assert_eq!(
        loaded.mlp().activations(),
        [arch.activation, arch.activation, Activation::Relu]
    );
    assert_eq!(loaded.info(), original.info(), "the description is kept");
    assert_eq!(bits(loaded.mlp()), bits(original.mlp()));
}

#[test]
fn parameters_that_overflow_the_dtype_are_refused() {
    let mlp = Mlp::new(
        vec![Dense::new(vec![1.0, 70000.0], vec![0.0]).unwrap()],
        vec![Activation::Identity],
    )
    .unwrap();
    let big = Model::new(mlp, Dtype::F16, ModelInfo::default()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.safetensors");
    let err = io::save(&big, &path).unwrap_err();
    assert!(
        matches!(err, Error::DtypeOverflow { index: 1, .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("big.safetensors") && text.contains("\"0.weight\"") && text.contains("F16"),
        "{text}"
    );
    assert!(!path.exists());
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no temporary file is left"
    );
}

#[test]
fn a_description_that_would_not_load_back_is_refused() {
    let mut info = model(Dtype::F64, Activation::Relu).info().clone();
    info.history[0].train.loss = f64::NAN;
    let nan = Model::new(
        model(Dtype::F64, Activation::Relu).mlp().clone(),
        Dtype::F64,
        info,
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nan.safetensors");
    let err = io::save(&nan, &path).unwrap_err();
    assert!(matches!(err, Error::InvalidMetadata { .. }), "{err:?}");
    assert!(err.to_string().contains("nan.safetensors"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn saving_into_a_missing_directory_fails_and_leaves_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("missing").join("m.safetensors");
    let err = io::save(&model(Dtype::F32, Activation::Relu), &path).unwrap_err();
    assert!(
        matches!(
            err,
            Error::Io {
                kind: std::io::ErrorKind::NotFound,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("m.safetensors"), "{err}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn saving_over_a_file_replaces_it_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("m.safetensors");
    // A longer file first, so a write that did not truncate would leave its tail behind.
    std::fs::write(&path, vec![0xAB; 100_000]).unwrap();
    let small = model(Dtype::F16, Activation::Relu);
    io::save(&small, &path).unwrap();
    let len = std::fs::metadata(&path).unwrap().len();
    assert!(len < 100_000, "{len}");
    assert_eq!(io::load(&path).unwrap().dtype(), Dtype::F16);
    io::save(&model(Dtype::F64, Activation::Relu), &path).unwrap();
    assert_eq!(io::load(&path).unwrap().dtype(), Dtype::F64);
    let entries: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["m.safetensors"], "no temporary file is left");
}

#[test]
fn loading_a_missing_file_is_an_io_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let err = io::load(dir.path().join("nope.safetensors")).unwrap_err();
    assert!(matches!(
        err,
        Error::Io {
            kind: std::io::ErrorKind::NotFound,
            ..
        }
    ));
    assert!(err.to_string().contains("nope.safetensors"), "{err}");
}
