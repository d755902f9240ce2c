"""The built-in data sets: classic 2-D teaching sets, the ``height_weight`` example with its known
truth, and the Palmer penguins.

>>> from relulens import datasets
>>> data = datasets.load("height_weight", seed=0)
>>> data.feature_names
['height_cm', 'weight_kg']
>>> X, y = data
>>> X.shape, y.dtype.name
((2000, 2), 'int64')
>>> [d["name"] for d in datasets.list()][:3]
['xor', 'circles', 'moons']

Synthetic sets are drawn from ``seed`` (the same seed gives the same rows on every platform);
``penguins`` is fixed data and ignores it.
"""

from ._relulens import Dataset
from ._relulens import list_datasets as list  # noqa: A001 - the documented name
from ._relulens import load_dataset as load

__all__ = ["Dataset", "list", "load"]
