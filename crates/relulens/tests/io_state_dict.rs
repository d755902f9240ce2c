//! The state-dict layouts `load` accepts: a bare Sequential, a prefixed one, a ModuleList with
//! consecutive indices, half-precision tensors and PReLU slopes; each checked on a network small
//! enough to work out by hand.

mod io_support;

use io_support::{f32_tensor, file, linear_layers, raw_tensor, write};
use relulens::activation::Activation;
use relulens::io::{self, Architecture};
use relulens::model::{Dtype, ModelInfo};

fn load(bytes: &[u8]) -> relulens::model::Model {
    let dir = tempfile::tempdir().unwrap();
    io::load(write(dir.path(), "m.safetensors", bytes)).unwrap()
}

#[test]
fn a_bare_sequential_is_read_as_relu_between_linear_layers() {
    // Sequential(Linear(2, 3), ReLU(), Linear(3, 1)) with every weight 0.5 and every bias 0.25.
    let model = load(&file(&linear_layers("", &[0, 2], &[2, 3, 1]), &[]));
    assert_eq!(model.mlp().sizes(), [2, 3, 1]);
    assert_eq!(
        model.mlp().activations(),
        [Activation::Relu, Activation::Identity]
    );
    assert_eq!(model.dtype(), Dtype::F32);
    assert_eq!(model.info().feature_names, ["x0", "x1"]);
    // Hidden units: relu(0.5·2 + 0.5·4 + 0.25) = 3.25 each; output 3·0.5·3.25 + 0.25 = 5.125.
    assert_eq!(model.predict(&[2.0, 4.0], 1).unwrap(), [5.125]);
    // A negative input switches the hidden units off: the output is the bias alone.
    assert_eq!(model.predict(&[-2.0, -4.0], 1).unwrap(), [0.25]);
}

#[test]
fn prefixes_and_consecutive_indices_are_accepted() {
    let plain = load(&file(&linear_layers("", &[0, 2, 4], &[2, 3, 3, 1]), &[]));
    for (prefix, indices) in [
        ("net.", [0, 2, 4]),
        ("model.layers.", [0, 1, 2]),
        ("", [1, 5, 12]),
    ] {
        let model = load(&file(&linear_layers(prefix, &indices, &[2, 3, 3, 1]), &[]));
        assert_eq!(model.mlp(), plain.mlp(), "{prefix}{indices:?}");
    }
}

#[test]
fn layers_are_ordered_by_number_not_by_name() {
    // "10" sorts before "2" as text; as a Sequential index it comes after.
    let mut tensors = linear_layers("", &[2], &[2, 3]);
    tensors.extend(linear_layers("", &[10], &[3, 1]));
    tensors.reverse();
    assert_eq!(load(&file(&tensors, &[])).mlp().sizes(), [2, 3, 1]);
}

#[test]
fn half_precision_tensors_are_read_exactly() {
    // f16 0x3800 = 0.5, 0xB400 = -0.25; bf16 0x3F00 = 0.5, 0x3E80 = 0.25.
    let f16 = |v: &[u16]| v.iter().flat_map(|b| b.to_le_bytes()).collect::<Vec<u8>>();
    let tensors = vec![
        raw_tensor("0.weight", "F16", &[1, 2], f16(&[0x3800, 0xB400])),
        raw_tensor("0.bias", "F16", &[1], f16(&[0x3800])),
    ];
    let model = load(&file(&tensors, &[]));
    assert_eq!(model.dtype(), Dtype::F16);
    assert_eq!(model.mlp().layers()[0].weight(), [0.5, -0.25]);
    let tensors = vec![
        raw_tensor("0.weight", "BF16", &[1, 2], f16(&[0x3F00, 0x3E80])),
        raw_tensor("0.bias", "BF16", &[1], f16(&[0x3E80])),
    ];
    let model = load(&file(&tensors, &[]));
    assert_eq!(model.dtype(), Dtype::BF16);
    // 0.5·4 + 0.25·8 + 0.25 = 4.25
    assert_eq!(model.predict(&[4.0, 8.0], 1).unwrap(), [4.25]);
}

#[test]
fn mixed_dtypes_load_in_the_narrowest_dtype_holding_them_all() {
    let half = |name: &str, shape: &[usize], bits: u16| {
        let n: usize = shape.iter().product();
        raw_tensor(name, "F16", shape, bits.to_le_bytes().repeat(n))
    };
    let bf16 = |name: &str, shape: &[usize], bits: u16| {
        let n: usize = shape.iter().product();
        raw_tensor(name, "BF16", shape, bits.to_le_bytes().repeat(n))
    };
    let tensors = vec![
        half("0.weight", &[1, 1], 0x3C00),
        bf16("0.bias", &[1], 0x3F80),
    ];
    assert_eq!(load(&file(&tensors, &[])).dtype(), Dtype::F32);
    let tensors = vec![
        half("0.weight", &[1, 1], 0x3C00),
        f32_tensor("0.bias", &[1], &[1.0]),
    ];
    assert_eq!(load(&file(&tensors, &[])).dtype(), Dtype::F32);
}

#[test]
fn a_prelu_slope_sets_the_activation_after_its_layer() {
    // Sequential(Linear(2, 3), PReLU(init=0.5), Linear(3, 1)): the PReLU's weight is "1.weight".
    let mut tensors = linear_layers("", &[0, 2], &[2, 3, 1]);
    tensors.push(f32_tensor("1.weight", &[1], &[0.5]));
    let model = load(&file(&tensors, &[]));
    assert_eq!(
        model.mlp().activations(),
        [Activation::Prelu { weight: 0.5 }, Activation::Identity]
    );
    // Hidden: 0.5·(-2) + 0.5·(-4) + 0.25 = -2.75, times the slope 0.5 = -1.375; output
    // 3·0.5·(-1.375) + 0.25 = -1.8125.
    assert_eq!(model.predict(&[-2.0, -4.0], 1).unwrap(), [-1.8125]);
}

#[test]
fn an_architecture_names_the_activations_a_state_dict_does_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = write(
        dir.path(),
        "m.safetensors",
        &file(&linear_layers("", &[0, 2], &[2, 3, 1]), &[]),
    );
    let arch = Architecture::new()
        .activation(Activation::LeakyRelu {
            negative_slope: 0.1,
        })
        .output_activation(Activation::Relu);
    let model = io::load_with(&path, &arch).unwrap();
    assert_eq!(
        model.mlp().activations(),
        [arch.activation, Activation::Relu]
    );
    assert_eq!(
        model.info(),
        &ModelInfo {
            feature_names: vec!["x0".into(), "x1".into()],
            ..ModelInfo::default()
        }
    );
    // Hidden: leaky(-2.75) = -0.275; output relu(3·0.5·(-0.275) + 0.25) = relu(-0.1625) = 0.
    assert_eq!(model.predict(&[-2.0, -4.0], 1).unwrap(), [0.0]);
}
