"""Networks across the boundary (src/nn.rs): weights, state dicts, and models built from arrays."""

import numpy as np
import pytest

import relulens


def test_state_dict_uses_sequential_names():
    model = relulens.Mlp([2, 4, 3, 1], seed=0)
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"]
    assert state["2.weight"].shape == (3, 4)


def test_a_prelu_slope_is_in_the_state_dict():
    model = relulens.Mlp([2, 3, 1], activation="prelu(weight=0.1)")
    state = model.state_dict()
    assert state["1.weight"].tolist() == [0.1]
    back = relulens.Mlp.from_torch(state)
    assert back.activation == "prelu(weight=0.1)"


def test_from_a_state_dict_of_arrays_round_trips():
    model = relulens.Mlp([3, 6, 2], activation="elu", seed=5)
    back = relulens.Mlp.from_torch(model.state_dict(), activation="elu")
    x = np.random.default_rng(0).standard_normal((20, 3))
    assert np.array_equal(back.predict(x), model.predict(x))
    assert back.sizes == [3, 6, 2] and back.activation == "elu" and back.dtype == "float64"


def test_a_state_dict_without_biases_means_zero_biases():
    w = np.array([[1.0, -1.0]])
    model = relulens.Mlp.from_torch({"weight": w})
    assert model.predict([2.0, 0.5]).tolist() == [1.5]


def test_layers_must_fit_together():
    state = {"0.weight": np.ones((3, 2)), "0.bias": np.zeros(3),
             "2.weight": np.ones((1, 4)), "2.bias": np.zeros(1)}
    with pytest.raises(relulens.NetworkError, match="layer 0 has 3 outputs"):
        relulens.Mlp.from_torch(state)


def test_a_bias_of_the_wrong_length():
    with pytest.raises(relulens.ShapeError):
        relulens.Mlp.from_torch({"0.weight": np.ones((3, 2)), "0.bias": np.zeros(2)})


def test_non_finite_weights_are_refused():
    with pytest.raises(relulens.NonFiniteError):
        relulens.Mlp.from_torch({"0.weight": np.array([[np.nan]]), "0.bias": np.zeros(1)})
