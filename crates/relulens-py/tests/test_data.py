"""Data sets (src/data.rs): the built-in sets as arrays with feature names."""

import numpy as np
import pytest

import relulens
from relulens import datasets


def test_list_describes_every_builtin_set():
    names = [d["name"] for d in datasets.list()]
    assert names == ["xor", "circles", "moons", "spiral", "gaussians", "sine", "height_weight",
                     "penguins"]
    xor = datasets.list()[0]
    assert xor["rows"] == 400 and xor["features"] == 2 and xor["task"] == "binary"
    assert 0.9 < xor["bayes_accuracy"] < 1.0


def test_load_gives_arrays_with_names():
    data = datasets.load("height_weight", seed=0)
    assert repr(data) == "Dataset(height_weight: 2000 rows, 2 features, binary)"
    X, y = data
    assert X.shape == (2000, 2) and X.dtype == np.float64
    assert y.shape == (2000,) and y.dtype == np.int64 and set(np.unique(y)) == {0, 1}
    assert data.feature_names == ["height_cm", "weight_kg"]
    assert data.class_labels == ["no", "yes"] and data.target_name == "elevated_risk"
    assert data.task == "binary" and len(data) == 2000 and data.name == "height_weight"
    assert data.description


def test_the_seed_draws_the_rows():
    a, b, c = (datasets.load("moons", seed=s).X for s in (1, 1, 2))
    assert np.array_equal(a, b) and not np.array_equal(a, c)


def test_regression_targets_are_floats_and_penguins_are_multiclass():
    sine = datasets.load("sine")
    assert sine.task == "regression" and sine.y.dtype == np.float64 and sine.class_labels == []
    penguins = datasets.load("penguins")
    assert penguins.task == "multiclass" and len(penguins.class_labels) == 3
    assert penguins.X.shape[1] == 4


def test_an_unknown_name_lists_the_valid_ones():
    with pytest.raises(relulens.DataError, match="valid names: xor"):
        datasets.load("iris")
