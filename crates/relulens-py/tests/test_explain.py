"""Exact geometry and explanations (src/explain.rs, src/explain/*.rs, src/report.rs): kinks,
regions, boundaries, explain_point, effect curves, interactions, neuron health and the report page,
in the user's units."""

import re

import numpy as np
import pytest

import relulens


def network(layers, activation="relu"):
    state = {}
    for i, (w, b) in enumerate(layers):
        state[f"{2 * i}.weight"] = np.array(w, dtype=float)
        state[f"{2 * i}.bias"] = np.array(b, dtype=float)
    return relulens.Mlp.from_torch(state, activation=activation)


def v_shape():
    """logit = relu(x) + relu(-x) - relu(y): zero on y = |x| for y >= 0."""
    return network([([[1, 0], [-1, 0], [0, 1]], [0, 0, 0]), ([[1, 1, -1]], [0])])


def test_one_kink_worked_out_on_paper():
    # f(A) = relu(7 + A): one kink at A = -7, slope 0 before and 1 after.
    model = network([([[1.0]], [7.0]), ([[1.0]], [0.0])])
    kinks = model.kinks([-10.0], [10.0])
    assert len(kinks) == 1 and kinks.pieces == 2
    assert kinks.points.tolist() == [[-7.0]] and kinks.t.tolist() == [0.15]
    assert kinks.jacobians.tolist() == [[[0.0]], [[1.0]]]
    assert kinks.outputs_start.tolist() == [[0.0], [0.0]] and kinks.outputs_end[-1].tolist() == [17.0]
    assert kinks.piece_bounds.tolist() == [[0.0, 0.15], [0.15, 1.0]]
    assert kinks.slopes.tolist() == [[0.0], [20.0]]
    assert repr(kinks) == "Kinks(1 kink and 2 affine pieces from [-10] to [10])"


def test_four_regions_and_a_bent_boundary():
    model = v_shape()
    regions = model.regions(bounds=[[-1, 1], [-0.5, 2]])
    assert len(regions) == 4
    assert regions.areas.sum() == pytest.approx(5.0)
    assert regions.x == "x0" and regions.y == "x1" and regions.at == {}
    assert regions.gradients.shape == (4, 1, 2) and regions.centroids.shape == (4, 2)
    assert regions.adjacency.dtype == np.int64 and regions.adjacency.shape[1] == 2
    boundary = regions.decision_boundary()
    assert len(boundary) == 1 and boundary.segments == 2
    points = sorted(map(tuple, boundary.polylines[0].tolist()))
    assert points == [(-1.0, 1.0), (0.0, 0.0), (1.0, 1.0)]
    assert repr(model.decision_boundary(bounds=[[-1, 1], [-0.5, 2]])) == repr(boundary)


def test_each_region_is_affine_with_the_gradients_it_reports():
    model = v_shape()
    regions = model.regions(bounds=[[-1, 1], [-0.5, 2]])
    for i, (c, g, v) in enumerate(zip(regions.centroids, regions.gradients, regions.values_at_centroid)):
        assert regions.locate(*c) == i
        step = np.array([1e-3, 2e-3])
        assert model.predict(c + step)[0] == pytest.approx(v[0] + g[0] @ step, abs=1e-12)
    assert np.array_equal(regions.jacobians()[:, :, :2], regions.gradients)
    assert regions.locate(5.0, 5.0) is None


def test_regions_of_a_trained_model_cover_the_rectangle(trained):
    model, data = trained
    regions = model.regions(x="weight_kg", y=0, bounds=[[40, 140], [140, 200]])
    assert regions.x == "weight_kg" and regions.y == "height_cm"
    assert regions.areas.sum() == pytest.approx(100 * 60)
    assert len(regions.vertices) == len(regions) == len(regions.patterns)
    assert "linear regions of Mlp(2-8-8-1, relu) on weight_kg" in repr(regions)
    default = model.regions()
    assert default.x == "height_cm" and default.bounds[0, 0] < data.X[:, 0].min()


def test_kinks_take_feature_dicts(trained):
    model, _ = trained
    kinks = model.kinks({"height_cm": 150, "weight_kg": 50}, {"height_cm": 200, "weight_kg": 120})
    assert kinks.start.tolist() == [150.0, 50.0] and kinks.feature_names == ["height_cm", "weight_kg"]
    assert kinks.points.shape == (len(kinks), 2) and kinks.jacobians.shape == (kinks.pieces, 1, 2)
    # Continuity: each piece ends where the next begins.
    assert np.allclose(kinks.outputs_end[:-1], kinks.outputs_start[1:])


