//! Conversions between Python objects and the library's slices: NumPy arrays of float32 and
//! float64 are used as they are, everything else array-like becomes float64 (the dtype NumPy gives
//! `np.asarray([1, 2])`-style input); numbers become `f64` parameters. Every failure is a
//! `relulens.errors` exception.
//!
//! ```python
//! relulens.relu(np.arange(3, dtype=np.float32)).dtype  # float32, kept
//! relulens.relu([1, -2]).dtype                         # float64, converted
//! ```

use numpy::ndarray::{Array, IxDyn};
use numpy::{npyffi, Element, PyArray, PyArrayDyn, PyArrayMethods, PyUntypedArray};
use numpy::{PyArrayDescrMethods, PyUntypedArrayMethods};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyString};
use relulens::activation::Float;

use crate::error::{error, Kind};

static NUMPY: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The `numpy` module.
pub fn numpy(py: Python<'_>) -> PyResult<&Bound<'_, PyModule>> {
    Ok(NUMPY
        .get_or_try_init(py, || py.import("numpy").map(Bound::unbind))?
        .bind(py))
}

/// A number argument (an activation's parameter, a learning rate): anything `float()` accepts
/// except strings, refused with `relulens.DtypeError` rather than PyO3's plain `TypeError`.
#[derive(Debug, Clone, Copy)]
pub struct Number(pub f64);

impl<'a, 'py> FromPyObject<'a, 'py> for Number {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        if !obj.is_instance_of::<PyString>() {
            if let Ok(v) = obj.extract::<f64>() {
                return Ok(Number(v));
            }
        }
        Err(error(
            Kind::Dtype,
            format!("expected a number, got {}", type_name(&obj)),
        ))
    }
}

/// A count argument (epochs, a seed): a non-negative Python integer.
#[derive(Debug, Clone, Copy)]
pub struct Count(pub u64);

impl<'a, 'py> FromPyObject<'a, 'py> for Count {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        // bool is an int in Python, but `epochs=True` is a mistake, not 1.
        if obj.is_instance_of::<pyo3::types::PyBool>() {
            return Err(error(Kind::Dtype, "expected an integer, got bool"));
        }
        match obj.extract::<i128>() {
            Ok(v) if (0..=i128::from(u64::MAX)).contains(&v) => Ok(Count(v as u64)),
            Ok(v) => Err(error(
                Kind::Argument,
                format!("expected a non-negative integer, got {v}"),
            )),
            Err(_) => Err(error(
                Kind::Dtype,
                format!("expected an integer, got {}", type_name(&obj)),
            )),
        }
    }
}

/// A text argument (a name, an option).
#[derive(Debug, Clone)]
pub struct Text(pub String);

impl<'a, 'py> FromPyObject<'a, 'py> for Text {
    type Error = PyErr;

    fn extract(obj: Borrowed<'a, 'py, PyAny>) -> PyResult<Self> {
        match obj.cast::<PyString>() {
            Ok(s) => s
                .to_str()
                .map(|s| Text(s.to_owned()))
                .map_err(|_| error(Kind::Dtype, "expected a string of valid Unicode")),
            Err(_) => Err(error(
                Kind::Dtype,
                format!("expected a string, got {}", type_name(&obj)),
            )),
        }
    }
}

/// The name of an object's type, for messages.
pub fn type_name(obj: &Borrowed<'_, '_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A float32 or float64 NumPy array.
pub enum FloatArray<'py> {
    F32(Bound<'py, PyArrayDyn<f32>>),
    F64(Bound<'py, PyArrayDyn<f64>>),
}

impl<'py> FloatArray<'py> {
    /// The same values as float64 (a copy for float32).
    pub fn into_f64(self) -> PyResult<Bound<'py, PyArrayDyn<f64>>> {
        match self {
            FloatArray::F64(a) => Ok(a),
            FloatArray::F32(a) => Ok(a
                .call_method1(pyo3::intern!(a.py(), "astype"), ("float64",))?
                .cast_into::<PyArrayDyn<f64>>()?),
        }
    }
}

/// `obj` as a float array: float32 and float64 arrays as they are (no copy); anything else through
/// `numpy.asarray`, keeping a float32 or float64 result (a NumPy float32 scalar stays float32) and
/// casting booleans, integers, other floats and objects to float64. Complex numbers, strings,
/// bytes, dates and `None` are refused.
///
/// # Errors
///
/// `relulens.DtypeError` for what cannot be converted, `relulens.ShapeError` for ragged nesting.
pub fn float_array<'py>(
    op: &str,
    what: &str,
    obj: &Bound<'py, PyAny>,
) -> PyResult<FloatArray<'py>> {
    if let Ok(a) = obj.cast::<PyArrayDyn<f32>>() {
        return Ok(FloatArray::F32(a.clone()));
    }
    if let Ok(a) = obj.cast::<PyArrayDyn<f64>>() {
        return Ok(FloatArray::F64(a.clone()));
    }
    convert(op, what, obj)
}

