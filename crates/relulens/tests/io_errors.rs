//! Every way a model file can be wrong gives an error naming the file (and the tensor, where one is
//! to blame), and no corruption of a valid file makes `load` panic.

mod io_support;

use io_support::{
    assert_names, f32_tensor, file, from_header, linear_layers, raw_tensor, write, Raw,
};
use proptest::prelude::*;
use relulens::io;
use relulens::Error;

/// Writes `bytes` as `bad.safetensors` in a fresh directory and loads it.
fn load_bytes(bytes: &[u8]) -> Error {
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "bad.safetensors", bytes);
    io::load(&path).expect_err("the file is invalid")
}

const FILE: &str = "bad.safetensors";

// --- the safetensors container ---

#[test]
fn a_file_shorter_than_the_length_prefix() {
    let err = load_bytes(&[1, 0, 0]);
    assert!(matches!(err, Error::MalformedFile { .. }), "{err:?}");
    assert_names(&err, &[FILE, "3 bytes long"]);
}

#[test]
fn a_header_length_beyond_the_file() {
    let mut bytes = from_header("{}", &[]);
    bytes[..8].copy_from_slice(&1000u64.to_le_bytes());
    let err = load_bytes(&bytes);
    assert!(matches!(err, Error::MalformedFile { .. }), "{err:?}");
    assert_names(&err, &[FILE, "header length 1000 exceeds the 2 bytes"]);
}

#[test]
fn a_header_length_beyond_the_cap_is_refused_without_reading_it() {
    let mut bytes = from_header("{}", &[]);
    bytes[..8].copy_from_slice(&u64::MAX.to_le_bytes());
    let err = load_bytes(&bytes);
    assert_names(&err, &[FILE, "100000000-byte limit"]);
}

#[test]
fn a_header_that_is_not_utf8() {
    let mut bytes = from_header("{\"a\":1}", &[]);
    bytes[10] = 0xFF;
    let err = load_bytes(&bytes);
    assert!(matches!(err, Error::MalformedFile { .. }), "{err:?}");
    assert_names(&err, &[FILE, "not UTF-8", "offset 2"]);
}

#[test]
fn a_header_that_is_not_a_json_object() {
    for header in ["{\"0.weight\":", "[1, 2]", "null"] {
        let err = load_bytes(&from_header(header, &[]));
        assert!(matches!(err, Error::MalformedFile { .. }), "{err:?}");
        assert_names(&err, &[FILE, "not a JSON object"]);
    }
}

