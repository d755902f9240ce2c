"""The activation functions on NumPy arrays (src/activation.rs): dtypes, shapes, layouts, `out=`,
in place, backward, threads."""

import subprocess
import sys
import threading

import numpy as np
import pytest

import relulens
from conftest import FAMILY, forward_and_derivative, functions, saves_output

NAMES = sorted(FAMILY)


def sample(n, dtype=np.float64, seed=0):
    x = np.random.default_rng(seed).uniform(-8, 8, n).astype(dtype)
    x[:6] = [0.0, -0.0, np.nan, np.inf, -np.inf, 3.0][: min(6, n)]
    return x


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def test_the_readme_line_prints_as_numpy_does():
    script = "import relulens; print(relulens.relu([-1.0, 0.0, 2.0]))"
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout == "[0. 0. 2.]\n"


def test_relu_is_max_with_zero_keeping_nan_and_negative_zero():
    x = np.array([-2.0, -0.0, 0.0, 3.5, np.nan, -np.inf, np.inf])
    y = relulens.relu(x)
    assert np.array_equal(y[[0, 2, 3, 5, 6]], [0.0, 0.0, 3.5, 0.0, np.inf])
    assert np.signbit(y[1]) and np.isnan(y[4])


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float32_and_float64_keep_their_dtype(name, dtype):
    params = FAMILY[name][0]
    forward, inplace, backward = functions(name)
    x = sample(50, dtype)
    y = forward(x, **params)
    assert y.dtype == dtype and y.shape == x.shape
    assert backward(np.ones_like(x), y if saves_output(name) else x, **params).dtype == dtype
    copy = x.copy()
    assert inplace(copy, **params) is copy
    assert same_bits(copy, y)


@pytest.mark.parametrize(
    "value",
    [
        [1, -2, 3],
        np.array([1, -2, 3], dtype=np.int8),
        np.array([True, False]),
        np.array([1.5, -2.5], dtype=np.float16),
        (0.5, -0.5),
        np.array([1.0, -1.0], dtype=">f8"),
        np.array([1, -2], dtype=object),
    ],
)
def test_other_input_becomes_float64(value):
    y = relulens.relu(value)
    assert y.dtype == np.float64
    assert np.array_equal(y, np.maximum(np.asarray(value, dtype=np.float64), 0))


def test_scalars_give_zero_dimensional_arrays_and_numpy_float32_scalars_stay_float32():
    assert relulens.relu(-3.0).shape == () and relulens.relu(-3.0) == 0.0
    assert relulens.relu(np.float32(2.0)).dtype == np.float32


@pytest.mark.parametrize("name", NAMES)
def test_any_shape_and_layout_gives_the_same_bits(name):
    params = FAMILY[name][0]
    forward, inplace, _ = functions(name)
    base = sample(4 * 6 * 10, np.float32).reshape(4, 6, 10)
    expected = forward(base, **params)
    for view, index in [
        (base[:, ::2, 1::3], np.s_[:, ::2, 1::3]),
        (base[::-1], np.s_[::-1]),
        (base.transpose(2, 0, 1), None),
    ]:
        want = expected[index] if index is not None else expected.transpose(2, 0, 1)
        assert same_bits(forward(view, **params), np.ascontiguousarray(want))
        copy = np.array(view, order="K", copy=True)
        inplace(copy, **params)
        assert same_bits(copy, np.array(want, order="K"))


def test_a_fortran_ordered_input_gives_a_fortran_ordered_output():
    x = np.asfortranarray(sample(12).reshape(3, 4))
    y = relulens.relu(x)
    assert y.flags.f_contiguous and not y.flags.c_contiguous
    assert np.array_equal(y, np.maximum(x, 0), equal_nan=True)


def test_in_place_on_a_strided_view_writes_through_to_its_base():
    base = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]])
    relulens.relu_(base[:, ::2])
    assert np.array_equal(base, [[0.0, 2.0, 0.0], [4.0, -5.0, 6.0]])


def test_an_unaligned_array_is_read_correctly():
    raw = bytearray(8 * 5 + 1)
    x = np.frombuffer(raw, dtype=np.float64, offset=1, count=5)
    assert not x.flags.aligned
    x[:] = [-1.0, 2.0, -3.0, 4.0, -5.0]
    assert np.array_equal(relulens.relu(x), [0.0, 2.0, 0.0, 4.0, 0.0])
    relulens.relu_(x)
    assert np.array_equal(x, [0.0, 2.0, 0.0, 4.0, 0.0])