/// The slow path of [`float_array`].
fn convert<'py>(op: &str, what: &str, obj: &Bound<'py, PyAny>) -> PyResult<FloatArray<'py>> {
    let py = obj.py();
    let refuse = |got: String| {
        error(
            Kind::Dtype,
            format!("{op}: {what} must be a float array or numbers, got {got}"),
        )
    };
    if obj.is_none() || obj.is_instance_of::<PyString>() || obj.is_instance_of::<PyBytes>() {
        return Err(refuse(type_name(&obj.as_borrowed())));
    }
    let np = numpy(py)?;
    let describe = |err: PyErr| {
        let message = err.value(py).to_string();
        if err.is_instance_of::<PyValueError>(py) && message.contains("inhomogeneous") {
            error(Kind::Shape, format!("{op}: {what} is ragged: {message}"))
        } else if err.is_instance_of::<PyTypeError>(py) || err.is_instance_of::<PyValueError>(py) {
            refuse(format!("{} ({message})", type_name(&obj.as_borrowed())))
        } else {
            err
        }
    };
    let array = np
        .call_method1(pyo3::intern!(py, "asarray"), (obj,))
        .map_err(describe)?
        .cast_into::<PyUntypedArray>()?;
    if let Ok(a) = array.cast::<PyArrayDyn<f32>>() {
        return Ok(FloatArray::F32(a.clone()));
    }
    if let Ok(a) = array.cast::<PyArrayDyn<f64>>() {
        return Ok(FloatArray::F64(a.clone()));
    }
    let dtype = array.dtype();
    // b: bool, i/u: integers, f: other floats (float16, longdouble, byte-swapped), O: objects.
    if !matches!(dtype.kind(), b'b' | b'i' | b'u' | b'f' | b'O') {
        return Err(refuse(format!("an array of dtype {}", dtype.str()?)));
    }
    let converted = array
        .call_method1(pyo3::intern!(py, "astype"), ("float64",))
        .map_err(describe)?;
    Ok(FloatArray::F64(converted.cast_into::<PyArrayDyn<f64>>()?))
}

/// `obj` as a float64 array (float32 widened).
pub fn f64_array<'py>(
    op: &str,
    what: &str,
    obj: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyArrayDyn<f64>>> {
    float_array(op, what, obj)?.into_f64()
}

/// A memory order in which an array is one block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// Row-major.
    C,
    /// Column-major.
    F,
}

fn flags(a: &Bound<'_, PyUntypedArray>) -> i32 {
    // SAFETY: `a` is a live NumPy array, so its object pointer is valid while we hold it.
    unsafe { (*npyffi::_PyArray_GET_ITEM_DATA(a.as_array_ptr())).flags }
}

/// The order in which `a` is one aligned block (C preferred), or `None` when it is strided or
/// unaligned; such arrays are copied before a kernel reads them.
pub fn block_order(a: &Bound<'_, PyUntypedArray>) -> Option<Order> {
    let f = flags(a);
    if f & npyffi::NPY_ARRAY_ALIGNED == 0 {
        None
    } else if f & npyffi::NPY_ARRAY_C_CONTIGUOUS != 0 {
        Some(Order::C)
    } else if f & npyffi::NPY_ARRAY_F_CONTIGUOUS != 0 {
        Some(Order::F)
    } else {
        None
    }
}

/// Whether `a` is one aligned block in `order` (a 1-D or single-element array is in both).
pub fn is_block(a: &Bound<'_, PyUntypedArray>, order: Order) -> bool {
    let f = flags(a);
    let bit = match order {
        Order::C => npyffi::NPY_ARRAY_C_CONTIGUOUS,
        Order::F => npyffi::NPY_ARRAY_F_CONTIGUOUS,
    };
    f & npyffi::NPY_ARRAY_ALIGNED != 0 && f & bit != 0
}

/// Whether `a` may be written.
pub fn is_writeable(a: &Bound<'_, PyUntypedArray>) -> bool {
    flags(a) & npyffi::NPY_ARRAY_WRITEABLE != 0
}

/// The address of an array's first element.
pub fn data_address(a: &Bound<'_, PyUntypedArray>) -> usize {
    // SAFETY: as in `flags`.
    unsafe { (*npyffi::_PyArray_GET_ITEM_DATA(a.as_array_ptr())).data as usize }
}

/// The bytes an array's elements span, `[start, end)`, from its data pointer and strides.
pub fn byte_span(a: &Bound<'_, PyUntypedArray>) -> (usize, usize) {
    if a.len() == 0 {
        return (0, 0);
    }
    // SAFETY: as in `flags`.
    let data = data_address(a);
    let itemsize = a.dtype().itemsize();
    let (mut low, mut high) = (data as isize, data as isize);
    for (&n, &s) in a.shape().iter().zip(a.strides()) {
        let reach = s * (n as isize - 1);
        if reach < 0 {
            low += reach;
        } else {
            high += reach;
        }
    }
    (low as usize, high as usize + itemsize)
}

/// Whether two arrays' spans intersect (conservative: interleaved views count as overlapping).
pub fn overlaps(a: &Bound<'_, PyUntypedArray>, b: &Bound<'_, PyUntypedArray>) -> bool {
    let (a0, a1) = byte_span(a);
    let (b0, b1) = byte_span(b);
    a0 < b1 && b0 < a1
}

