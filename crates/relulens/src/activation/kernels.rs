//! Slice kernels: forward out of place and in place, and backward, each with a plain reference.
//!
//! The fast kernels hoist the choice of activation out of the loop (one monomorphised loop per
//! variant, so the compiler vectorises it) and pick at run time the widest instruction set the
//! processor has. They evaluate exactly the scalar definitions of [`super::functions`], so they agree
//! with the `*_reference` kernels bit for bit, which the tests check.
//!
//! ```
//! use relulens::activation::{backward, forward_inplace, Activation};
//! let mut x = [-1.0f64, 0.5, 2.0];
//! forward_inplace(Activation::Relu, &mut x);           // x is now the output
//! let mut grad_input = [0.0; 3];
//! backward(Activation::Relu, &x, &[1.0, 1.0, 1.0], &mut grad_input)?; // ReLU saves its output
//! assert_eq!(grad_input, [0.0, 1.0, 1.0]);
//! # Ok::<(), relulens::Error>(())
//! ```

use super::{Activation, Float};
use crate::error::{Error, Result};

/// Runs `$body` with `$a` bound to a closure that rebuilds `$act`, so that inside each element's
/// closure the variant is a constant of the code, not data: the per-element `match` in
/// `value`/`backward_scalar` then folds away even in the separately compiled AVX2 loop, which only
/// sees the closure's captured parameters. The element closures are `#[inline(always)]`: a loop
/// vectorises only with the element's arithmetic inside it, and LLVM would otherwise leave a large
/// one (GELU, Mish) out of line where a loop has several call sites (the streaming path).
macro_rules! specialise {
    ($act:expr, |$a:ident| $body:expr) => {
        match $act {
            Activation::Relu => {
                let $a = move || Activation::Relu;
                $body
            }
            Activation::LeakyRelu { negative_slope } => {
                let $a = move || Activation::LeakyRelu { negative_slope };
                $body
            }
            Activation::Relu6 => {
                let $a = move || Activation::Relu6;
                $body
            }
            Activation::Prelu { weight } => {
                let $a = move || Activation::Prelu { weight };
                $body
            }
            Activation::Elu { alpha } => {
                let $a = move || Activation::Elu { alpha };
                $body
            }
            Activation::Selu => {
                let $a = move || Activation::Selu;
                $body
            }
            Activation::Gelu => {
                let $a = move || Activation::Gelu;
                $body
            }
            Activation::GeluTanh => {
                let $a = move || Activation::GeluTanh;
                $body
            }
            Activation::Silu => {
                let $a = move || Activation::Silu;
                $body
            }
            Activation::Softplus { beta, threshold } => {
                let $a = move || Activation::Softplus { beta, threshold };
                $body
            }
            Activation::Hardswish => {
                let $a = move || Activation::Hardswish;
                $body
            }
            Activation::Mish => {
                let $a = move || Activation::Mish;
                $body
            }
            Activation::Identity => {
                let $a = move || Activation::Identity;
                $body
            }
        }
    };
}

fn check_len(op: &'static str, what: &'static str, expected: usize, got: usize) -> Result<()> {
    if expected == got {
        Ok(())
    } else {
        Err(Error::LengthMismatch {
            op,
            what,
            expected,
            got,
        })
    }
}

fn check_backward_lens<T>(saved: &[T], grad_output: &[T], grad_input: &[T]) -> Result<()> {
    let op = "activation backward";
    check_len(op, "grad_output", saved.len(), grad_output.len())?;
    check_len(op, "grad_input", saved.len(), grad_input.len())
}

pub use simd::STREAM_BYTES;

/// How an out-of-place kernel writes its output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stores {
    /// Ordinary stores, through the caches: for an output that fits in them, or one just allocated
    /// (the kernel zeroes each fresh page on its first touch, so its lines are in the cache a
    /// moment later, and streaming past them made a new 10^7 element array 0.85× NumPy's speed
    /// instead of 1.27–1.30×; see `bench/BENCHMARKS.md`).
    Cached,
    /// Non-temporal stores, past the caches (on x86-64 with AVX2; ordinary stores elsewhere).
    Streamed,
}