def test_held_features_and_level_sets():
    data = relulens.datasets.load("penguins")
    model = relulens.Mlp([4, 6, 3], seed=1)
    model.fit(data, epochs=3)
    regions = model.regions(x="bill_length_mm", y="flipper_length_mm", at={"body_mass_g": 4000})
    assert set(regions.at) == {"bill_depth_mm", "body_mass_g"} and regions.at["body_mass_g"] == 4000
    boundary = regions.decision_boundary()
    assert boundary.level is None and boundary.x == "bill_length_mm"
    level = regions.decision_boundary(level=0.0, output=2)
    assert level.level == 0.0


def test_regression_needs_a_level():
    model = relulens.Mlp([2, 8, 1])
    model.fit(*relulens.datasets.load("xor"), task="regression", epochs=2)
    with pytest.raises(relulens.GeometryError, match="give level="):
        model.decision_boundary()
    assert model.decision_boundary(level=0.5).level == 0.5


def test_smooth_activations_have_no_exact_geometry():
    with pytest.raises(relulens.GeometryError, match="piecewise-linear"):
        relulens.Mlp([2, 4, 1], activation="gelu").regions()


def test_bad_geometry_arguments():
    model = v_shape()
    with pytest.raises(relulens.DataError, match="no feature"):
        model.regions(x="height")
    with pytest.raises(relulens.GeometryError):
        model.regions(x=0, y=0)
    with pytest.raises(relulens.ShapeError):
        model.regions(bounds=[0, 1])
    with pytest.raises(relulens.GeometryError):
        model.regions(bounds=[[1, 0], [0, 1]])
    with pytest.raises(relulens.GeometryError, match="max_regions"):
        model.regions(bounds=[[-1, 1], [-0.5, 2]], max_regions=2)
    with pytest.raises(relulens.ShapeError):
        model.kinks([0.0], [1.0, 1.0])
    with pytest.raises(relulens.ArgumentError):
        model.decision_boundary(output=3)
    with pytest.raises(relulens.GeometryError, match="one input"):
        network([([[1.0]], [0.0]), ([[1.0]], [0.0])]).regions()


# --- explain_point, effect_curve, interactions, neurons, report (src/explain/*.rs, src/report.rs) ---


def articles_network():
    """The network relu(2A + 3B), its inputs x0 = A and x1 = B."""
    return network([([[2.0, 3.0]], [0.0]), ([[1.0]], [0.0])])


def forward_pre_activations(model, X):
    """Each hidden layer's pre-activations for the rows of X, straight from the weights (ReLU)."""
    a, layers = np.asarray(X, dtype=float), []
    for W, b in zip(model.weights[:-1], model.biases[:-1]):
        z = a @ W.T + b
        layers.append(z)
        a = np.maximum(z, 0.0)
    return layers


def test_explain_point_worked_out_on_paper():
    e = articles_network().explain_point([1.0, 1.0], radius=10.0)
    # relu(2 + 3) = 5, on: slopes 2 and 3. Along A (B = 1) it bends where 2A + 3 = 0, A = -1.5;
    # along B (A = 1) where 2 + 3B = 0, B = -2/3; nothing bends above within the radius.
    assert e.outputs.tolist() == [5.0] and e.jacobian.tolist() == [[2.0, 3.0]]
    assert e.offset.tolist() == [0.0] and e.pattern == "1"
    assert [a.tolist() for a in e.active] == [[True]]
    assert e.kink_below[0] == -1.5 and e.distance_below[0] == 2.5
    assert e.kink_below[1] == pytest.approx(-2.0 / 3.0, abs=1e-12)
    assert e.distance_below[1] == pytest.approx(5.0 / 3.0, abs=1e-12)
    assert np.isnan(e.kink_above).all() and np.isnan(e.distance_above).all()
    assert e.radius.tolist() == [10.0, 10.0] and e.point.tolist() == [1.0, 1.0]
    assert repr(e) == "LocalExplanation(at x0=1, x1=1: outputs [5]; units on per layer 1/1)"
    off = articles_network().explain_point({"x0": 1.0, "x1": -100.0}, radius=[1000.0, 1000.0])
    assert off.jacobian.tolist() == [[0.0, 0.0]] and off.pattern == "0"
    assert off.kink_above[0] == pytest.approx(150.0, abs=1e-9)


