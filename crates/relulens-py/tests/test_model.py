"""`relulens.Mlp` (src/model.rs): construction, properties, predict, repr."""

import numpy as np
import pytest

import relulens


def test_construction_and_properties():
    model = relulens.Mlp([2, 16, 16, 1], activation="leaky_relu(negative_slope=0.2)", seed=3)
    assert model.sizes == [2, 16, 16, 1]
    assert model.activation == "leaky_relu(negative_slope=0.2)"
    assert model.seed == 3
    assert model.feature_names == ["x0", "x1"]
    assert model.task is None and model.target_name is None and model.class_labels == []
    assert model.dtype == "float32"
    assert model.num_params == 2 * 16 + 16 + 16 * 16 + 16 + 16 + 1
    assert model.scaler is None and model.history is None
    assert repr(model) == "Mlp(2-16-16-1, leaky_relu(negative_slope=0.2))"


def test_the_same_seed_gives_the_same_weights():
    a, b = relulens.Mlp([3, 5, 2], seed=1), relulens.Mlp([3, 5, 2], seed=1)
    c = relulens.Mlp([3, 5, 2], seed=2)
    assert all(np.array_equal(x, y) for x, y in zip(a.weights, b.weights))
    assert not np.array_equal(a.weights[0], c.weights[0])


def test_initialisation_is_pytorchs_linear_bound_in_float32():
    model = relulens.Mlp([4, 64, 1])
    w, b = model.weights[0], model.biases[0]
    assert w.shape == (64, 4) and b.shape == (64,)
    assert np.all(np.abs(w) <= 0.5) and np.all(np.abs(b) <= 0.5)
    assert np.array_equal(w.astype(np.float32).astype(np.float64), w)


def test_predict_is_the_layers_applied_by_hand():
    model = relulens.Mlp([3, 7, 5, 2], seed=4)
    x = np.random.default_rng(0).standard_normal((10, 3))
    a = x
    for i, (w, b) in enumerate(zip(model.weights, model.biases)):
        a = a @ w.T + b
        if i < 2:
            a = np.maximum(a, 0)
    assert np.allclose(model.predict(x), a, rtol=1e-12, atol=1e-12)


def test_predict_shapes():
    model = relulens.Mlp([2, 4, 3])
    assert model.predict(np.zeros((5, 2))).shape == (5, 3)
    assert model.predict([0.5, -0.5]).shape == (3,)
    assert model.predict(np.zeros((0, 2))).shape == (0, 3)
    assert model.predict(np.zeros((2, 2), np.float32)).dtype == np.float64


def test_predict_refuses_the_wrong_width():
    with pytest.raises(relulens.ShapeError, match="3 columns"):
        relulens.Mlp([2, 4, 1]).predict(np.zeros((5, 3)))


def test_a_network_without_hidden_layers_is_affine():
    model = relulens.Mlp([2, 1])
    x = np.array([[1.0, 2.0]])
    assert np.allclose(model.predict(x), x @ model.weights[0].T + model.biases[0])


@pytest.mark.parametrize(
    "sizes,error",
    [([2], relulens.NetworkError), ([2, 0, 1], relulens.NetworkError),
     ([2, -1], relulens.DtypeError), ("21", relulens.DtypeError),
     ([100_000, 100_000, 1], relulens.NetworkError)],
)
def test_bad_sizes(sizes, error):
    with pytest.raises(error):
        relulens.Mlp(sizes)


def test_an_unknown_activation_lists_the_valid_ones():
    with pytest.raises(relulens.ActivationError, match="leaky_relu"):
        relulens.Mlp([2, 1], activation="swish")


def test_inputs_are_called_X_as_in_scikit_learn():
    model = relulens.Mlp([2, 3, 1])
    assert model.predict(X=np.zeros((1, 2))).shape == (1, 1)
    X, y = relulens.datasets.load("xor")
    assert len(model.fit(X=X, y=y, epochs=1)) == 1