impl Stores {
    /// The stores for an existing output of `bytes` bytes: streamed from [`STREAM_BYTES`] on.
    /// Several threads writing parts of one output pass the whole output's size, so that every
    /// part is written as one thread would write the whole.
    pub fn for_output(bytes: usize) -> Stores {
        if bytes >= STREAM_BYTES {
            Stores::Streamed
        } else {
            Stores::Cached
        }
    }
}

/// `out[i] = activation(x[i])`, streaming a large `out` past the caches
/// ([`Stores::for_output`]).
///
/// # Errors
///
/// [`Error::LengthMismatch`] when `out` is not as long as `x`.
pub fn forward<T: Float>(activation: Activation, x: &[T], out: &mut [T]) -> Result<()> {
    forward_with(
        activation,
        x,
        out,
        Stores::for_output(core::mem::size_of_val(out)),
    )
}

/// [`forward`] with the stores chosen by the caller: [`Stores::Cached`] for an output just
/// allocated, or the whole output's [`Stores::for_output`] for one part of it.
///
/// # Errors
///
/// As [`forward`].
pub fn forward_with<T: Float>(
    activation: Activation,
    x: &[T],
    out: &mut [T],
    stores: Stores,
) -> Result<()> {
    check_len("activation forward", "out", x.len(), out.len())?;
    specialise!(activation, |a| simd::map(
        x,
        out,
        stores,
        #[inline(always)]
        move |v| a().value(v)
    ));
    Ok(())
}

/// `x[i] = activation(x[i])`, in place.
pub fn forward_inplace<T: Float>(activation: Activation, x: &mut [T]) {
    specialise!(activation, |a| simd::map_inplace(
        x,
        #[inline(always)]
        move |v| a().value(v)
    ));
}

/// The backward pass: `grad_input[i]` is the gradient with respect to the forward's input, given the
/// upstream `grad_output` and the `saved` tensor that [`Activation::saves`] names (the output for
/// ReLU and the identity, so an in-place forward stays usable; the input otherwise). A large
/// `grad_input` is streamed past the caches, as in [`forward`].
///
/// # Errors
///
/// [`Error::LengthMismatch`] when the three slices differ in length.
pub fn backward<T: Float>(
    activation: Activation,
    saved: &[T],
    grad_output: &[T],
    grad_input: &mut [T],
) -> Result<()> {
    let stores = Stores::for_output(core::mem::size_of_val(grad_input));
    backward_with(activation, saved, grad_output, grad_input, stores)
}

/// [`backward`] with the stores chosen by the caller, as [`forward_with`].
///
/// # Errors
///
/// As [`backward`].
pub fn backward_with<T: Float>(
    activation: Activation,
    saved: &[T],
    grad_output: &[T],
    grad_input: &mut [T],
    stores: Stores,
) -> Result<()> {
    check_backward_lens(saved, grad_output, grad_input)?;
    specialise!(activation, |a| simd::zip_map(
        saved,
        grad_output,
        grad_input,
        stores,
        #[inline(always)]
        move |s, g| a().backward_scalar(s, g)
    ));
    Ok(())
}

/// The backward pass in place: `grad` holds the upstream gradient on entry and the input gradient on
/// return.
///
/// # Errors
///
/// [`Error::LengthMismatch`] when `grad` is not as long as `saved`.
pub fn backward_inplace<T: Float>(
    activation: Activation,
    saved: &[T],
    grad: &mut [T],
) -> Result<()> {
    check_len("activation backward", "grad", saved.len(), grad.len())?;
    specialise!(activation, |a| simd::zip_map_inplace(
        saved,
        grad,
        #[inline(always)]
        move |s, g| a().backward_scalar(s, g)
    ));
    Ok(())
}