def test_explain_point_slopes_are_finite_differences_of_predict(trained):
    model, _ = trained
    x = np.array([172.0, 83.0])
    e = model.explain_point({"height_cm": x[0], "weight_kg": x[1]})
    assert e.feature_names == ["height_cm", "weight_kg"] and e.jacobian.shape == (1, 2)
    assert e.outputs == pytest.approx(model.predict(x), abs=1e-9)
    assert e.offset + e.jacobian @ x == pytest.approx(e.outputs, abs=1e-9)
    for i in range(2):
        reach = np.nanmin([e.distance_below[i], e.distance_above[i], 1.0])
        assert reach > 0
        h = 0.25 * reach
        step = np.zeros(2)
        step[i] = h
        numeric = (model.predict(x + step) - model.predict(x - step)) / (2 * h)
        assert numeric[0] == pytest.approx(e.jacobian[0, i], rel=1e-6, abs=1e-9)
        # Just past the nearest kink the region, so the pattern, is another one.
        for kink, side in ((e.kink_above[i], 1), (e.kink_below[i], -1)):
            if not np.isnan(kink):
                beyond = x.copy()
                beyond[i] = kink + side * 1e-6 * max(1.0, abs(kink))
                assert model.explain_point(beyond).pattern != e.pattern


def test_explain_point_units_on_agree_with_the_weights(trained):
    model, data = trained
    for row in data.X[:20]:
        e = model.explain_point(row)
        direct = forward_pre_activations(model, row[None, :])
        assert [a.tolist() for a in e.active] == [(z[0] > 0).tolist() for z in direct]


def test_explain_point_of_a_multiclass_model():
    data = relulens.datasets.load("penguins")
    model = relulens.Mlp([4, 6, 3], seed=1)
    model.fit(data, epochs=3)
    e = model.explain_point(data.X[0])
    assert e.jacobian.shape == (3, 4) and e.outputs.shape == (3,)
    assert e.outputs == pytest.approx(model.predict(data.X[0]), abs=1e-9)


def test_effect_curve_worked_out_on_paper():
    curve = articles_network().effect_curve(of="x0", along=1, at=[1.0, 0.0], range=[-100, 100])
    # relu(2A + 3B) with A = 1: the effect of A is 0 while B < -2/3 (off) and 2 above.
    assert len(curve) == 2 and curve.effects.tolist() == [0.0, 2.0]
    assert curve.starts[0] == -100.0 and curve.ends[-1] == 100.0
    assert curve.ends[0] == pytest.approx(-2.0 / 3.0, abs=1e-12) and curve.ends[0] == curve.starts[1]
    assert curve.of == "x0" and curve.along == "x1" and curve.output == 0 and curve.at == {"x0": 1.0}
    assert curve.range.tolist() == [-100.0, 100.0]
    assert repr(curve) == "EffectCurve(∂output0/∂x0 as x1 ∈ [-100, 100]: 2 pieces, effects from 0 to 2)"


def test_effect_curve_pieces_are_contiguous_finite_differences(trained):
    model, _ = trained
    curve = model.effect_curve(of="weight_kg", along="height_cm", at={"weight_kg": 80.0})
    assert len(curve) > 1
    assert curve.starts[0] == curve.range[0] and curve.ends[-1] == curve.range[1]
    assert np.array_equal(curve.ends[:-1], curve.starts[1:]) and (curve.ends > curve.starts).all()
    assert (np.diff(curve.effects) != 0).all()
    for start, end, effect in zip(curve.starts, curve.ends, curve.effects):
        x = np.array([0.5 * (start + end), 80.0])
        e = model.explain_point(x)
        assert e.jacobian[0, 1] == pytest.approx(effect, rel=1e-9, abs=1e-12)
        h = 0.25 * np.nanmin([e.distance_below[1], e.distance_above[1], 1.0])
        step = np.array([0.0, h])
        numeric = (model.predict(x + step) - model.predict(x - step))[0] / (2 * h)
        assert numeric == pytest.approx(effect, rel=1e-6, abs=1e-9)


def and_gate(inputs=2):
    """f = relu(x0 + x1 - 1), and inputs beyond the first two that it ignores."""
    w = [1.0, 1.0] + [0.0] * (inputs - 2)
    return network([([w], [-1.0]), ([[1.0]], [0.0])])