def test_empty_and_zero_dimensional_arrays():
    assert relulens.relu(np.zeros((0, 3), np.float32)).shape == (0, 3)
    assert relulens.relu_backward(np.zeros(0), np.zeros(0)).shape == (0,)
    assert relulens.relu(np.array(-1.0)).shape == ()


def test_out_is_filled_and_returned():
    x = sample(100, np.float32)
    out = np.empty_like(x)
    assert relulens.relu(x, out=out) is out
    assert same_bits(out, relulens.relu(x))
    grad = np.empty_like(x)
    assert relulens.relu_backward(np.ones_like(x), out, out=grad) is grad


def test_out_may_be_the_input_or_overlap_it():
    x = sample(100)
    expected = relulens.elu(x)
    y = x.copy()
    assert relulens.elu(y, out=y) is y
    assert same_bits(y, expected)
    # A shifted view of the same buffer: computed apart, then copied, as NumPy's ufuncs do.
    buffer = np.concatenate([x, [0.0]])
    relulens.elu(buffer[:-1], out=buffer[1:])
    assert same_bits(buffer[1:], expected)


def test_out_may_be_strided():
    x = sample(10)
    out = np.zeros(20)
    relulens.gelu(x, out=out[::2])
    assert same_bits(out[::2], relulens.gelu(x)) and not out[1::2].any()


def test_backward_in_place_on_the_gradient():
    x = sample(1000, np.float32)
    y = relulens.relu(x)
    grad = np.random.default_rng(1).standard_normal(1000).astype(np.float32)
    expected = relulens.relu_backward(grad, y)
    assert relulens.relu_backward(grad, y, out=grad) is grad
    assert same_bits(grad, expected)
    # ... and when out is the saved tensor itself.
    relulens.relu_backward(np.ones_like(y), y, out=y)
    assert same_bits(y, relulens.relu_backward(np.ones_like(x), relulens.relu(x)))


def test_relu_backward_reads_the_output_and_passes_the_gradient_where_it_is_nan():
    grad = relulens.relu_backward([5.0, 5.0, 5.0, 5.0], [np.nan, 0.0, -0.0, 2.0])
    assert np.array_equal(grad, [5.0, 0.0, 0.0, 5.0])
    # A dead unit blocks even an infinite or NaN upstream gradient, as PyTorch's select does.
    assert np.array_equal(relulens.relu_backward([np.inf, np.nan], [0.0, 0.0]), [0.0, 0.0])


def test_backward_of_mixed_float32_and_float64_is_float64():
    g = relulens.leaky_relu_backward(np.ones(3, np.float32), np.array([-1.0, 0.0, 1.0]))
    assert g.dtype == np.float64 and np.allclose(g, [0.01, 0.01, 1.0])


def test_backward_of_a_fortran_and_a_c_array():
    x = sample(12).reshape(3, 4)
    g = np.asfortranarray(np.arange(12.0).reshape(3, 4))
    assert same_bits(relulens.silu_backward(g, x), relulens.silu_backward(np.array(g), x))


def test_parameters_are_keywords_or_positional_with_pytorch_defaults():
    x = np.array([-2.0, 3.0])
    assert np.array_equal(relulens.leaky_relu(x), [-0.02, 3.0])
    assert np.array_equal(relulens.leaky_relu(x, 0.5), relulens.leaky_relu(x, negative_slope=0.5))
    assert np.array_equal(relulens.prelu(x), [-0.5, 3.0])
    assert np.array_equal(relulens.softplus(np.array([30.0]), beta=1, threshold=20), [30.0])
    assert not np.array_equal(relulens.gelu(x), relulens.gelu(x, approximate="tanh"))
    assert np.array_equal(relulens.gelu(x, approximate="none"), relulens.gelu(x))


def test_hand_checked_values():
    assert relulens.relu6([7.0, -1.0, 2.0]).tolist() == [6.0, 0.0, 2.0]
    assert relulens.elu([-1.0], alpha=2.0)[0] == pytest.approx(2.0 * (np.exp(-1.0) - 1.0))
    assert relulens.hardswish([3.0, -3.0, 1.0]).tolist() == [3.0, -0.0, 1.0 * 4.0 / 6.0]
    assert relulens.identity([1.5]).tolist() == [1.5]