/// The plain reference for [`forward`]: one scalar call per element, no dispatch.
///
/// # Errors
///
/// As [`forward`].
pub fn forward_reference<T: Float>(activation: Activation, x: &[T], out: &mut [T]) -> Result<()> {
    check_len("activation forward", "out", x.len(), out.len())?;
    for (o, &v) in out.iter_mut().zip(x) {
        *o = activation.value(v);
    }
    Ok(())
}

/// The plain reference for [`backward`].
///
/// # Errors
///
/// As [`backward`].
pub fn backward_reference<T: Float>(
    activation: Activation,
    saved: &[T],
    grad_output: &[T],
    grad_input: &mut [T],
) -> Result<()> {
    check_backward_lens(saved, grad_output, grad_input)?;
    for ((gi, &s), &g) in grad_input.iter_mut().zip(saved).zip(grad_output) {
        *gi = activation.backward_scalar(s, g);
    }
    Ok(())
}

/// Whether the processor has AVX2 and FMA, for loops compiled a second time with
/// `#[target_feature(enable = "avx2,fma")]` and chosen at run time. The same source compiled for
/// wider vectors computes the same bits: Rust never fuses a multiply and an add on its own.
#[cfg(target_arch = "x86_64")]
pub(crate) fn has_avx2() -> bool {
    // `is_x86_feature_detected!` caches its answer: after the first call this is one load.
    std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
}

/// Element-wise loops compiled twice: for the baseline target and for AVX2, chosen at run time.
///
/// The loops are the same source; `target_feature` only lets the compiler use wider vectors for it,
/// so both versions compute the same bits.
mod simd {
    use super::{Float, Stores};

    /// Where the output is written in place or streamed, an input with at least this many bytes
    /// left (from the element being computed to its end) is read with software prefetches: past
    /// the first level of cache the hardware's own prefetchers do not run far enough ahead for one
    /// core to reach the memory's speed. So the last MiB of a long input, and a part of a shared
    /// array shorter than that, run the plain loops.
    const PREFETCH_MIN: usize = 1 << 20;

    /// How far ahead of the element being computed its inputs are asked for (bytes). Measured
    /// with ReLU in place on one thread (`bench/BENCHMARKS.md`): 4 to 16 KiB ahead ran 1.11–1.23×
    /// PyTorch's speed at 10^8 float32 against 1.01–1.02× without; 32 KiB ahead, 0.92–0.93×.
    const PREFETCH_AHEAD: usize = 4096;

    /// Elements are computed in blocks of this many bytes, each block's input lines
    /// [`PREFETCH_AHEAD`] ahead asked for first.
    const BLOCK: usize = 256;

    const LINE: usize = 64;

    /// Asks for the cache lines of one block, `at` elements into the `len` elements from `base`
    /// (none past the end). Only the address is computed (with wrapping arithmetic, no access): a
    /// prefetch is a hint that reads nothing into the program and cannot fault.
    #[inline(always)]
    fn prefetch_block<T>(base: *const T, len: usize, at: usize) {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            let line = LINE / core::mem::size_of::<T>();
            for k in 0..BLOCK / LINE {
                let i = at + k * line;
                if i < len {
                    // SAFETY: a prefetch dereferences nothing and does not fault, whatever the
                    // address (`i` is within the `len` elements from `base` all the same).
                    unsafe { _mm_prefetch::<_MM_HINT_T0>(base.wrapping_add(i).cast()) };
                }
            }
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = (base, len, at);
    }

    /// Elements per block and how many elements ahead a block's inputs are asked for.
    #[inline(always)]
    fn steps<T>() -> (usize, usize) {
        let size = core::mem::size_of::<T>();
        (BLOCK / size, PREFETCH_AHEAD / size)
    }

    #[inline(always)]
    fn map_plain<T: Float, F: Fn(T) -> T>(x: &[T], out: &mut [T], f: F) {
        debug_assert_eq!(x.len(), out.len());
        for (o, &v) in out.iter_mut().zip(x) {
            *o = f(v);
        }
    }

