//! Helpers for the io tests: safetensors files built byte by byte, independently of the library's
//! writer, so that the reader is tested against the format and not against itself.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One tensor to put in a file: name, dtype as the file spells it, shape and raw bytes.
pub struct Raw {
    pub name: String,
    pub dtype: String,
    pub shape: Vec<usize>,
    pub bytes: Vec<u8>,
}

/// An F32 tensor.
pub fn f32_tensor(name: &str, shape: &[usize], values: &[f32]) -> Raw {
    Raw {
        name: name.into(),
        dtype: "F32".into(),
        shape: shape.to_vec(),
        bytes: values.iter().flat_map(|v| v.to_le_bytes()).collect(),
    }
}

/// A tensor of any dtype from its raw bytes.
pub fn raw_tensor(name: &str, dtype: &str, shape: &[usize], bytes: Vec<u8>) -> Raw {
    Raw {
        name: name.into(),
        dtype: dtype.into(),
        shape: shape.to_vec(),
        bytes,
    }
}

/// `{prefix}{index}.weight` `[out, in]` and `{prefix}{index}.bias` `[out]` for each pair of
/// consecutive sizes, at the given indices; weights 0.5, biases 0.25.
pub fn linear_layers(prefix: &str, indices: &[usize], sizes: &[usize]) -> Vec<Raw> {
    let mut tensors = Vec::new();
    for (index, w) in indices.iter().zip(sizes.windows(2)) {
        let (n_in, n_out) = (w[0], w[1]);
        tensors.push(f32_tensor(
            &format!("{prefix}{index}.weight"),
            &[n_out, n_in],
            &vec![0.5; n_in * n_out],
        ));
        tensors.push(f32_tensor(
            &format!("{prefix}{index}.bias"),
            &[n_out],
            &vec![0.25; n_out],
        ));
    }
    tensors
}

/// A whole file from a raw header text and buffer.
pub fn from_header(header: &str, buffer: &[u8]) -> Vec<u8> {
    let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
    bytes.extend_from_slice(header.as_bytes());
    bytes.extend_from_slice(buffer);
    bytes
}

/// A whole, valid file holding `tensors` back to back and `metadata` (string to string).
pub fn file(tensors: &[Raw], metadata: &[(&str, &str)]) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    if !metadata.is_empty() {
        let map: serde_json::Map<String, serde_json::Value> = metadata
            .iter()
            .map(|(k, v)| (k.to_string(), serde_json::Value::from(*v)))
            .collect();
        header.insert("__metadata__".into(), map.into());
    }
    let mut buffer = Vec::new();
    for t in tensors {
        let begin = buffer.len();
        buffer.extend_from_slice(&t.bytes);
        header.insert(
            t.name.clone(),
            serde_json::json!({"dtype": t.dtype, "shape": t.shape, "data_offsets": [begin, buffer.len()]}),
        );
    }
    from_header(&serde_json::Value::Object(header).to_string(), &buffer)
}

/// Writes `bytes` to `dir/name` and returns the path.
pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// Asserts that an error's message names every one of `parts` (the file, the tensors, …).
pub fn assert_names(err: &relulens::Error, parts: &[&str]) {
    let text = err.to_string();
    for part in parts {
        assert!(text.contains(part), "{part:?} missing from: {text}");
    }
}