/// The elements of an array that is one aligned block, in memory order.
///
/// # Safety
///
/// `a` must be one aligned block ([`block_order`] is `Some`), and no one may write to it while the
/// slice lives (Python code can, from another thread, as it can for NumPy's own ufuncs).
pub unsafe fn block<'a, T: Element>(a: &'a Bound<'_, PyArrayDyn<T>>) -> &'a [T] {
    let n = a.len();
    if n == 0 {
        return &[];
    }
    // SAFETY: the caller guarantees one aligned block of `n` elements.
    unsafe { std::slice::from_raw_parts(a.data(), n) }
}

/// As [`block`], mutable.
///
/// # Safety
///
/// As [`block`], and `a` must be writeable and not overlap any other slice in use.
#[allow(clippy::mut_from_ref)]
pub unsafe fn block_mut<'a, T: Element>(a: &'a Bound<'_, PyArrayDyn<T>>) -> &'a mut [T] {
    let n = a.len();
    if n == 0 {
        return &mut [];
    }
    // SAFETY: the caller guarantees one aligned, writeable, unshared block of `n` elements.
    unsafe { std::slice::from_raw_parts_mut(a.data(), n) }
}

/// A new, uninitialised array of `shape` in `order`.
pub fn new_array<'py, T: Element>(
    py: Python<'py>,
    shape: &[usize],
    order: Order,
) -> Bound<'py, PyArrayDyn<T>> {
    // SAFETY: every caller writes each element before the array reaches Python.
    unsafe { PyArray::new(py, shape, order == Order::F) }
}

/// `a` copied into one C-ordered aligned block (`numpy.ascontiguousarray`).
pub fn c_block<'py, T: Element>(
    a: &Bound<'py, PyArrayDyn<T>>,
) -> PyResult<Bound<'py, PyArrayDyn<T>>> {
    let py = a.py();
    Ok(numpy(py)?
        .call_method1(pyo3::intern!(py, "ascontiguousarray"), (a,))?
        .cast_into::<PyArrayDyn<T>>()?)
}

/// `numpy.copyto(dst, src)`: handles any layout and overlap.
pub fn copy_to(dst: &Bound<'_, PyAny>, src: &Bound<'_, PyAny>) -> PyResult<()> {
    let py = dst.py();
    numpy(py)?.call_method1(pyo3::intern!(py, "copyto"), (dst, src))?;
    Ok(())
}

/// A float64 matrix `[rows, cols]`, row-major: a 2-D array, or one row given as a 1-D array.
/// Returns the values, the number of rows and whether the input was 1-D.
///
/// # Errors
///
/// `relulens.ShapeError` for other dimensions or a width other than `cols` (when given).
pub fn matrix(
    op: &str,
    what: &str,
    obj: &Bound<'_, PyAny>,
    cols: Option<usize>,
) -> PyResult<(Vec<f64>, usize, usize, bool)> {
    let a = f64_array(op, what, obj)?;
    let shape = a.shape().to_vec();
    let (rows, width, one_row) = match shape[..] {
        [n] if cols.is_some() => (1, n, true),
        [r, c] => (r, c, false),
        _ => {
            return Err(error(
                Kind::Shape,
                format!("{op}: {what} must be 2-D [rows, features], got shape {shape:?}"),
            ))
        }
    };
    if let Some(c) = cols {
        if width != c {
            return Err(error(
                Kind::Shape,
                format!("{op}: {what} has {width} columns (shape {shape:?}), the model takes {c} features"),
            ));
        }
    }
    let values: Vec<f64> = a.readonly().as_array().iter().copied().collect();
    Ok((values, rows, width, one_row))
}

/// A float64 vector, checked for length `len` when given.
pub fn vector(
    op: &str,
    what: &str,
    obj: &Bound<'_, PyAny>,
    len: Option<usize>,
) -> PyResult<Vec<f64>> {
    let a = f64_array(op, what, obj)?;
    let shape = a.shape().to_vec();
    match (&shape[..], len) {
        ([n], Some(l)) if *n != l => Err(error(
            Kind::Shape,
            format!("{op}: {what} has {n} values, expected {l}"),
        )),
        ([_], _) => Ok(a.readonly().as_array().iter().copied().collect()),
        _ => Err(error(
            Kind::Shape,
            format!("{op}: {what} must be 1-D, got shape {shape:?}"),
        )),
    }
}

/// A NumPy array of `shape` holding `values` (row-major), without copying them.
pub fn to_array<'py, T: Element>(
    py: Python<'py>,
    values: Vec<T>,
    shape: &[usize],
) -> Bound<'py, PyArrayDyn<T>> {
    let array = Array::from_shape_vec(IxDyn(shape), values)
        .expect("every caller passes as many values as the shape holds");
    PyArray::from_owned_array(py, array)
}

/// Marks the library's float types as NumPy elements too.
pub trait FloatElement: Float + Element {}
impl FloatElement for f32 {}
impl FloatElement for f64 {}
