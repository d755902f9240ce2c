//! The activation functions on NumPy arrays, with NumPy's conventions: `relu(x, out=None)`,
//! `relu_(x)` in place, and `relu_backward(grad_output, output, out=None)`, the same for every
//! member of the family with its parameters as keywords.
//!
//! This is glue around `relulens::activation`'s slice kernels: it checks and converts the
//! arguments, picks each array's memory block (copying a strided or unaligned array first), and
//! hands the blocks to [`parallel`], which runs the kernels without the GIL and on every core, so
//! every result is the kernel's, bit for bit.
//!
//! ```python
//! >>> relulens.relu(np.array([-1.0, 0.0, 2.0], dtype=np.float32))
//! array([0., 0., 2.], dtype=float32)
//! >>> relulens.leaky_relu_backward([1.0, 1.0], [-3.0, 3.0], negative_slope=0.1)
//! array([0.1, 1. ])
//! ```

use numpy::{PyArrayDyn, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::prelude::*;
use relulens::activation::Activation;

use crate::convert::{
    block, block_mut, block_order, c_block, copy_to, data_address, float_array, is_block,
    is_writeable, new_array, overlaps, type_name, FloatArray, FloatElement, Number, Order, Text,
};
use crate::error::{error, guard, IntoPy, Kind};

mod parallel;

pub use parallel::{get_num_threads, set_num_threads};
use parallel::{run, run_backward, run_backward_inplace, run_forward, run_forward_inplace};

fn dtype_name<T: FloatElement>() -> &'static str {
    if T::NAME == "f32" {
        "float32"
    } else {
        "float64"
    }
}

/// Checks an `out=` argument: an array of the result's dtype and shape that may be written.
fn out_array<'py, T: FloatElement>(
    op: &str,
    out: &Bound<'py, PyAny>,
    shape: &[usize],
) -> PyResult<Bound<'py, PyArrayDyn<T>>> {
    let Ok(o) = out.cast::<PyArrayDyn<T>>() else {
        let got = match out.cast::<PyUntypedArray>() {
            Ok(a) => format!("an array of dtype {}", a.dtype().str()?),
            Err(_) => type_name(&out.as_borrowed()),
        };
        return Err(error(
            Kind::Dtype,
            format!(
                "{op}: out must be a {} array like the result, got {got}",
                dtype_name::<T>()
            ),
        ));
    };
    if o.shape() != shape {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: out has shape {:?}, the result has shape {shape:?}",
                o.shape()
            ),
        ));
    }
    if !is_writeable(o.as_untyped()) {
        return Err(error(Kind::ReadOnly, format!("{op}: out is read-only")));
    }
    Ok(o.clone())
}

/// Whether two arrays that are blocks in the same order hold the very same elements.
fn same_block(a: &Bound<'_, PyUntypedArray>, b: &Bound<'_, PyUntypedArray>) -> bool {
    a.shape() == b.shape() && data_address(a) == data_address(b)
}

/// `x` as one aligned block and its order (copying a strided or unaligned array to C order).
fn as_block<'py, T: FloatElement>(
    x: Bound<'py, PyArrayDyn<T>>,
) -> PyResult<(Bound<'py, PyArrayDyn<T>>, Order)> {
    match block_order(x.as_untyped()) {
        Some(order) => Ok((x, order)),
        None => Ok((c_block(&x)?, Order::C)),
    }
}

/// `x` itself when it is one aligned C-ordered block, else a C-ordered copy.
fn in_c_order<T: FloatElement>(x: Bound<'_, PyArrayDyn<T>>) -> PyResult<Bound<'_, PyArrayDyn<T>>> {
    if is_block(x.as_untyped(), Order::C) {
        Ok(x)
    } else {
        c_block(&x)
    }
}

fn forward_typed<'py, T: FloatElement>(
    op: &str,
    act: Activation,
    x: Bound<'py, PyArrayDyn<T>>,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = x.py();
    let (x, order) = as_block(x)?;
    let Some(out) = out else {
        let result = new_array::<T>(py, x.shape(), order);
        // SAFETY: `x` is one aligned block; `result` is new, so nothing else refers to it.
        let (xs, rs) = unsafe { (block(&x), block_mut(&result)) };
        run(py, xs.len(), || run_forward(act, xs, rs, true))?;
        return Ok(result.into_any());
    };
    let o = out_array::<T>(op, out, x.shape())?;
    let (ou, xu) = (o.as_untyped(), x.as_untyped());
    if is_block(ou, order) && same_block(ou, xu) {
        // `out=x`: in place.
        // SAFETY: `o` is one aligned, writeable block, and `x` (the same memory) is not read.
        let os = unsafe { block_mut(&o) };
        run(py, os.len(), || run_forward_inplace(act, os))?;
    } else if is_block(ou, order) && !overlaps(ou, xu) {
        // SAFETY: both are aligned blocks that do not overlap; `o` is writeable.
        let (xs, os) = unsafe { (block(&x), block_mut(&o)) };
        run(py, xs.len(), || run_forward(act, xs, os, false))?;
    } else {
        // A strided `out`, or one that partly overlaps `x`: compute apart, then let NumPy copy.
        let result = forward_typed(op, act, x, None)?;
        copy_to(out, &result)?;
    }
    Ok(out.clone())
}

