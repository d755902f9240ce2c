"""Training (src/train.rs): `Mlp.fit` on data sets and arrays, and its `History`."""

import numpy as np
import pytest

import relulens
from relulens import datasets


def test_fit_on_a_dataset_learns_and_keeps_its_names():
    model = relulens.Mlp([2, 16, 1], seed=0)
    history = model.fit(datasets.load("height_weight"), epochs=30)
    assert len(history) == 30 and history.best_epoch == 30 and history.stopped_early is False
    assert history.loss_name == "bce_with_logits"
    assert history.val_accuracy[-1] > 0.85 and history.r2 is None
    assert history.loss[-1] < history.loss[0]
    assert model.task == "binary" and model.feature_names == ["height_cm", "weight_kg"]
    assert model.class_labels == ["no", "yes"] and model.scaler is not None
    assert model.history.loss.tolist() == history.loss.tolist()
    assert "History(30 epochs" in repr(history) and "val_accuracy" in repr(history)


def test_history_items_are_dicts():
    history = relulens.Mlp([1, 8, 1]).fit(*datasets.load("sine"), epochs=3)
    assert history[0]["epoch"] == 1 and set(history[-1]) == {"epoch", "loss", "r2", "val_loss",
                                                             "val_r2"}
    assert [e["epoch"] for e in history.to_list()] == [1, 2, 3]
    with pytest.raises(IndexError):
        history[3]


def test_fit_is_reproducible_and_starts_from_the_seed():
    X, y = datasets.load("moons")
    a, b = relulens.Mlp([2, 8, 1], seed=7), relulens.Mlp([2, 8, 1], seed=7)
    a.fit(X, y, epochs=5)
    b.fit(X, y, epochs=5)
    assert np.array_equal(a.predict(X), b.predict(X))
    # Like scikit-learn's fit: a second fit trains again from the seed's initialisation.
    a.fit(X, y, epochs=5)
    assert np.array_equal(a.predict(X), b.predict(X))


@pytest.mark.parametrize(
    "y,task,labels",
    [
        (lambda y: y.astype(np.int32), "binary", ["0", "1"]),
        (lambda y: y.astype(bool), "binary", ["False", "True"]),
        (lambda y: np.where(y == 1, "yes", "no"), "binary", ["no", "yes"]),
        (lambda y: np.where(y == 1, 7, 3), "binary", ["3", "7"]),
        (lambda y: y.astype(float) * 2.5, "regression", []),
    ],
)
def test_the_task_is_inferred_from_the_targets(y, task, labels):
    X, target = datasets.load("xor")
    model = relulens.Mlp([2, 4, 1])
    model.fit(X, y(target), epochs=2)
    assert model.task == task and model.class_labels == labels


def test_multiclass_from_string_labels_and_explicit_names():
    data = datasets.load("penguins")
    labels = np.array(data.class_labels)[data.y]
    model = relulens.Mlp([4, 8, 3])
    model.fit(data.X, labels, epochs=5, feature_names=data.feature_names, target_name="species")
    assert model.task == "multiclass" and model.class_labels == sorted(data.class_labels)
    assert model.feature_names == data.feature_names and model.target_name == "species"
    assert model.predict(data.X[:2]).shape == (2, 3)


def test_explicit_task_and_class_labels():
    X, y = datasets.load("xor")
    model = relulens.Mlp([2, 4, 1])
    model.fit(X, y.astype(float), task="binary", class_labels=["same", "different"], epochs=2)
    assert model.task == "binary" and model.class_labels == ["same", "different"]


def test_settings_are_used():
    X, y = datasets.load("xor")
    model = relulens.Mlp([2, 4, 1])
    history = model.fit(X, y, epochs=4, batch_size=400, lr=1e-12, optimizer="sgd", validation=0.0)
    assert history.val_loss is None and len(history) == 4
    # A tiny learning rate all but leaves the initial network.
    assert np.allclose(history.loss, history.loss[0], rtol=1e-6)
    fast = relulens.Mlp([2, 4, 1]).fit(X, y, epochs=4, lr=0.1, optimizer="adamw", validation=0.0)
    assert fast.loss[-1] < history.loss[-1]


def test_early_stopping_keeps_the_best_epoch():
    X, y = datasets.load("xor")
    history = relulens.Mlp([2, 64, 1]).fit(X, y, epochs=500, lr=0.05, patience=3)
    assert history.stopped_early and len(history) < 500
    assert history.best_epoch == len(history) - 3


def test_the_network_must_fit_the_data():
    X, y = datasets.load("xor")
    with pytest.raises(relulens.ShapeError, match="takes 3 inputs"):
        relulens.Mlp([3, 4, 1]).fit(X, y)
    with pytest.raises(relulens.NetworkError, match="needs 1 output"):
        relulens.Mlp([2, 4, 2]).fit(X, y)
    with pytest.raises(relulens.NetworkError, match="needs 3 outputs"):
        relulens.Mlp([4, 4, 1]).fit(datasets.load("penguins"))


@pytest.mark.parametrize(
    "kwargs,error",
    [
        ({"epochs": 0}, relulens.TrainingError),
        ({"batch_size": 0}, relulens.TrainingError),
        ({"validation": 1.0}, relulens.TrainingError),
        ({"optimizer": "lbfgs"}, relulens.TrainingError),
        ({"lr": -1.0}, relulens.TrainingError),
        ({"task": "ranking"}, relulens.DataError),
        ({"task": "multiclass"}, relulens.NetworkError),
        ({"epochs": -1}, relulens.ArgumentError),
        ({"epochs": "ten"}, relulens.DtypeError),
        ({"lr": "fast"}, relulens.DtypeError),
    ],
)
def test_bad_settings(kwargs, error):
    X, y = datasets.load("xor")
    with pytest.raises(error):
        relulens.Mlp([2, 4, 1]).fit(X, y, **kwargs)


def test_bad_data():
    model = relulens.Mlp([2, 4, 1])
    X = np.zeros((4, 2))
    with pytest.raises(relulens.ShapeError, match="4 rows but y has 3"):
        model.fit(X, [0, 1, 0])
    with pytest.raises(relulens.DataError, match="single class"):
        model.fit(X, [1, 1, 1, 1])
    with pytest.raises(relulens.DataError):
        model.fit(np.array([[np.nan, 0.0]] * 4), [0.0, 1.0, 2.0, 3.0])
    with pytest.raises(relulens.ArgumentError, match="y is missing"):
        model.fit(X)
    with pytest.raises(relulens.DataError, match="use task=\"multiclass\""):
        model.fit(X, [0, 1, 2, 1], task="binary")