@pytest.mark.parametrize("name", NAMES)
def test_gradients_match_finite_differences(name):
    params = FAMILY[name][0]
    x = np.random.default_rng(2).uniform(-4, 4, 200)
    # Stay away from the kinks, where the one-sided derivative is a convention.
    x = x[np.min(np.abs(x[:, None] - np.array([0.0, 6.0, -3.0, 3.0, 5.0])), axis=1) > 1e-3]
    forward = functions(name)[0]
    _, derivative = forward_and_derivative(name, params, x)
    h = 1e-6
    numeric = (forward(x + h, **params) - forward(x - h, **params)) / (2 * h)
    assert np.allclose(derivative, numeric, rtol=1e-5, atol=1e-6)


def test_relu_minus_relu_of_minus_x_is_x():
    x = np.random.default_rng(3).standard_normal(10_000)
    assert np.array_equal(relulens.relu(x) - relulens.relu(-x), x)


@pytest.mark.parametrize("name", NAMES)
def test_splitting_over_threads_gives_the_kernels_bits(name, threads):
    params = FAMILY[name][0]
    forward, inplace, backward = functions(name)
    n = 3_000_001
    x = np.random.default_rng(4).uniform(-10, 10, n).astype(np.float32)
    g = np.random.default_rng(5).standard_normal(n).astype(np.float32)
    results = []
    for count in [1, 2, 3]:
        relulens.set_num_threads(count)
        y = forward(x, **params)
        y2 = x.copy()
        inplace(y2, **params)
        saved = y if saves_output(name) else x
        gi = backward(g, saved, **params)
        gi2 = g.copy()
        backward(gi2, saved, **params, out=gi2)
        assert same_bits(y, y2) and same_bits(gi, gi2)
        results.append((y, gi))
    for y, gi in results[1:]:
        assert same_bits(y, results[0][0]) and same_bits(gi, results[0][1])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_a_large_out_is_written_in_parts_as_by_one_thread(dtype, threads):
    # Past 16 MiB an existing output is streamed in every part (each part alone is shorter).
    n = (16 << 20) // np.dtype(dtype).itemsize + 4097
    x = np.random.default_rng(8).uniform(-10, 10, n).astype(dtype)
    g = np.random.default_rng(9).standard_normal(n).astype(dtype)
    results = []
    for count in [1, 2]:
        relulens.set_num_threads(count)
        y = relulens.relu(x, out=np.empty_like(x))
        gi = relulens.relu_backward(g, y, out=np.empty_like(x))
        results.append((y, gi))
    assert same_bits(results[0][0], np.maximum(x, 0))
    assert same_bits(results[0][1], np.where(results[0][0] > 0, g, 0))
    for a, b in zip(results[0], results[1]):
        assert same_bits(a, b)


def test_thread_count_is_settable(threads):
    relulens.set_num_threads(3)
    assert relulens.get_num_threads() == 3
    with pytest.raises(relulens.ArgumentError):
        relulens.set_num_threads(0)


def test_python_threads_may_call_concurrently():
    x = np.random.default_rng(6).standard_normal(1 << 20).astype(np.float32)
    expected = relulens.silu(x)
    failures = []

    def work():
        for _ in range(5):
            if not same_bits(relulens.silu(x), expected):
                failures.append("mismatch")

    workers = [threading.Thread(target=work) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert not failures


def test_activation_names_lists_the_family():
    assert relulens.activation_names()[:3] == ["relu", "leaky_relu", "relu6"]


def test_a_forked_child_computes_on_its_own_pool(threads):
    multiprocessing = pytest.importorskip("multiprocessing")
    if "fork" not in multiprocessing.get_all_start_methods():
        pytest.skip("no fork on this platform")
    relulens.set_num_threads(2)
    x = np.random.default_rng(7).standard_normal(1 << 20).astype(np.float32)
    expected = relulens.relu(x)  # the parent's pool is running now
    with multiprocessing.get_context("fork").Pool(1) as pool:
        result = pool.apply_async(_relu_sum, (x,)).get(timeout=60)
    assert result == float(expected.sum(dtype=np.float64))


def _relu_sum(x):
    return float(relulens.relu(x).sum(dtype=np.float64))
