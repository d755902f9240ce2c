//! The safetensors format, read and written by hand: an 8-byte little-endian header length N, N bytes
//! of JSON header `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {str: str}}`,
//! then the byte buffer that the offsets index into.
//!
//! Reading validates everything before any tensor is used, so a corrupted or hostile file gives an
//! [`Error`] naming the file (and the tensor, where one is to blame), never a panic or an allocation
//! larger than the file: the header length is checked against the file and a 100 MB cap, every
//! offset against the buffer, tensors against each other for overlap, and every shape against its
//! byte length. Values are decoded on request, exactly, to `f64`.
//!
//! ```
//! use relulens::io::SafeTensors;
//! // One F32 tensor "w" of shape [2] holding [1.0, -2.0], and no metadata.
//! let header = br#"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#;
//! let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
//! bytes.extend_from_slice(header);
//! bytes.extend(1.0f32.to_le_bytes().into_iter().chain((-2.0f32).to_le_bytes()));
//! let file = SafeTensors::parse(bytes, "w.safetensors")?;
//! assert_eq!(file.tensors()[0].shape(), [2]);
//! assert_eq!(file.values("w")?, [1.0, -2.0]);
//! # Ok::<(), relulens::Error>(())
//! ```

use std::collections::BTreeMap;
use std::ops::Range;
use std::path::Path;

use serde::Deserialize;

use crate::error::{Error, Result};
use crate::model::Dtype;

/// The largest JSON header read: safetensors' own limit. A header length above it is corruption.
pub const MAX_HEADER_BYTES: u64 = 100_000_000;

/// The key of the free-form string map in the header.
const METADATA_KEY: &str = "__metadata__";

/// A parsed safetensors file: its metadata, its tensors' descriptions and its byte buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct SafeTensors {
    file: String,
    metadata: BTreeMap<String, String>,
    tensors: Vec<TensorInfo>,
    buffer: Vec<u8>,
}

/// One tensor's entry in the header, checked against the buffer.
#[derive(Debug, Clone, PartialEq)]
pub struct TensorInfo {
    name: String,
    dtype: String,
    shape: Vec<usize>,
    bytes: Range<usize>,
}

impl TensorInfo {
    /// The tensor's name, such as `0.weight`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The dtype as the file spells it: `F32`, `BF16`, `I64`, ….
    pub fn dtype(&self) -> &str {
        &self.dtype
    }

    /// The dtype, when it is one that relulens reads.
    pub fn float_dtype(&self) -> Option<Dtype> {
        parse_dtype(&self.dtype)
    }

    /// The shape, outermost dimension first.
    pub fn shape(&self) -> &[usize] {
        &self.shape
    }

    /// The number of elements, the product of the shape.
    pub fn len(&self) -> usize {
        // Parsing checked that the product fits the buffer, so it cannot overflow.
        self.shape.iter().product()
    }

    /// Whether the tensor has no elements (a 0 in its shape).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The safetensors name of a dtype.
pub fn dtype_name(dtype: Dtype) -> &'static str {
    match dtype {
        Dtype::F16 => "F16",
        Dtype::BF16 => "BF16",
        Dtype::F32 => "F32",
        Dtype::F64 => "F64",
    }
}

fn parse_dtype(name: &str) -> Option<Dtype> {
    match name {
        "F16" => Some(Dtype::F16),
        "BF16" => Some(Dtype::BF16),
        "F32" => Some(Dtype::F32),
        "F64" => Some(Dtype::F64),
        _ => None,
    }
}

/// Bytes per element of every dtype the format defines, so lengths are checked even for tensors
/// relulens will not decode. Sub-byte types (F4, F6) have no whole size and are left unchecked.
fn element_size(dtype: &str) -> Option<usize> {
    Some(match dtype {
        "BOOL" | "U8" | "I8" | "F8_E5M2" | "F8_E4M3" | "F8_E8M0" => 1,
        "I16" | "U16" | "F16" | "BF16" => 2,
        "I32" | "U32" | "F32" => 4,
        "I64" | "U64" | "F64" | "C64" => 8,
        _ => return None,
    })
}

/// A header entry as written, before it is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    dtype: String,
    shape: Vec<u64>,
    data_offsets: [u64; 2],
}

impl SafeTensors {
    /// Reads and validates the file at `path`.
    ///
    /// # Errors
    ///
    /// [`Error::Io`] when the file cannot be read, and the errors of [`SafeTensors::parse`].
    pub fn read(path: impl AsRef<Path>) -> Result<Self> {
        let path = path.as_ref();
        let bytes = std::fs::read(path).map_err(|e| super::io_error("read", path, &e))?;
        SafeTensors::parse(bytes, &path.display().to_string())
    }