    /// [`map_plain`] for a chunk of a streamed output, `x` from the chunk's first element to the
    /// end of the whole input: its elements past the chunk are prefetched, never read (the
    /// in-place loops prefetch the same way). Not for ordinary stores into another array: there the
    /// prefetches compete with the stores' reads for the line buffers (forward into `out=` at
    /// 10^6 float32 on one thread went from 1.04–1.05× PyTorch's speed to 0.92–0.94× with them).
    #[inline(always)]
    fn map_ahead<T: Float, F: Fn(T) -> T>(x: &[T], out: &mut [T], f: F) {
        debug_assert!(x.len() >= out.len());
        if core::mem::size_of_val(x) < PREFETCH_MIN {
            return map_plain(&x[..out.len()], out, f);
        }
        let (block, ahead) = steps::<T>();
        for (i, (oc, xc)) in out.chunks_mut(block).zip(x.chunks(block)).enumerate() {
            prefetch_block(x.as_ptr(), x.len(), i * block + ahead);
            for (o, &v) in oc.iter_mut().zip(xc) {
                *o = f(v);
            }
        }
    }

    #[inline(always)]
    fn map_inplace_plain<T: Float, F: Fn(T) -> T>(x: &mut [T], f: F) {
        if core::mem::size_of_val(x) < PREFETCH_MIN {
            for v in x.iter_mut() {
                *v = f(*v);
            }
            return;
        }
        let (block, ahead) = steps::<T>();
        let (base, len) = (x.as_ptr(), x.len());
        for (i, xc) in x.chunks_mut(block).enumerate() {
            prefetch_block(base, len, i * block + ahead);
            for v in xc.iter_mut() {
                *v = f(*v);
            }
        }
    }

    #[inline(always)]
    fn zip_map_plain<T: Float, F: Fn(T, T) -> T>(a: &[T], b: &[T], out: &mut [T], f: F) {
        debug_assert!(a.len() == out.len() && b.len() == out.len());
        for ((o, &u), &v) in out.iter_mut().zip(a).zip(b) {
            *o = f(u, v);
        }
    }

    /// [`map_ahead`] for two inputs.
    #[inline(always)]
    fn zip_map_ahead<T: Float, F: Fn(T, T) -> T>(a: &[T], b: &[T], out: &mut [T], f: F) {
        debug_assert!(a.len() >= out.len() && b.len() >= out.len());
        if core::mem::size_of_val(a) < PREFETCH_MIN {
            let n = out.len();
            return zip_map_plain(&a[..n], &b[..n], out, f);
        }
        let (block, ahead) = steps::<T>();
        let chunks = out
            .chunks_mut(block)
            .zip(a.chunks(block))
            .zip(b.chunks(block));
        for (i, ((oc, ac), bc)) in chunks.enumerate() {
            prefetch_block(a.as_ptr(), a.len(), i * block + ahead);
            prefetch_block(b.as_ptr(), b.len(), i * block + ahead);
            for ((o, &u), &v) in oc.iter_mut().zip(ac).zip(bc) {
                *o = f(u, v);
            }
        }
    }

    #[inline(always)]
    fn zip_map_inplace_plain<T: Float, F: Fn(T, T) -> T>(a: &[T], b: &mut [T], f: F) {
        if core::mem::size_of_val(a) < PREFETCH_MIN {
            for (v, &u) in b.iter_mut().zip(a) {
                *v = f(u, *v);
            }
            return;
        }
        let (block, ahead) = steps::<T>();
        let (base, len) = (b.as_ptr(), b.len());
        for (i, (bc, ac)) in b.chunks_mut(block).zip(a.chunks(block)).enumerate() {
            prefetch_block(a.as_ptr(), a.len(), i * block + ahead);
            prefetch_block(base, len, i * block + ahead);
            for (v, &u) in bc.iter_mut().zip(ac) {
                *v = f(u, *v);
            }
        }
    }

    #[cfg(target_arch = "x86_64")]
    use super::has_avx2;

