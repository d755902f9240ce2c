"""The single node (src/explain/neuron.rs): relulens.Neuron evaluated and explained exactly."""

import numpy as np
import pytest

import relulens


def articles_node():
    """relu(2A + 3B), the article's node."""
    return relulens.Neuron(weights={"A": 2, "B": 3}, bias=0)


def test_the_articles_node_by_hand():
    node = articles_node()
    e = node.explain(A=1, B=-100)
    # z = 2·1 + 3·(-100) + 0 = -298: off, so the output and both slopes are 0.
    assert e.pre_activation == -298.0
    assert e.active is False
    assert e.output == 0.0
    assert e.gradient == {"A": 0.0, "B": 0.0}
    assert e.contributions == {"A": 2.0, "B": -300.0} and e.bias == 0.0
    # With B held at -100, 2A - 300 = 0 at A = 150; with A held at 1, 2 + 3B = 0 at B = -2/3.
    assert e.switch_at == {"A": 150.0, "B": -2.0 / 3.0}
    assert e.change_to_switch["A"] == 149.0
    assert e.change_to_switch["B"] == pytest.approx(298.0 / 3.0, abs=1e-12)
    assert e.on_above == {"A": True, "B": True}
    assert e.point == {"A": 1.0, "B": -100.0} and e.names == ["A", "B"]
    assert list(e.contributions) == ["A", "B"]  # the inputs' order
    assert node(A=1, B=-100) == 0.0
    assert repr(node) == "Neuron(relu(2·A + 3·B + 0))"
    assert repr(e) == "NeuronExplanation(at A=1, B=-100: pre-activation -298, off, output 0)"
    assert str(e) == (
        "at A=1, B=-100: pre-activation -298 = 2 (A) - 300 (B) + 0 (bias): off, output 0\n"
        "gradient ∂/∂A 0, ∂/∂B 0\n"
        "on where A > 150 or B > -0.666667 (others held)"
    )


def test_the_switch_points_are_where_the_node_turns_on():
    node = articles_node()
    assert node(A=150, B=-100) == 0.0  # z = 0 is off
    assert node(A=150.5, B=-100) == 1.0
    assert node(A=1, B=-2.0 / 3.0 + 0.25) == pytest.approx(0.75)
    on = node.explain(A=200, B=-100)
    assert on.active and on.output == 100.0 and on.gradient == {"A": 2.0, "B": 3.0}


def test_a_point_by_dict_by_keywords_or_in_order_is_the_same():
    node = articles_node()
    by_keywords = node.explain(A=1, B=-100)
    assert repr(node.explain({"A": 1, "B": -100})) == repr(by_keywords)
    assert repr(node.explain([1, -100])) == repr(by_keywords)
    assert repr(node.explain({"B": -100}, A=1)) == repr(by_keywords)
    assert node([1.0, -100.0]) == node({"B": -100, "A": 1}) == 0.0


def test_rows_evaluate_at_once():
    node = articles_node()
    rows = np.array([[1.0, -100.0], [200.0, -100.0], [0.0, 1.0]])
    out = node(rows)
    assert out.dtype == np.float64 and out.tolist() == [0.0, 100.0, 3.0]


def test_weights_in_order_and_other_activations():
    node = relulens.Neuron([0.0, -4.0], bias=1.0)
    assert node.names == ["x0", "x1"] and node.weights == {"x0": 0.0, "x1": -4.0}
    assert node.bias == 1.0 and node.activation == "relu"
    e = node.explain(x0=5, x1=1)
    # A zero weight never switches the node; a negative one switches it on below its value.
    assert e.pre_activation == -3.0 and e.switch_at == {"x0": None, "x1": 0.25}
    assert e.on_above == {"x0": False, "x1": False}
    leaky = relulens.Neuron({"x": 1.0}, activation="leaky_relu(negative_slope=0.1)")
    e = leaky.explain(x=-2)
    assert (e.output, e.gradient["x"], e.active) == (-0.2, 0.1, False)
    assert leaky.activation == "leaky_relu(negative_slope=0.1)"
    assert relulens.Neuron({"x": 1.0}, activation="relu6")(x=8) == 6.0


def test_random_nodes_agree_with_the_formula_and_finite_differences():
    rng = np.random.default_rng(7)
    for _ in range(50):
        n = int(rng.integers(1, 5))
        w, b, x = rng.uniform(-5, 5, n), float(rng.uniform(-5, 5)), rng.uniform(-10, 10, n)
        names = [f"in{i}" for i in range(n)]
        node = relulens.Neuron(dict(zip(names, w)), bias=b)
        e = node.explain(x)
        z = float(w @ x + b)
        assert e.pre_activation == pytest.approx(z, abs=1e-12)
        assert e.output == pytest.approx(max(z, 0.0), abs=1e-12) and e.active == (z > 0)
        assert sum(e.contributions.values()) + e.bias == pytest.approx(z, abs=1e-12)
        for i, name in enumerate(names):
            at = x.copy()
            at[i] = e.switch_at[name]
            assert float(w @ at + b) == pytest.approx(0.0, abs=1e-9)
            if abs(z) > 1e-3:
                h = 1e-6
                step = x.copy()
                step[i] += h
                assert (node(step) - e.output) / h == pytest.approx(e.gradient[name], abs=1e-5)


@pytest.mark.parametrize(
    "make,error",
    [
        (lambda: relulens.Neuron({}), relulens.ArgumentError),
        (lambda: relulens.Neuron({"A": np.nan}), relulens.ArgumentError),
        (lambda: relulens.Neuron({"A": 1.0}, bias=np.inf), relulens.ArgumentError),
        (lambda: relulens.Neuron({"A": 1.0}, activation="gelu"), relulens.ArgumentError),
        (lambda: relulens.Neuron({"A": 1.0}, activation="swish"), relulens.ActivationError),
        (lambda: relulens.Neuron({"A": "two"}), relulens.DtypeError),
        (lambda: relulens.Neuron({"bias": 1.0, "B": 2.0}), relulens.ArgumentError),
        (lambda: articles_node().explain(A=1, C=2), relulens.DataError),
        (lambda: articles_node().explain(A=1), relulens.ArgumentError),
        (lambda: articles_node().explain(A=np.nan, B=0), relulens.NonFiniteError),
        (lambda: articles_node()([[1.0, 2.0, 3.0]]), relulens.ShapeError),
    ],
)
def test_bad_nodes_and_points(make, error):
    with pytest.raises(error):
        make()