    /// Validates the bytes of a safetensors file; `file` names it in errors.
    ///
    /// # Errors
    ///
    /// [`Error::MalformedFile`] when the header length, the header's UTF-8 or JSON, or the metadata
    /// is invalid; [`Error::MalformedTensor`] when a tensor's entry is invalid, its offsets fall
    /// outside the buffer or overlap another tensor's, or its shape does not match its byte length.
    pub fn parse(mut bytes: Vec<u8>, file: &str) -> Result<Self> {
        let malformed = |reason: String| Error::MalformedFile {
            file: file.to_string(),
            reason,
        };
        let prefix: [u8; 8] = bytes
            .get(..8)
            .and_then(|b| b.try_into().ok())
            .ok_or_else(|| {
                malformed(format!(
                    "it is {} bytes long, shorter than the 8-byte header length",
                    bytes.len()
                ))
            })?;
        let header_len = u64::from_le_bytes(prefix);
        let rest = (bytes.len() - 8) as u64;
        if header_len > MAX_HEADER_BYTES {
            return Err(malformed(format!(
                "its header length {header_len} exceeds the {MAX_HEADER_BYTES}-byte limit"
            )));
        }
        if header_len > rest {
            return Err(malformed(format!(
                "its header length {header_len} exceeds the {rest} bytes that follow it (truncated file?)"
            )));
        }
        // Both bounds hold, so the length fits in usize.
        let data_start = 8 + header_len as usize;
        let header = std::str::from_utf8(&bytes[8..data_start]).map_err(|e| {
            malformed(format!(
                "its header is not UTF-8 (invalid byte at header offset {})",
                e.valid_up_to()
            ))
        })?;
        let entries: BTreeMap<String, serde_json::Value> = serde_json::from_str(header)
            .map_err(|e| malformed(format!("its header is not a JSON object: {e}")))?;

        let buffer_len = bytes.len() - data_start;
        let mut metadata = BTreeMap::new();
        let mut tensors = Vec::with_capacity(entries.len());
        for (name, value) in entries {
            if name == METADATA_KEY {
                metadata = serde_json::from_value(value).map_err(|e| {
                    malformed(format!("its {METADATA_KEY} is not a map of strings: {e}"))
                })?;
                continue;
            }
            tensors.push(check_entry(file, name, value, buffer_len)?);
        }
        tensors.sort_by_key(|t| (t.bytes.start, t.bytes.end));
        for pair in tensors.windows(2) {
            // Empty tensors take no bytes and cannot overlap anything.
            if !pair[0].bytes.is_empty() && pair[1].bytes.start < pair[0].bytes.end {
                return Err(Error::MalformedTensor {
                    file: file.to_string(),
                    tensor: pair[1].name.clone(),
                    reason: format!(
                        "its bytes {:?} overlap those of tensor {:?} ({:?})",
                        pair[1].bytes, pair[0].name, pair[0].bytes
                    ),
                });
            }
        }
        bytes.drain(..data_start);
        Ok(SafeTensors {
            file: file.to_string(),
            metadata,
            tensors,
            buffer: bytes,
        })
    }

    /// The file's name as given to [`read`](Self::read) or [`parse`](Self::parse).
    pub fn file(&self) -> &str {
        &self.file
    }

    /// The header's `__metadata__` map (empty when there is none).
    pub fn metadata(&self) -> &BTreeMap<String, String> {
        &self.metadata
    }

    /// Every tensor, in the order of their bytes in the buffer.
    pub fn tensors(&self) -> &[TensorInfo] {
        &self.tensors
    }

    /// The tensor called `name`.
    pub fn get(&self, name: &str) -> Option<&TensorInfo> {
        self.tensors.iter().find(|t| t.name == name)
    }

    /// The values of the tensor called `name`, row-major, converted exactly to `f64`.
    ///
    /// # Errors
    ///
    /// [`Error::MissingTensor`] when the file has no such tensor, and [`Error::UnsupportedDtype`]
    /// unless it is F16, BF16, F32 or F64.
    pub fn values(&self, name: &str) -> Result<Vec<f64>> {
        let tensor = self.get(name).ok_or_else(|| Error::MissingTensor {
            file: self.file.clone(),
            tensor: name.to_string(),
            reason: "the file has no tensor of that name".into(),
        })?;
        let dtype = tensor
            .float_dtype()
            .ok_or_else(|| Error::UnsupportedDtype {
                file: self.file.clone(),
                tensor: tensor.name.clone(),
                dtype: tensor.dtype.clone(),
            })?;
        Ok(decode(dtype, &self.buffer[tensor.bytes.clone()]))
    }
}