    macro_rules! dispatched {
        ($name:ident, $avx2:ident, $plain:ident, <$($g:ident : $b:path),*>, ($($arg:ident : $ty:ty),*)) => {
            #[cfg(target_arch = "x86_64")]
            #[target_feature(enable = "avx2,fma")]
            unsafe fn $avx2<T: Float, $($g: $b),*>($($arg: $ty),*) {
                $plain($($arg),*)
            }

            #[inline]
            pub(super) fn $name<T: Float, $($g: $b),*>($($arg: $ty),*) {
                #[cfg(target_arch = "x86_64")]
                if has_avx2() {
                    // SAFETY: the processor was checked to have AVX2 and FMA just above.
                    return unsafe { $avx2($($arg),*) };
                }
                $plain($($arg),*)
            }
        };
    }

    /// Out-of-place outputs at least this large (bytes) are written with non-temporal stores by
    /// [`forward`](super::forward) and [`backward`](super::backward) (on x86-64 with AVX2): past the
    /// caches, an ordinary store first reads the destination line (read-for-ownership), so a loop
    /// moves three bytes for every two that `memcpy`, which avoids that read, moves.
    /// Without AVX2 every kernel uses ordinary stores.
    pub const STREAM_BYTES: usize = 16 << 20;

    /// Writes `out` with non-temporal stores, a chunk at a time: `fill(start, chunk)` computes the
    /// elements of `out` from `start` on into `chunk` (a buffer in cache, or `out` itself for the
    /// unaligned head and the short tail), and each whole chunk is then streamed to `out`.
    #[cfg(target_arch = "x86_64")]
    #[inline(always)]
    unsafe fn stream_out<T: Float>(out: &mut [T], mut fill: impl FnMut(usize, &mut [T])) {
        use std::arch::x86_64::{__m256i, _mm256_loadu_si256, _mm256_stream_si256, _mm_sfence};
        // Four cache lines of float32: the stores follow the loads closely, so reading and
        // writing overlap. Chunks of 1024 elements alternated bursts of each, and ReLU on 10^7
        // float32 into `out=` took 3.2–3.7 ms per call against 2.5–2.6 ms with these.
        const CHUNK: usize = 64;
        let size = core::mem::size_of::<T>();
        // Directly until the destination is 32-byte aligned; every chunk after stays aligned.
        let misaligned = (out.as_ptr() as usize) % 32;
        let head = if misaligned == 0 {
            0
        } else {
            ((32 - misaligned) / size).min(out.len())
        };
        fill(0, &mut out[..head]);
        let mut buffer = [T::ZERO; CHUNK];
        let mut start = head;
        for oc in out[head..].chunks_exact_mut(CHUNK) {
            fill(start, &mut buffer);
            let src = buffer.as_ptr() as *const __m256i;
            let dst = oc.as_mut_ptr() as *mut __m256i;
            for i in 0..CHUNK * size / 32 {
                // SAFETY: `dst` is 32-byte aligned (see the head above) and both pointers stay
                // within their CHUNK-element buffers.
                unsafe { _mm256_stream_si256(dst.add(i), _mm256_loadu_si256(src.add(i))) };
            }
            start += CHUNK;
        }
        fill(start, &mut out[start..]);
        // Non-temporal stores are weakly ordered: fence before anyone reads the output.
        _mm_sfence();
    }