/// `activation(x)`, into `out` when given.
fn forward<'py>(
    op: &str,
    act: Activation,
    x: &Bound<'py, PyAny>,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(op, || match float_array(op, "x", x)? {
        FloatArray::F32(a) => forward_typed(op, act, a, out),
        FloatArray::F64(a) => forward_typed(op, act, a, out),
    })
}

fn forward_inplace_typed<'py, T: FloatElement>(
    op: &str,
    act: Activation,
    x: &Bound<'py, PyArrayDyn<T>>,
) -> PyResult<()> {
    if !is_writeable(x.as_untyped()) {
        return Err(error(Kind::ReadOnly, format!("{op}: x is read-only")));
    }
    if block_order(x.as_untyped()).is_some() {
        // SAFETY: `x` is one aligned, writeable block.
        let xs = unsafe { block_mut(x) };
        run(x.py(), xs.len(), || run_forward_inplace(act, xs))
    } else {
        let copy = c_block(x)?;
        // SAFETY: `copy` is a new aligned block.
        let cs = unsafe { block_mut(&copy) };
        run(x.py(), cs.len(), || run_forward_inplace(act, cs))?;
        copy_to(x.as_any(), copy.as_any())
    }
}

/// `x = activation(x)` in place; returns `x`.
fn forward_inplace<'py>(
    op: &str,
    act: Activation,
    x: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(op, || {
        if let Ok(a) = x.cast::<PyArrayDyn<f32>>() {
            forward_inplace_typed(op, act, a)?;
        } else if let Ok(a) = x.cast::<PyArrayDyn<f64>>() {
            forward_inplace_typed(op, act, a)?;
        } else {
            let got = match x.cast::<PyUntypedArray>() {
                Ok(a) => format!("an array of dtype {}", a.dtype().str()?),
                Err(_) => type_name(&x.as_borrowed()),
            };
            return Err(error(
                Kind::Dtype,
                format!(
                    "{op}: in place needs a float32 or float64 NumPy array, got {got} \
                     (the out-of-place function converts other input)"
                ),
            ));
        }
        Ok(x.clone())
    })
}

fn backward_typed<'py, T: FloatElement>(
    op: &str,
    act: Activation,
    grad_output: Bound<'py, PyArrayDyn<T>>,
    saved: Bound<'py, PyArrayDyn<T>>,
    saved_name: &str,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = saved.py();
    if grad_output.shape() != saved.shape() {
        return Err(error(
            Kind::Shape,
            format!(
                "{op}: grad_output has shape {:?} but {saved_name} has shape {:?}; they must be equal",
                grad_output.shape(),
                saved.shape()
            ),
        ));
    }
    // Both blocks in one order: F only when both are column-major, else C (copying as needed).
    let order = if is_block(saved.as_untyped(), Order::F)
        && is_block(grad_output.as_untyped(), Order::F)
        && !(is_block(saved.as_untyped(), Order::C) && is_block(grad_output.as_untyped(), Order::C))
    {
        Order::F
    } else {
        Order::C
    };
    let (saved, grad_output) = match order {
        Order::F => (saved, grad_output),
        Order::C => (in_c_order(saved)?, in_c_order(grad_output)?),
    };
    let Some(out) = out else {
        let result = new_array::<T>(py, saved.shape(), order);
        // SAFETY: both inputs are aligned blocks; `result` is new.
        let (ss, gs, rs) = unsafe { (block(&saved), block(&grad_output), block_mut(&result)) };
        run(py, ss.len(), || run_backward(act, ss, gs, rs, true))?;
        return Ok(result.into_any());
    };
    let o = out_array::<T>(op, out, saved.shape())?;
    let (ou, gu, su) = (o.as_untyped(), grad_output.as_untyped(), saved.as_untyped());
    if is_block(ou, order) && same_block(ou, gu) && !overlaps(ou, su) {
        // The usual in-place backward: the gradient is overwritten by the input gradient.
        // SAFETY: `o` is an aligned writeable block that `saved` does not overlap.
        let (ss, os) = unsafe { (block(&saved), block_mut(&o)) };
        run(py, ss.len(), || run_backward_inplace(act, ss, os))?;
    } else if is_block(ou, order) && !overlaps(ou, gu) && !overlaps(ou, su) {
        // SAFETY: three aligned blocks, `o` writeable and apart from the others.
        let (ss, gs, os) = unsafe { (block(&saved), block(&grad_output), block_mut(&o)) };
        run(py, ss.len(), || run_backward(act, ss, gs, os, false))?;
    } else {
        let result = backward_typed(op, act, grad_output, saved, saved_name, None)?;
        copy_to(out, &result)?;
    }
    Ok(out.clone())
}

