"""Exact geometry (src/explain.rs): kinks, regions and boundaries, in the user's units."""

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