def test_interactions_of_an_and_gate_worked_out_on_paper():
    rows = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    found = and_gate().interactions(rows, ranges=[[-1, 2], [-1, 2]])
    # PD_01 centred: -1/4, -1/4, -1/4, 3/4; PD_0 + PD_1 centred: -1/2, 0, 0, 1/2; so
    # H² = (4 · 1/16) / (12/16) = 1/3. Along x1 over [-1, 2], ∂f/∂x0 jumps 0 -> 1 once on every
    # row, and the other way round: S = (1 · 3 + 1 · 3) / 2 = 3.
    assert len(found) == 1 and found.pairs == [("x0", "x1")]
    assert found.h_squared[0] == pytest.approx(1 / 3, abs=1e-15)
    assert found.h_statistic[0] == pytest.approx(np.sqrt(1 / 3), abs=1e-15)
    assert found.h_unnormalized[0] == pytest.approx(0.25, abs=1e-15)
    assert found.gradient.tolist() == [[1.0, 1.0]] and found.gradient_strength.tolist() == [3.0]
    assert found.gradient_matrix.tolist() == [[1.0, 1.0], [1.0, 1.0]]
    assert found.ranges.tolist() == [[-1.0, 2.0], [-1.0, 2.0]]
    assert (found.rows_used, found.rows_given, found.output) == (4, 4, 0)
    assert found.pair("x1", 0)["gradient_strength"] == 3.0
    assert repr(found) == (
        "Interactions(1 pair over 4 of 4 rows; strongest by H x0 × x1 0.5774, by gradient "
        "x0 × x1 3)"
    )


def test_an_ignored_input_interacts_with_nothing():
    rows = np.array([[0, 0, 5], [0, 1, -2], [1, 0, 7], [1, 1, 0.5]], dtype=float)
    found = and_gate(3).interactions(rows)
    assert found.pairs == [("x0", "x1"), ("x0", "x2"), ("x1", "x2")]
    assert found.by_h[0] == ("x0", "x1") and found.by_gradient[0] == ("x0", "x1")
    for a, b in (("x0", "x2"), ("x2", "x1")):
        p = found.pair(a, b)
        assert (p["h_squared"], p["h_unnormalized"], p["gradient"], p["gradient_strength"]) == (
            0.0, 0.0, (0.0, 0.0), 0.0,
        )


def h_squared_reference(model, rows, j, k):
    """Friedman's H² straight from its formula, through predict."""
    n = len(rows)

    def pd(features):
        values = []
        for row in rows:
            batch = rows.copy()
            batch[:, features] = row[features]
            values.append(model.predict(batch)[:, 0].mean())
        values = np.array(values)
        return values - values.mean()

    joint, first, second = pd([j, k]), pd([j]), pd([k])
    assert n == len(joint)
    return ((joint - first - second) ** 2).sum() / (joint**2).sum()


def test_interactions_match_the_formula_on_a_random_network():
    model = relulens.Mlp([3, 8, 8, 1], seed=4)
    rows = np.random.default_rng(1).uniform(-2, 2, (25, 3))
    found = model.interactions(rows)
    for (a, b), h2 in zip(found.pairs, found.h_squared):
        reference = h_squared_reference(model, rows, int(a[1:]), int(b[1:]))
        assert h2 == pytest.approx(reference, rel=1e-9, abs=1e-12)
    assert found.by_h == sorted(found.pairs, key=lambda p: -found.pair(*p)["h_statistic"])


def test_an_additive_network_has_no_interaction():
    # f = relu(x0 - 0.5) - 2 relu(0.3 - x1): a sum of one-input parts.
    model = network([([[1.0, 0.0], [0.0, -1.0]], [-0.5, 0.3]), ([[1.0, -2.0]], [0.0])])
    rows = np.random.default_rng(2).uniform(-1, 1, (40, 2))
    found = model.interactions(rows)
    assert found.h_statistic[0] < 1e-6 and found.gradient_strength[0] == 0.0
    assert found.gradient_matrix[0, 1] == found.gradient_matrix[1, 0] == 0.0


def test_rows_are_sampled_down_with_a_seed(trained):
    model, data = trained
    a = model.interactions(data.X, max_rows=20, seed=3)
    assert (a.rows_used, a.rows_given) == (20, len(data))
    assert a.h_statistic.tolist() == model.interactions(data.X, max_rows=20, seed=3).h_statistic.tolist()


def dead_and_alive():
    """Hidden units relu(-1) (dead everywhere), relu(x0 + x1 + 10) (on over the box below) and
    relu(x0)."""
    return network([([[0, 0], [1, 1], [1, 0]], [-1, 10, 0]), ([[1, 1, 1]], [0])])


