//! State dicts saved by PyTorch itself load and predict what PyTorch predicts. The fixtures in
//! `tests/fixtures/torch_sequential*` were written by `scripts/make_io_fixtures.py`:
//! `Sequential(Linear(2, 8), ReLU(), Linear(8, 8), ReLU(), Linear(8, 3))` under `torch.manual_seed(0)`,
//! saved with `safetensors.torch.save_file` in f32, f64 (`.double()`), f32 under a `net.` prefix,
//! f16 (`.half()`) and bf16 (`.bfloat16()`).
//!
//! The bounds: relulens computes in f64 from the stored parameters, so against PyTorch's f64 outputs
//! only summation order differs (1e-12 relative); against its f32 outputs PyTorch's own f32 rounding
//! dominates (1e-6 relative, to the output scale). Half-precision parameters are compared bit for bit
//! with PyTorch's conversion of them to float64.

use relulens::io;
use relulens::model::Dtype;
use serde::Deserialize;

#[derive(Deserialize)]
struct Fixture {
    torch_version: String,
    inputs: Vec<Vec<f64>>,
    outputs_f32: Vec<Vec<f64>>,
    outputs_f64: Vec<Vec<f64>>,
    params_f16: Vec<Vec<f64>>,
    params_bf16: Vec<Vec<f64>>,
}

fn fixture_path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture() -> Fixture {
    let text = std::fs::read_to_string(fixture_path("torch_sequential.json"))
        .expect("the fixture file is committed");
    serde_json::from_str(&text).expect("the fixture file is valid JSON")
}

/// The relative tolerance of a comparison, scaled by the largest output magnitude so that outputs
/// near 0 (where PyTorch's rounding error is relative to the terms summed, not to the result) pass.
struct Tolerance(f64);

impl Tolerance {
    fn check(&self, got: &[f64], want: &[f64], what: &str) {
        let scale = want.iter().fold(1.0f64, |m, w| m.max(w.abs()));
        for (i, (g, w)) in got.iter().zip(want).enumerate() {
            assert!(
                (g - w).abs() <= self.0 * scale,
                "{what}[{i}]: relulens {g:e} vs torch {w:e} (tolerance {:e})",
                self.0 * scale
            );
        }
        assert_eq!(got.len(), want.len(), "{what}");
    }
}

fn predictions(file: &str, fx: &Fixture) -> (relulens::model::Model, Vec<f64>) {
    let model = io::load(fixture_path(file)).unwrap_or_else(|e| panic!("{e}"));
    let x: Vec<f64> = fx.inputs.concat();
    let y = model.predict(&x, fx.inputs.len()).unwrap();
    (model, y)
}

#[test]
fn pytorch_f32_state_dicts_predict_as_pytorch_does() {
    let fx = fixture();
    assert!(!fx.torch_version.is_empty());
    for file in [
        "torch_sequential_f32.safetensors",
        "torch_sequential_prefixed_f32.safetensors",
    ] {
        let (model, y) = predictions(file, &fx);
        assert_eq!(model.dtype(), Dtype::F32, "{file}");
        assert_eq!(model.mlp().to_string(), "Mlp(2-8-8-3, relu)");
        Tolerance(1e-6).check(&y, &fx.outputs_f32.concat(), file);
    }
}

#[test]
fn pytorch_f64_state_dicts_predict_as_pytorch_does() {
    let fx = fixture();
    let (model, y) = predictions("torch_sequential_f64.safetensors", &fx);
    assert_eq!(model.dtype(), Dtype::F64);
    Tolerance(1e-12).check(&y, &fx.outputs_f64.concat(), "f64");
}

#[test]
fn pytorch_half_precision_parameters_decode_exactly() {
    let fx = fixture();
    for (file, dtype, want) in [
        (
            "torch_sequential_f16.safetensors",
            Dtype::F16,
            &fx.params_f16,
        ),
        (
            "torch_sequential_bf16.safetensors",
            Dtype::BF16,
            &fx.params_bf16,
        ),
    ] {
        let model = io::load(fixture_path(file)).unwrap();
        assert_eq!(model.dtype(), dtype);
        // State-dict order: 0.weight, 0.bias, 2.weight, 2.bias, 4.weight, 4.bias.
        let got: Vec<&[f64]> = model
            .mlp()
            .layers()
            .iter()
            .flat_map(|l| [l.weight(), l.bias()])
            .collect();
        assert_eq!(got.len(), want.len());
        for (k, (g, w)) in got.iter().zip(want.iter()).enumerate() {
            let g: Vec<u64> = g.iter().map(|v| v.to_bits()).collect();
            let w: Vec<u64> = w.iter().map(|v| v.to_bits()).collect();
            assert_eq!(g, w, "{file}: tensor {k}");
        }
    }
}

#[test]
fn a_pytorch_state_dict_saved_again_by_relulens_keeps_pytorchs_names() {
    let fx = fixture();
    let (model, y) = predictions("torch_sequential_prefixed_f32.safetensors", &fx);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("again.safetensors");
    io::save(&model, &path).unwrap();
    let file = io::SafeTensors::read(&path).unwrap();
    let mut names: Vec<&str> = file.tensors().iter().map(|t| t.name()).collect();
    names.sort();
    assert_eq!(
        names,
        ["0.bias", "0.weight", "2.bias", "2.weight", "4.bias", "4.weight"]
    );
    let again = io::load(&path).unwrap();
    assert_eq!(again, model);
    assert_eq!(
        again.predict(&fx.inputs.concat(), fx.inputs.len()).unwrap(),
        y
    );
}