    /// `f` is `Copy` (the kernels' closures capture only parameters) so that it is passed by value:
    /// through a reference, `<&F as Fn>::call` would stand between the loop and the inlined element.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn map_streaming_avx2<T: Float, F: Fn(T) -> T + Copy>(x: &[T], out: &mut [T], f: F) {
        // SAFETY: AVX2 is enabled here, as `stream_out` needs.
        unsafe { stream_out(out, |start, chunk| map_ahead(&x[start..], chunk, f)) }
    }

    /// As [`map_streaming_avx2`], for two inputs.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn zip_map_streaming_avx2<T: Float, F: Fn(T, T) -> T + Copy>(
        a: &[T],
        b: &[T],
        out: &mut [T],
        f: F,
    ) {
        // SAFETY: AVX2 is enabled here, as `stream_out` needs.
        unsafe {
            stream_out(out, |start, chunk| {
                zip_map_ahead(&a[start..], &b[start..], chunk, f)
            })
        }
    }

    /// `stores`: whether the output is written with non-temporal stores.
    #[inline]
    pub(super) fn map<T: Float, F: Fn(T) -> T + Copy>(
        x: &[T],
        out: &mut [T],
        stores: Stores,
        f: F,
    ) {
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            if stores == Stores::Streamed {
                // SAFETY: the processor was checked to have AVX2 and FMA just above.
                return unsafe { map_streaming_avx2(x, out, f) };
            }
            // SAFETY: as above.
            return unsafe { map_avx2(x, out, f) };
        }
        map_plain(x, out, f)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn map_avx2<T: Float, F: Fn(T) -> T>(x: &[T], out: &mut [T], f: F) {
        map_plain(x, out, f)
    }
    dispatched!(map_inplace, map_inplace_avx2, map_inplace_plain, <F: Fn(T) -> T>, (x: &mut [T], f: F));

    /// [`map`] for two inputs: `stores` as there.
    #[inline]
    pub(super) fn zip_map<T: Float, F: Fn(T, T) -> T + Copy>(
        a: &[T],
        b: &[T],
        out: &mut [T],
        stores: Stores,
        f: F,
    ) {
        #[cfg(target_arch = "x86_64")]
        if has_avx2() {
            if stores == Stores::Streamed {
                // SAFETY: the processor was checked to have AVX2 and FMA just above.
                return unsafe { zip_map_streaming_avx2(a, b, out, f) };
            }
            // SAFETY: as above.
            return unsafe { zip_map_avx2(a, b, out, f) };
        }
        zip_map_plain(a, b, out, f)
    }

    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2,fma")]
    unsafe fn zip_map_avx2<T: Float, F: Fn(T, T) -> T>(a: &[T], b: &[T], out: &mut [T], f: F) {
        zip_map_plain(a, b, out, f)
    }
    dispatched!(zip_map_inplace, zip_map_inplace_avx2, zip_map_inplace_plain, <F: Fn(T, T) -> T>, (a: &[T], b: &mut [T], f: F));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::activation::Saved;

    /// Special values and a spread of ordinary ones, long enough to cover the vector loops and their
    /// remainders.
    fn inputs<T: Float>() -> Vec<T> {
        let mut xs: Vec<T> = [
            f64::NAN,
            0.0,
            -0.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            3.0,
            -3.0,
            6.0,
            1e-40,
            -1e-300,
            1e30,
            -1e30,
            20.0,
            -88.5,
        ]
        .iter()
        .map(|&v| T::from_f64(v))
        .collect();
        // A deterministic scramble of [-12, 12], so signs alternate irregularly within vectors.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for _ in 0..1013 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            xs.push(T::from_f64(
                (state >> 11) as f64 / (1u64 << 53) as f64 * 24.0 - 12.0,
            ));
        }
        xs
    }

    fn same_bits<T: Float>(a: &[T], b: &[T]) -> bool {
        a.iter().zip(b).all(|(x, y)| {
            (x.is_nan() && y.is_nan()) || x.to_f64().to_bits() == y.to_f64().to_bits()
        })
    }

    fn check_kernels_match_reference<T: Float>() {
        let xs = inputs::<T>();
        let grads: Vec<T> = xs.iter().rev().copied().collect();
        for activation in Activation::all().into_iter().chain([
            Activation::LeakyRelu {
                negative_slope: -0.3,
            },
            Activation::Softplus {
                beta: -2.0,
                threshold: 5.0,
            },
        ]) {
            for len in [0, 1, 7, 8, 9, 31, xs.len()] {
                let x = &xs[..len];
                let mut reference = vec![T::ZERO; len];
                forward_reference(activation, x, &mut reference).unwrap();
                let mut fast = vec![T::ZERO; len];
                forward(activation, x, &mut fast).unwrap();
                assert!(
                    same_bits(&fast, &reference),
                    "{activation} forward, len {len}"
                );
                let mut inplace = x.to_vec();
                forward_inplace(activation, &mut inplace);
                assert!(
                    same_bits(&inplace, &reference),
                    "{activation} in place, len {len}"
                );

                let saved = match activation.saves() {
                    super::super::Saved::Input => x.to_vec(),
                    super::super::Saved::Output => reference.clone(),
                };
                let g = &grads[..len];
                let mut reference_grad = vec![T::ZERO; len];
                backward_reference(activation, &saved, g, &mut reference_grad).unwrap();
                let mut fast_grad = vec![T::ZERO; len];
                backward(activation, &saved, g, &mut fast_grad).unwrap();
                assert!(
                    same_bits(&fast_grad, &reference_grad),
                    "{activation} backward"
                );
                let mut inplace_grad = g.to_vec();
                backward_inplace(activation, &saved, &mut inplace_grad).unwrap();
                assert!(
                    same_bits(&inplace_grad, &reference_grad),
                    "{activation} backward in place"
                );
            }
        }
    }

    #[test]
    fn fast_kernels_match_the_reference_bit_for_bit_f32() {
        check_kernels_match_reference::<f32>();
    }

    #[test]
    fn fast_kernels_match_the_reference_bit_for_bit_f64() {
        check_kernels_match_reference::<f64>();
    }

    #[test]
    fn the_streaming_path_for_large_outputs_matches_the_reference() {
        check_large_outputs::<f32>();
        check_large_outputs::<f64>();
    }

    fn check_large_outputs<T: Float>() {
        // Past 16 MiB of output the kernels stream (unless told `Stores::Cached`), and the streamed
        // and in-place ones prefetch their inputs; start at an odd offset to exercise the
        // alignment head, and leave a remainder after the last whole chunk and block.
        let n = (16 << 20) / core::mem::size_of::<T>() + 1000 + 3;
        let xs: Vec<T> = (0..n)
            .map(|i| T::from_f64(((i * 7919) % 2001) as f64 / 100.0 - 10.0))
            .collect();
        for activation in [Activation::Relu, Activation::Silu] {
            let mut reference = vec![T::ZERO; n];
            forward_reference(activation, &xs[1..], &mut reference[1..]).unwrap();
            let mut streamed = vec![T::ZERO; n];
            forward(activation, &xs[1..], &mut streamed[1..]).unwrap();
            assert!(same_bits(&streamed, &reference), "{activation}");
            let mut fresh = vec![T::ZERO; n];
            forward_with(activation, &xs[1..], &mut fresh[1..], Stores::Cached).unwrap();
            assert!(same_bits(&fresh, &reference), "{activation}, fresh");
            let mut always = vec![T::ZERO; n];
            forward_with(activation, &xs[1..], &mut always[1..], Stores::Streamed).unwrap();
            assert!(same_bits(&always, &reference), "{activation}, streamed");
            let mut inplace = xs.clone();
            forward_inplace(activation, &mut inplace[1..]);
            assert!(
                same_bits(&inplace[1..], &reference[1..]),
                "{activation}, in place"
            );
            // The backward pass streams too: the saved tensor is the forward's, the upstream
            // gradient the inputs reversed.
            let saved = match activation.saves() {
                Saved::Output => &reference,
                Saved::Input => &xs,
            };
            let grads: Vec<T> = xs.iter().rev().copied().collect();
            let mut reference = vec![T::ZERO; n];
            backward_reference(activation, &saved[1..], &grads[1..], &mut reference[1..]).unwrap();
            let mut streamed = vec![T::ZERO; n];
            backward(activation, &saved[1..], &grads[1..], &mut streamed[1..]).unwrap();
            assert!(same_bits(&streamed, &reference), "{activation} backward");
            let mut fresh = vec![T::ZERO; n];
            backward_with(
                activation,
                &saved[1..],
                &grads[1..],
                &mut fresh[1..],
                Stores::Cached,
            )
            .unwrap();
            assert!(
                same_bits(&fresh, &reference),
                "{activation} backward, fresh"
            );
            let mut always = vec![T::ZERO; n];
            backward_with(
                activation,
                &saved[1..],
                &grads[1..],
                &mut always[1..],
                Stores::Streamed,
            )
            .unwrap();
            assert!(
                same_bits(&always, &reference),
                "{activation} backward, streamed"
            );
            let mut inplace = grads.clone();
            backward_inplace(activation, &saved[1..], &mut inplace[1..]).unwrap();
            let name = format!("{activation} backward, in place");
            assert!(same_bits(&inplace[1..], &reference[1..]), "{name}");
        }
    }

    #[test]
    fn streaming_a_short_output_matches_the_reference() {
        check_short_streams::<f32>();
        check_short_streams::<f64>();
    }

    fn check_short_streams<T: Float>() {
        // One part of a large output: any length, any alignment (a head before the first aligned
        // chunk, no whole chunk at all, a tail after the last).
        let xs = inputs::<T>();
        let grads: Vec<T> = xs.iter().rev().copied().collect();
        for activation in [Activation::Relu, Activation::Silu] {
            for (start, len) in [(0, 0), (1, 5), (3, 1020), (0, xs.len()), (5, xs.len() - 9)] {
                let (s, g) = (&xs[start..start + len], &grads[start..start + len]);
                let mut reference = vec![T::ZERO; len];
                forward_reference(activation, s, &mut reference).unwrap();
                let mut streamed = vec![T::ZERO; len + 1];
                forward_with(activation, s, &mut streamed[1..], Stores::Streamed).unwrap();
                let name = format!("{activation} forward, {start}+{len}");
                assert!(same_bits(&streamed[1..], &reference), "{name}");
                backward_reference(activation, s, g, &mut reference).unwrap();
                let mut streamed = vec![T::ZERO; len + 1];
                backward_with(activation, s, g, &mut streamed[1..], Stores::Streamed).unwrap();
                assert!(
                    same_bits(&streamed[1..], &reference),
                    "{activation}, {start}+{len}"
                );
            }
            let mut short = [T::ZERO; 2];
            assert!(forward_with(activation, &xs[..3], &mut short, Stores::Streamed).is_err());
            assert!(backward_with(
                activation,
                &xs[..3],
                &grads[..3],
                &mut short,
                Stores::Streamed
            )
            .is_err());
        }
    }

    #[test]
    fn reference_is_the_scalar_definition() {
        let xs = inputs::<f64>();
        let mut out = vec![0.0; xs.len()];
        forward_reference(Activation::Gelu, &xs, &mut out).unwrap();
        for (x, y) in xs.iter().zip(&out) {
            let expected = Activation::Gelu.value(*x);
            assert!(y.to_bits() == expected.to_bits() || (y.is_nan() && expected.is_nan()));
        }
    }

    #[test]
    fn relu_backward_passes_the_gradient_where_the_output_is_nan() {
        let saved = [f64::NAN, 0.0, -0.0, 2.0];
        let mut grad = [0.0; 4];
        backward(Activation::Relu, &saved, &[5.0; 4], &mut grad).unwrap();
        assert_eq!(grad[1..], [0.0, 0.0, 5.0]);
        assert_eq!(grad[0], 5.0);
        // A dead unit blocks even an infinite or NaN upstream gradient, as PyTorch's select does.
        backward(
            Activation::Relu,
            &[-0.0, 0.0],
            &[f64::INFINITY, f64::NAN],
            &mut grad[..2],
        )
        .unwrap();
        assert_eq!(grad[..2], [0.0, 0.0]);
    }

    #[test]
    fn mismatched_lengths_are_errors_that_name_the_argument() {
        let err = forward(Activation::Relu, &[1.0f32, 2.0], &mut [0.0; 3]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "activation forward: out has length 3, expected 2"
        );
        let err = backward(Activation::Relu, &[1.0f64], &[1.0, 2.0], &mut [0.0]).unwrap_err();
        assert!(
            err.to_string().contains("grad_output has length 2"),
            "{err}"
        );
        assert!(backward_inplace(Activation::Gelu, &[1.0f64], &mut []).is_err());
    }
}