#[test]
fn metadata_that_is_not_a_map_of_strings() {
    let err = load_bytes(&from_header(r#"{"__metadata__":{"n":1}}"#, &[]));
    assert_names(&err, &[FILE, "__metadata__"]);
}

#[test]
fn a_tensor_entry_without_the_three_fields() {
    let header = r#"{"0.weight":{"dtype":"F32","shape":[1,1]}}"#;
    let err = load_bytes(&from_header(header, &[0; 4]));
    assert!(matches!(err, Error::MalformedTensor { .. }), "{err:?}");
    assert_names(&err, &[FILE, "\"0.weight\"", "data_offsets"]);
    let header = r#"{"0.weight":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#;
    assert_names(
        &load_bytes(&from_header(header, &[0; 4])),
        &[FILE, "\"0.weight\""],
    );
}

#[test]
fn offsets_beyond_the_buffer() {
    let header = r#"{"0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]}}"#;
    let err = load_bytes(&from_header(header, &[0; 4]));
    assert!(matches!(err, Error::MalformedTensor { .. }), "{err:?}");
    assert_names(&err, &[FILE, "\"0.weight\"", "[0, 8]", "4-byte buffer"]);
}

#[test]
fn offsets_that_end_before_they_begin() {
    let header = r#"{"0.weight":{"dtype":"F32","shape":[0],"data_offsets":[4,0]}}"#;
    let err = load_bytes(&from_header(header, &[0; 4]));
    assert_names(&err, &[FILE, "\"0.weight\"", "begin after end"]);
}

#[test]
fn overlapping_tensors() {
    let header = r#"{"0.weight":{"dtype":"F32","shape":[2,1],"data_offsets":[0,8]},
                     "0.bias":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#;
    let err = load_bytes(&from_header(header, &[0; 12]));
    assert!(matches!(err, Error::MalformedTensor { .. }), "{err:?}");
    assert_names(&err, &[FILE, "\"0.bias\"", "overlap", "\"0.weight\""]);
}

#[test]
fn a_shape_that_does_not_match_the_byte_length() {
    let header = r#"{"0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,12]}}"#;
    let err = load_bytes(&from_header(header, &[0; 12]));
    assert!(matches!(err, Error::MalformedTensor { .. }), "{err:?}");
    assert_names(
        &err,
        &[FILE, "\"0.weight\"", "[2, 2]", "needs 16 bytes", "hold 12"],
    );
}

#[test]
fn a_truncated_file() {
    let whole = file(&linear_layers("", &[0, 2], &[2, 3, 1]), &[]);
    let err = load_bytes(&whole[..whole.len() - 3]);
    assert!(matches!(err, Error::MalformedTensor { .. }), "{err:?}");
    assert_names(&err, &[FILE, "truncated file"]);
    // Cut inside the header instead.
    let err = load_bytes(&whole[..20]);
    assert_names(&err, &[FILE, "truncated file"]);
}

#[test]
fn an_unknown_dtype() {
    let mut tensors = linear_layers("", &[0], &[1, 1]);
    tensors[0].dtype = "F128".into();
    let err = load_bytes(&file(&tensors, &[]));
    assert!(matches!(err, Error::UnsupportedDtype { .. }), "{err:?}");
    assert_names(
        &err,
        &[FILE, "\"0.weight\"", "\"F128\"", "F16, BF16, F32 and F64"],
    );
}

#[test]
fn an_integer_dtype_is_unsupported() {
    let mut tensors = linear_layers("", &[0], &[1, 1]);
    tensors[1] = raw_tensor("0.bias", "I64", &[1], 7i64.to_le_bytes().to_vec());
    let err = load_bytes(&file(&tensors, &[]));
    assert!(matches!(err, Error::UnsupportedDtype { .. }), "{err:?}");
    assert_names(&err, &[FILE, "\"0.bias\"", "\"I64\""]);
    // The length of an I64 tensor is still checked against its shape.
    let header = r#"{"0.bias":{"dtype":"I64","shape":[1],"data_offsets":[0,4]}}"#;
    assert_names(
        &load_bytes(&from_header(header, &[0; 4])),
        &["needs 8 bytes"],
    );
}

// --- the state dict ---

#[test]
fn layers_whose_shapes_do_not_chain() {
    let mut tensors = linear_layers("", &[0], &[2, 3]);
    tensors.extend(linear_layers("", &[2], &[4, 1]));
    let err = load_bytes(&file(&tensors, &[]));
    assert!(matches!(err, Error::LayerShapeMismatch { .. }), "{err:?}");
    assert_names(
        &err,
        &[
            FILE,
            "\"2.weight\" of shape [1, 4]",
            "\"0.weight\" of shape [3, 2]",
        ],
    );
}

#[test]
fn a_bias_that_does_not_match_its_weight() {
    let mut tensors = linear_layers("", &[0], &[2, 3]);
    tensors[1] = f32_tensor("0.bias", &[2], &[0.0; 2]);
    let err = load_bytes(&file(&tensors, &[]));
    assert_names(
        &err,
        &[
            FILE,
            "\"0.bias\" of shape [2]",
            "\"0.weight\" of shape [3, 2]",
        ],
    );
}

#[test]
fn a_missing_bias() {
    let mut tensors = linear_layers("net.", &[0, 2], &[2, 3, 1]);
    tensors.remove(3); // net.2.bias
    let err = load_bytes(&file(&tensors, &[]));
    assert!(matches!(err, Error::MissingTensor { .. }), "{err:?}");
    assert_names(
        &err,
        &[
            FILE,
            "\"net.2.bias\"",
            "\"net.2.weight\" has no bias",
            "bias=True",
        ],
    );
}

#[test]
fn a_bias_without_a_weight() {
    let mut tensors = linear_layers("", &[0], &[2, 3]);
    tensors.push(f32_tensor("2.bias", &[1], &[0.0]));
    let err = load_bytes(&file(&tensors, &[]));
    assert_names(
        &err,
        &[
            FILE,
            "\"2.weight\"",
            "\"2.bias\" is a bias without a weight",
        ],
    );
}

#[test]
fn extra_tensors_are_listed_not_ignored() {
    let mut tensors = linear_layers("", &[0, 2], &[2, 3, 1]);
    tensors.push(f32_tensor("1.running_mean", &[3], &[0.0; 3]));
    tensors.push(raw_tensor(
        "num_batches_tracked",
        "I64",
        &[],
        0i64.to_le_bytes().to_vec(),
    ));
    tensors.push(f32_tensor("head.0.weight", &[1, 1], &[0.0]));
    let err = load_bytes(&file(&tensors, &[]));
    match &err {
        Error::UnexpectedTensors { tensors, .. } => {
            assert_eq!(
                tensors,
                &["1.running_mean", "head.0.weight", "num_batches_tracked"]
            )
        }
        other => panic!("{other:?}"),
    }
    assert_names(
        &err,
        &[FILE, "1.running_mean, head.0.weight, num_batches_tracked"],
    );
}

#[test]
fn weights_that_are_not_two_dimensional() {
    let mut tensors = linear_layers("", &[0], &[2, 3]);
    tensors[0] = f32_tensor("0.weight", &[3, 2, 1], &[0.0; 6]);
    let err = load_bytes(&file(&tensors, &[]));
    assert!(matches!(err, Error::MalformedTensor { .. }), "{err:?}");
    assert_names(&err, &[FILE, "\"0.weight\"", "must be 2-D", "[3, 2, 1]"]);
}

#[test]
fn a_per_channel_prelu_is_refused() {
    let mut tensors = linear_layers("", &[0, 2], &[2, 3, 1]);
    tensors.push(f32_tensor("1.weight", &[3], &[0.25; 3]));
    let err = load_bytes(&file(&tensors, &[]));
    assert_names(&err, &[FILE, "\"1.weight\"", "3 slopes"]);
}

#[test]
fn an_empty_layer() {
    let tensors = vec![
        f32_tensor("0.weight", &[0, 2], &[]),
        f32_tensor("0.bias", &[0], &[]),
    ];
    let err = load_bytes(&file(&tensors, &[]));
    assert_names(&err, &[FILE, "\"0.weight\"", "no elements"]);
}

#[test]
fn a_file_without_layers() {
    let err = load_bytes(&file(&[], &[]));
    assert!(matches!(err, Error::MissingTensor { .. }), "{err:?}");
    assert_names(&err, &[FILE, "no Linear layer"]);
}

#[test]
fn non_finite_parameters() {
    let mut tensors = linear_layers("", &[0], &[2, 2]);
    tensors[0] = f32_tensor("0.weight", &[2, 2], &[1.0, 2.0, f32::NAN, 0.0]);
    let err = load_bytes(&file(&tensors, &[]));
    assert!(matches!(err, Error::NonFinite { index: 2, .. }), "{err:?}");
    assert_names(&err, &[FILE, "\"0.weight\"", "NaN"]);
}

// --- the relulens metadata ---

fn with_metadata(json: &str) -> Vec<u8> {
    file(
        &linear_layers("", &[0, 2], &[2, 3, 1]),
        &[("relulens", json)],
    )
}

#[test]
fn metadata_that_is_not_json() {
    let err = load_bytes(&with_metadata("{sizes"));
    assert!(matches!(err, Error::InvalidMetadata { .. }), "{err:?}");
    assert_names(&err, &[FILE, "not JSON"]);
}

#[test]
fn metadata_of_a_newer_format() {
    let err = load_bytes(&with_metadata(r#"{"format_version":7}"#));
    assert_names(&err, &[FILE, "format_version 7"]);
}

#[test]
fn metadata_that_disagrees_with_the_tensors() {
    let json = r#"{"format_version":1,"sizes":[2,4,1],"activations":["relu","identity"]}"#;
    assert_names(
        &load_bytes(&with_metadata(json)),
        &[FILE, "[2, 4, 1]", "[2, 3, 1]"],
    );
    let json = r#"{"format_version":1,"sizes":[2,3,1],"activations":["relu"]}"#;
    assert_names(
        &load_bytes(&with_metadata(json)),
        &[FILE, "1 activations for 2 layers"],
    );
    let json = r#"{"format_version":1,"sizes":[2,3,1],"activations":["relu","identity"],
                   "info":{"feature_names":["a","b","c"]}}"#;
    assert_names(
        &load_bytes(&with_metadata(json)),
        &[FILE, "3 feature names"],
    );
}

#[test]
fn a_prelu_slope_where_the_metadata_says_relu() {
    let mut tensors: Vec<Raw> = linear_layers("", &[0, 2], &[2, 3, 1]);
    tensors.push(f32_tensor("1.weight", &[1], &[0.25]));
    let json = r#"{"format_version":1,"sizes":[2,3,1],"activations":["relu","identity"]}"#;
    let err = load_bytes(&file(&tensors, &[("relulens", json)]));
    assert_names(
        &err,
        &[FILE, "\"1.weight\" is a PReLU slope", "activation relu"],
    );
}

// --- corruption ---

fn valid_file() -> Vec<u8> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("valid.safetensors");
    let mlp = relulens::nn::MlpConfig::new(vec![2, 3, 2])
        .activation(relulens::activation::Activation::Prelu { weight: 0.2 })
        .init::<f64>()
        .unwrap();
    let model = relulens::model::Model::new(
        mlp,
        relulens::model::Dtype::F16,
        relulens::model::ModelInfo::default(),
    )
    .unwrap();
    io::save(&model, &path).unwrap();
    std::fs::read(&path).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Flipped bits, overwritten bytes and truncation anywhere: `load` answers, it never panics.
    #[test]
    fn corrupted_files_never_panic(
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 0u8..8), 0..4),
        cut in proptest::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = valid_file();
        for (at, byte) in edits {
            let i = at.index(bytes.len());
            bytes[i] = byte;
        }
        for (at, bit) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= 1 << bit;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len()));
        }
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "fuzz.safetensors", &bytes);
        let result = std::panic::catch_unwind(|| io::load(&path));
        prop_assert!(result.is_ok(), "load panicked");
        if let Ok(Err(err)) = result {
            prop_assert!(err.to_string().contains("fuzz.safetensors"), "{}", err);
        }
    }

    /// Edits aimed at the header, where most of the structure is.
    #[test]
    fn corrupted_headers_never_panic(
        edits in proptest::collection::vec((0usize..400, any::<u8>()), 1..6),
    ) {
        let mut bytes = valid_file();
        for (at, byte) in edits {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        let dir = tempfile::tempdir().unwrap();
        let path = write(dir.path(), "fuzz.safetensors", &bytes);
        let result = std::panic::catch_unwind(|| io::load(&path));
        prop_assert!(result.is_ok(), "load panicked");
    }
}