/// Checks one header entry: its fields, its offsets against the buffer, its shape against its length.
fn check_entry(
    file: &str,
    name: String,
    value: serde_json::Value,
    buffer_len: usize,
) -> Result<TensorInfo> {
    let fail = |name: &str, reason: String| Error::MalformedTensor {
        file: file.to_string(),
        tensor: name.to_string(),
        reason,
    };
    let raw: RawEntry = serde_json::from_value(value).map_err(|e| {
        fail(
            &name,
            format!("its entry is not {{dtype, shape, data_offsets}}: {e}"),
        )
    })?;
    let [begin, end] = raw.data_offsets;
    if begin > end || end > buffer_len as u64 {
        return Err(fail(
            &name,
            format!(
                "its data_offsets [{begin}, {end}] fall outside the {buffer_len}-byte buffer{}",
                if begin > end {
                    " (begin after end)"
                } else {
                    " (truncated file?)"
                }
            ),
        ));
    }
    // Within the buffer, so both fit in usize.
    let bytes = begin as usize..end as usize;
    let shape_text = format!("{:?}", raw.shape);
    let numel = raw
        .shape
        .iter()
        .try_fold(1u64, |n, &d| n.checked_mul(d))
        .filter(|&n| n <= buffer_len as u64)
        .ok_or_else(|| {
            fail(
                &name,
                format!("its shape {shape_text} has more elements than the file has bytes"),
            )
        })?;
    if let Some(size) = element_size(&raw.dtype) {
        let expected = numel * size as u64;
        if expected != bytes.len() as u64 {
            return Err(fail(
                &name,
                format!(
                    "its shape {shape_text} of {} needs {expected} bytes but data_offsets [{begin}, {end}] hold {}",
                    raw.dtype,
                    bytes.len()
                ),
            ));
        }
    }
    Ok(TensorInfo {
        name,
        dtype: raw.dtype,
        // Each dimension is at most the element count, which fits the buffer, so it fits usize.
        shape: raw.shape.iter().map(|&d| d as usize).collect(),
        bytes,
    })
}

/// Little-endian bytes of `dtype` to `f64`. Every F16, BF16 and F32 value is exactly an `f64`.
fn decode(dtype: Dtype, bytes: &[u8]) -> Vec<f64> {
    match dtype {
        Dtype::F64 => bytes
            .chunks_exact(8)
            .map(|b| f64::from_le_bytes(b.try_into().expect("chunks of 8")))
            .collect(),
        Dtype::F32 => bytes
            .chunks_exact(4)
            .map(|b| f64::from(f32::from_le_bytes(b.try_into().expect("chunks of 4"))))
            .collect(),
        Dtype::F16 => u16_chunks(bytes)
            .map(|bits| half::f16::from_bits(bits).to_f64())
            .collect(),
        Dtype::BF16 => u16_chunks(bytes)
            .map(|bits| half::bf16::from_bits(bits).to_f64())
            .collect(),
    }
}

fn u16_chunks(bytes: &[u8]) -> impl Iterator<Item = u16> + '_ {
    bytes
        .chunks_exact(2)
        .map(|b| u16::from_le_bytes([b[0], b[1]]))
}

/// `value` rounded to nearest (ties to even) in `dtype`, as little-endian bytes appended to `out`.
pub(crate) fn encode(dtype: Dtype, value: f64, out: &mut Vec<u8>) {
    match dtype {
        Dtype::F64 => out.extend_from_slice(&value.to_le_bytes()),
        Dtype::F32 => out.extend_from_slice(&(value as f32).to_le_bytes()),
        Dtype::F16 => out.extend_from_slice(&half::f16::from_f64(value).to_le_bytes()),
        Dtype::BF16 => out.extend_from_slice(&half::bf16::from_f64(value).to_le_bytes()),
    }
}

/// `value` after a round trip through `dtype`.
pub(crate) fn round_to(dtype: Dtype, value: f64) -> f64 {
    let mut bytes = Vec::with_capacity(8);
    encode(dtype, value, &mut bytes);
    decode(dtype, &bytes)[0]
}

/// A tensor to write: name, dtype, shape and values (row-major, as many as the shape holds).
pub(crate) struct TensorOut<'a> {
    pub name: String,
    pub dtype: Dtype,
    pub shape: Vec<usize>,
    pub values: &'a [f64],
}