/// The input gradient of `activation` for upstream `grad_output`, given the saved tensor.
fn backward<'py>(
    op: &str,
    act: Activation,
    grad_output: &Bound<'py, PyAny>,
    saved: &Bound<'py, PyAny>,
    saved_name: &str,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    guard(op, || {
        let g = float_array(op, "grad_output", grad_output)?;
        let s = float_array(op, saved_name, saved)?;
        match (g, s) {
            (FloatArray::F32(g), FloatArray::F32(s)) => {
                backward_typed(op, act, g, s, saved_name, out)
            }
            (FloatArray::F64(g), FloatArray::F64(s)) => {
                backward_typed(op, act, g, s, saved_name, out)
            }
            // Mixed float32 and float64 compute in float64, as NumPy promotes them.
            (g, s) => backward_typed(op, act, g.into_f64()?, s.into_f64()?, saved_name, out),
        }
    })
}

/// The activation `name` with the parameters given (the others keep PyTorch's defaults).
fn build(name: &str, params: &[(&str, Option<Number>)]) -> PyResult<Activation> {
    let given: Vec<(&str, f64)> = params
        .iter()
        .filter_map(|&(key, value)| value.map(|v| (key, v.0)))
        .collect();
    Activation::from_name(name, &given).py_err()
}

/// GELU's `approximate`: `"none"` (the exact GELU) or `"tanh"`.
fn gelu_variant(approximate: Option<Text>) -> PyResult<Activation> {
    match approximate.as_ref().map(|t| t.0.as_str()) {
        None | Some("none") => Ok(Activation::Gelu),
        Some("tanh") => Ok(Activation::GeluTanh),
        Some(other) => Err(error(
            Kind::Activation,
            format!("gelu: approximate must be \"none\" or \"tanh\", got {other:?}"),
        )),
    }
}

/// Defines `name(x, params…, *, out=None)`, `name_(x, params…)` and
/// `name_backward(grad_output, saved, params…, *, out=None)` for one activation.
macro_rules! family {
    (
        $name:ident, $inplace:ident, $backward:ident, $saved:ident,
        ($($param:ident),*), $sig:literal, $inplace_sig:literal, $backward_sig:literal
    ) => {
        #[doc = concat!(
            "`", stringify!($name), "` of every element, as a new array (or into `out`).\n\n",
            "float32 and float64 arrays keep their dtype; other input is converted to float64. ",
            "Parameters not given take PyTorch's defaults."
        )]
        #[pyfunction]
        #[pyo3(signature = (x, $($param = None,)* *, out = None), text_signature = $sig)]
        pub fn $name<'py>(
            x: &Bound<'py, PyAny>,
            $($param: Option<Number>,)*
            out: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let act = build(stringify!($name), &[$((stringify!($param), $param)),*])?;
            forward(stringify!($name), act, x, out)
        }

        #[doc = concat!(
            "`", stringify!($name), "` in place on a float32 or float64 array; returns it."
        )]
        #[pyfunction]
        #[pyo3(signature = (x, $($param = None),*), text_signature = $inplace_sig)]
        pub fn $inplace<'py>(
            x: &Bound<'py, PyAny>,
            $($param: Option<Number>,)*
        ) -> PyResult<Bound<'py, PyAny>> {
            let act = build(stringify!($name), &[$((stringify!($param), $param)),*])?;
            forward_inplace(stringify!($inplace), act, x)
        }

        #[doc = concat!(
            "The gradient of `", stringify!($name), "` with respect to its input, for the ",
            "upstream `grad_output`, given the forward's `", stringify!($saved), "`."
        )]
        #[pyfunction]
        #[pyo3(signature = (grad_output, $saved, $($param = None,)* *, out = None), text_signature = $backward_sig)]
        pub fn $backward<'py>(
            grad_output: &Bound<'py, PyAny>,
            $saved: &Bound<'py, PyAny>,
            $($param: Option<Number>,)*
            out: Option<&Bound<'py, PyAny>>,
        ) -> PyResult<Bound<'py, PyAny>> {
            let act = build(stringify!($name), &[$((stringify!($param), $param)),*])?;
            backward(stringify!($backward), act, grad_output, $saved, stringify!($saved), out)
        }
    };
}