#[test]
fn metadata_that_contradicts_itself() {
    // Two inputs and one output, as the tensors of `with_metadata` give.
    let meta = |info: &str| {
        format!(
            r#"{{"format_version":1,"sizes":[2,3,1],"activations":["relu","identity"],"info":{info}}}"#
        )
    };
    for (info, needles) in [
        (r#"{"task":"multiclass"}"#, &["multiclass", "1 output"][..]),
        (
            r#"{"task":"multiclass","class_labels":["a","b"]}"#,
            &["multiclass", "1 output"][..],
        ),
        (
            r#"{"class_labels":["only"]}"#,
            &["single class label", "\"only\""][..],
        ),
        (
            r#"{"task":"binary","class_labels":["a","b","c"]}"#,
            &["3 class labels"][..],
        ),
        (
            r#"{"class_labels":["yes","yes"]}"#,
            &["class label \"yes\"", "twice"][..],
        ),
        (
            r#"{"feature_names":["h","h"]}"#,
            &["feature \"h\"", "twice"][..],
        ),
        (
            r#"{"feature_names":["h"]}"#,
            &["1 feature names", "2 inputs"][..],
        ),
        (
            r#"{"task":"regression","class_labels":["a","b"]}"#,
            &["regression", "class labels"][..],
        ),
    ] {
        let err = load_bytes(&with_metadata(&meta(info)));
        assert!(
            matches!(err, Error::InvalidMetadata { .. }),
            "{info}: {err:?}"
        );
        let mut all = vec![FILE];
        all.extend_from_slice(needles);
        assert_names(&err, &all);
    }
}

#[test]
fn class_labels_that_fit_the_outputs_load() {
    // A binary classifier's one logit with its two labels, and three outputs with three labels.
    let ok = r#"{"format_version":1,"sizes":[2,3,1],"activations":["relu","identity"],
                 "info":{"task":"binary","class_labels":["no","yes"]}}"#;
    let dir = tempfile::tempdir().unwrap();
    let path = write(dir.path(), "ok.safetensors", &with_metadata(ok));
    let model = io::load(&path).unwrap();
    assert_eq!(model.info().class_labels, ["no", "yes"]);
    let three = file(
        &linear_layers("", &[0, 2], &[2, 3, 3]),
        &[(
            "relulens",
            r#"{"format_version":1,"sizes":[2,3,3],"activations":["relu","identity"],
                "info":{"task":"multiclass","class_labels":["a","b","c"]}}"#,
        )],
    );
    let path = write(dir.path(), "three.safetensors", &three);
    assert_eq!(io::load(&path).unwrap().mlp().out_dim(), 3);
    let wrong = file(
        &linear_layers("", &[0, 2], &[2, 3, 3]),
        &[(
            "relulens",
            r#"{"format_version":1,"sizes":[2,3,3],"activations":["relu","identity"],
                "info":{"task":"multiclass","class_labels":["a","b"]}}"#,
        )],
    );
    let path = write(dir.path(), "wrong.safetensors", &wrong);
    assert_names(
        &io::load(&path).unwrap_err(),
        &["wrong.safetensors", "2 class labels", "3 outputs"],
    );
}