def test_neurons_worked_out_on_paper():
    model = dead_and_alive()
    rows = np.array([[1.0, 1.0], [-1.0, 0.5]])
    health = model.neurons(rows, bounds=[[-3, 3], [-2, 2]])
    assert len(health) == 3 and health.layers.tolist() == [0, 0, 0] and health.units.tolist() == [0, 1, 2]
    assert health.rates.tolist() == [0.0, 1.0, 0.5]
    assert health.on_data == ["dead", "always_active", "switching"]
    assert health.by_bounds == ["dead", "always_active", "unknown"]
    assert health.exact == ["dead", "always_active", "switching"] and health.analysis == "slice"
    assert health.intervals[1].tolist() == [5.0, 15.0]
    assert health.dead_on_data == [(0, 0)] and health.always_active_on_data == [(0, 1)]
    assert health.dead_on_box == [(0, 0)] and health.always_active_on_box == [(0, 1)]
    assert health.rows == 2 and health.bounds.tolist() == [[-3.0, 3.0], [-2.0, 2.0]]
    assert repr(health) == (
        "NeuronHealth(3 units; on 2 rows 1 dead, 1 always active; on the box (exact on a slice) 1 "
        "dead, 1 always active)"
    )
    # A dict narrows the default box: x0 fixed leaves a segment along x1, x0 = 2 keeps relu(x0) on.
    fixed = model.neurons(bounds={"x0": 2.0, "x1": (-1.0, 1.0)})
    assert fixed.analysis == "segment" and fixed.on_box == ["dead", "always_active", "always_active"]
    assert fixed.rates is None and fixed.on_data is None and fixed.dead_on_data is None


def test_dead_units_on_data_agree_with_the_weights(trained):
    model, data = trained
    # Push two first-layer biases down until their units are off on every row.
    state = model.state_dict()
    z = data.X @ state["0.weight"].T + state["0.bias"]
    state["0.bias"][[1, 4]] -= z[:, [1, 4]].max(axis=0) + 1.0
    shifted = relulens.Mlp.from_torch(state)
    box = np.stack([data.X.min(axis=0), data.X.max(axis=0)], axis=1)
    health = shifted.neurons(data.X, bounds=box)
    layers = forward_pre_activations(shifted, data.X)
    rates = np.concatenate([(z > 0).mean(axis=0) for z in layers])
    assert health.rates.tolist() == rates.tolist()
    ids = [(l, u) for l, z in enumerate(layers) for u in range(z.shape[1])]
    dead = [i for i, r in zip(ids, rates) if r == 0.0]
    assert {(0, 1), (0, 4)} <= set(dead) and health.dead_on_data == dead
    assert health.always_active_on_data == [i for i, r in zip(ids, rates) if r == 1.0]
    # Whatever is proved dead on the data's box is dead on the data inside it; the box is 2-D, so
    # the proof is exact.
    assert health.analysis == "slice" and set(health.dead_on_box) <= set(dead)
    assert set(health.always_active_on_box) <= set(health.always_active_on_data)


def external_urls(html):
    """Every URL in the page but the SVG namespace, and every tag that would fetch something."""
    found = []
    for scheme in ("http://", "https://", "file://", "ftp://", "//cdn"):
        start = 0
        while (i := html.find(scheme, start)) != -1:
            url = re.match(r'[^\s"]*', html[i:]).group(0)
            if not (url == "http://www.w3.org/2000/svg" and html[:i].endswith('xmlns="')):
                found.append(url)
            start = i + 1
    fetching = ("<script", "<link", "<img", "<iframe", "@import", "url(", " src=")
    return found + [tag for tag in fetching if tag in html]


def test_report_writes_the_explain_page(trained, tmp_path):
    model, data = trained
    path = model.report(tmp_path / "page", data)
    assert path == tmp_path / "page" / "index.html" and path.is_file()
    html = path.read_text()
    assert external_urls(html) == []
    for section in ("model", "training", "profiles", "regions", "effects", "interactions", "health"):
        assert f'<section id="{section}"' in html
    assert html.count("<svg") >= 5 and "height_cm" in html and "weight_kg" in html
    # Again into the same directory: the page is replaced, and the default data is the built-in
    # set the model was trained on, so it is the same page.
    assert model.report(tmp_path / "page").read_text() == html


def test_report_without_data_and_on_a_chosen_pair(tmp_path):
    model = relulens.Mlp([3, 6, 1], seed=2)
    html = model.report(str(tmp_path / "plain"), x="x2", y=0).read_text()
    assert external_urls(html) == []
    assert '<section id="interactions"' not in html and '<section id="regions"' in html
    assert "x2 and x0 together" in html
    rows = np.random.default_rng(0).uniform(-1, 1, (30, 3))
    with_data = model.report(tmp_path / "data", (rows, rows[:, 0] > 0)).read_text()
    assert '<section id="interactions"' in with_data