family!(
    relu,
    relu_,
    relu_backward,
    output,
    (),
    "(x, *, out=None)",
    "(x)",
    "(grad_output, output, *, out=None)"
);
family!(
    leaky_relu,
    leaky_relu_,
    leaky_relu_backward,
    input,
    (negative_slope),
    "(x, negative_slope=0.01, *, out=None)",
    "(x, negative_slope=0.01)",
    "(grad_output, input, negative_slope=0.01, *, out=None)"
);
family!(
    relu6,
    relu6_,
    relu6_backward,
    input,
    (),
    "(x, *, out=None)",
    "(x)",
    "(grad_output, input, *, out=None)"
);
family!(
    prelu,
    prelu_,
    prelu_backward,
    input,
    (weight),
    "(x, weight=0.25, *, out=None)",
    "(x, weight=0.25)",
    "(grad_output, input, weight=0.25, *, out=None)"
);
family!(
    elu,
    elu_,
    elu_backward,
    input,
    (alpha),
    "(x, alpha=1.0, *, out=None)",
    "(x, alpha=1.0)",
    "(grad_output, input, alpha=1.0, *, out=None)"
);
family!(
    selu,
    selu_,
    selu_backward,
    input,
    (),
    "(x, *, out=None)",
    "(x)",
    "(grad_output, input, *, out=None)"
);
family!(
    silu,
    silu_,
    silu_backward,
    input,
    (),
    "(x, *, out=None)",
    "(x)",
    "(grad_output, input, *, out=None)"
);
family!(
    softplus,
    softplus_,
    softplus_backward,
    input,
    (beta, threshold),
    "(x, beta=1.0, threshold=20.0, *, out=None)",
    "(x, beta=1.0, threshold=20.0)",
    "(grad_output, input, beta=1.0, threshold=20.0, *, out=None)"
);
family!(
    hardswish,
    hardswish_,
    hardswish_backward,
    input,
    (),
    "(x, *, out=None)",
    "(x)",
    "(grad_output, input, *, out=None)"
);
family!(
    mish,
    mish_,
    mish_backward,
    input,
    (),
    "(x, *, out=None)",
    "(x)",
    "(grad_output, input, *, out=None)"
);
family!(
    identity,
    identity_,
    identity_backward,
    output,
    (),
    "(x, *, out=None)",
    "(x)",
    "(grad_output, output, *, out=None)"
);

/// `gelu` of every element: `approximate="none"` is x·Φ(x), `"tanh"` PyTorch's tanh approximation.
#[pyfunction]
#[pyo3(signature = (x, approximate = None, *, out = None), text_signature = "(x, approximate='none', *, out=None)")]
pub fn gelu<'py>(
    x: &Bound<'py, PyAny>,
    approximate: Option<Text>,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    forward("gelu", gelu_variant(approximate)?, x, out)
}

/// `gelu` in place on a float32 or float64 array; returns it.
#[pyfunction]
#[pyo3(signature = (x, approximate = None), text_signature = "(x, approximate='none')")]
pub fn gelu_<'py>(x: &Bound<'py, PyAny>, approximate: Option<Text>) -> PyResult<Bound<'py, PyAny>> {
    forward_inplace("gelu_", gelu_variant(approximate)?, x)
}

/// The gradient of `gelu` with respect to its input, for the upstream `grad_output`.
#[pyfunction]
#[pyo3(signature = (grad_output, input, approximate = None, *, out = None), text_signature = "(grad_output, input, approximate='none', *, out=None)")]
pub fn gelu_backward<'py>(
    grad_output: &Bound<'py, PyAny>,
    input: &Bound<'py, PyAny>,
    approximate: Option<Text>,
    out: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    backward(
        "gelu_backward",
        gelu_variant(approximate)?,
        grad_output,
        input,
        "input",
        out,
    )
}

/// Every activation's name (`gelu_tanh` is `gelu(x, approximate="tanh")` here).
#[pyfunction]
pub fn activation_names() -> Vec<&'static str> {
    Activation::names().to_vec()
}

/// Adds the activation functions to the module.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    macro_rules! add {
        ($($f:ident),* $(,)?) => { $( m.add_function(wrap_pyfunction!($f, m)?)?; )* };
    }
    add!(
        relu,
        relu_,
        relu_backward,
        leaky_relu,
        leaky_relu_,
        leaky_relu_backward,
        relu6,
        relu6_,
        relu6_backward,
        prelu,
        prelu_,
        prelu_backward,
        elu,
        elu_,
        elu_backward,
        selu,
        selu_,
        selu_backward,
        gelu,
        gelu_,
        gelu_backward,
        silu,
        silu_,
        silu_backward,
        softplus,
        softplus_,
        softplus_backward,
        hardswish,
        hardswish_,
        hardswish_backward,
        mish,
        mish_,
        mish_backward,
        identity,
        identity_,
        identity_backward,
        set_num_threads,
        get_num_threads,
        activation_names,
    );
    Ok(())
}