/// The bytes of a safetensors file holding `tensors`, in order, and `metadata`.
///
/// The header is padded with spaces to a multiple of 8 bytes, as the reference implementation does,
/// so the buffer is aligned for any dtype; the buffer has no gaps, which strict readers require.
pub(crate) fn serialize(tensors: &[TensorOut<'_>], metadata: &BTreeMap<String, String>) -> Vec<u8> {
    let mut header = serde_json::Map::new();
    if !metadata.is_empty() {
        header.insert(METADATA_KEY.into(), serde_json::json!(metadata));
    }
    let mut offset = 0usize;
    for t in tensors {
        debug_assert_eq!(t.shape.iter().product::<usize>(), t.values.len());
        let size = element_size(dtype_name(t.dtype)).expect("every float dtype has a size");
        let end = offset + t.values.len() * size;
        header.insert(
            t.name.clone(),
            serde_json::json!({
                "dtype": dtype_name(t.dtype),
                "shape": t.shape,
                "data_offsets": [offset, end],
            }),
        );
        offset = end;
    }
    let mut header = serde_json::Value::Object(header).to_string().into_bytes();
    header.resize(header.len().next_multiple_of(8), b' ');
    let mut bytes = Vec::with_capacity(8 + header.len() + offset);
    bytes.extend_from_slice(&(header.len() as u64).to_le_bytes());
    bytes.extend_from_slice(&header);
    for t in tensors {
        for &v in t.values {
            encode(t.dtype, v, &mut bytes);
        }
    }
    bytes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file_with(header: &str, buffer: &[u8]) -> Vec<u8> {
        let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
        bytes.extend_from_slice(header.as_bytes());
        bytes.extend_from_slice(buffer);
        bytes
    }

    #[test]
    fn half_precision_decodes_exactly() {
        // f16: 1.0, -2.0, 1/3 rounded (0x3555 = 0.333251953125), the smallest subnormal 2^-24, 65504.
        let bits: [u16; 5] = [0x3C00, 0xC000, 0x3555, 0x0001, 0x7BFF];
        let bytes: Vec<u8> = bits.iter().flat_map(|b| b.to_le_bytes()).collect();
        assert_eq!(
            decode(Dtype::F16, &bytes),
            [1.0, -2.0, 0.333251953125, 2f64.powi(-24), 65504.0]
        );
        // bf16 is the top half of an f32: 0x3F80 = 1.0, 0xC040 = -3.0, 0x3EAB = 0.333984375.
        let bits: [u16; 3] = [0x3F80, 0xC040, 0x3EAB];
        let bytes: Vec<u8> = bits.iter().flat_map(|b| b.to_le_bytes()).collect();
        assert_eq!(decode(Dtype::BF16, &bytes), [1.0, -3.0, 0.333984375]);
    }

    #[test]
    fn encoding_rounds_to_nearest_even() {
        assert_eq!(round_to(Dtype::F16, 1.0 / 3.0), 0.333251953125);
        assert_eq!(round_to(Dtype::BF16, 1.0 / 3.0), 0.333984375);
        // 1 + 2^-11 is halfway between two f16 values: ties go to the even one, 1.0.
        assert_eq!(round_to(Dtype::F16, 1.0 + 2f64.powi(-11)), 1.0);
        assert_eq!(round_to(Dtype::F32, 0.1), f64::from(0.1f32));
        assert_eq!(round_to(Dtype::F64, 0.1), 0.1);
    }

    #[test]
    fn serialized_files_parse_back() {
        let values = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
        let tensors = [
            TensorOut {
                name: "a".into(),
                dtype: Dtype::F16,
                shape: vec![3],
                values: &values[..3],
            },
            TensorOut {
                name: "b".into(),
                dtype: Dtype::F64,
                shape: vec![1, 3],
                values: &values[3..],
            },
        ];
        let metadata = BTreeMap::from([("k".to_string(), "v".to_string())]);
        let bytes = serialize(&tensors, &metadata);
        let header_len = u64::from_le_bytes(bytes[..8].try_into().unwrap());
        assert_eq!(header_len % 8, 0);
        let file = SafeTensors::parse(bytes, "t").unwrap();
        assert_eq!(file.metadata(), &metadata);
        let b = file.get("b").unwrap();
        assert_eq!((b.dtype(), b.shape()), ("F64", &[1, 3][..]));
        assert_eq!(file.values("b").unwrap(), [4.0, 5.0, 6.0]);
        assert_eq!(file.values("a").unwrap(), [1.0, 2.0, 3.0]);
    }

    #[test]
    fn empty_tensors_take_no_bytes() {
        let header = r#"{"e":{"dtype":"F32","shape":[0,3],"data_offsets":[0,0]},"w":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#;
        let file = SafeTensors::parse(file_with(header, &[0, 0, 128, 63]), "t").unwrap();
        assert!(file.get("e").unwrap().is_empty());
        assert_eq!(file.values("w").unwrap(), [1.0]);
    }

    #[test]
    fn huge_shapes_are_refused_before_any_allocation() {
        let header =
            r#"{"w":{"dtype":"F32","shape":[4294967296,4294967296,16],"data_offsets":[0,4]}}"#;
        let err = SafeTensors::parse(file_with(header, &[0; 4]), "t").unwrap_err();
        assert!(
            err.to_string()
                .contains("more elements than the file has bytes"),
            "{err}"
        );
    }
}
