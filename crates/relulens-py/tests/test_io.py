"""Model files (src/io.rs): save, load, PyTorch's state dicts, and file errors."""

import pathlib

import numpy as np
import pytest

import relulens
from conftest import FIXTURES


def test_save_and_load_round_trip(tmp_path, trained):
    model, data = trained
    path = tmp_path / "model.safetensors"
    model.save(path)
    back = relulens.load(str(path))
    assert np.array_equal(back.predict(data.X), model.predict(data.X))
    assert back.feature_names == model.feature_names and back.task == "binary"
    assert back.class_labels == ["no", "yes"] and back.dtype == "float32"
    assert len(back.history) == len(model.history) and back.history.best_epoch is None
    assert repr(relulens.Mlp.load(path)) == repr(model)


def test_a_pytorch_state_dict_file_loads_as_a_relu_sequential():
    model = relulens.load(FIXTURES / "torch_sequential_f32.safetensors")
    assert model.sizes == [2, 8, 8, 3] and model.activation == "relu" and model.dtype == "float32"
    assert relulens.load(FIXTURES / "torch_sequential_f64.safetensors").dtype == "float64"


def test_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError) as info:
        relulens.load(tmp_path / "missing.safetensors")
    assert isinstance(info.value, relulens.MissingFileError)
    assert isinstance(info.value, relulens.ReluLensError)


def test_a_file_that_is_not_safetensors(tmp_path):
    path = tmp_path / "bad.safetensors"
    path.write_bytes(b"not a model file at all")
    with pytest.raises(relulens.ModelFileError):
        relulens.load(path)


def test_saving_into_a_missing_directory(tmp_path):
    with pytest.raises(relulens.FileError):
        relulens.Mlp([2, 1]).save(tmp_path / "no" / "such" / "dir" / "m.safetensors")


def test_paths_may_be_str_or_pathlike(tmp_path):
    relulens.Mlp([2, 1]).save(str(tmp_path / "a.safetensors"))
    relulens.Mlp([2, 1]).save(pathlib.Path(tmp_path) / "b.safetensors")
    with pytest.raises(relulens.DtypeError):
        relulens.load(42)
