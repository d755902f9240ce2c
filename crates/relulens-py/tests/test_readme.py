"""The README's Python examples run as written."""

import re

import pytest

from conftest import HERE, REPO


def python_blocks(path, section=None):
    text = path.read_text()
    if section is not None:
        start = text.index(section)
        end = text.find("\n## ", start + len(section))
        text = text[start : end if end != -1 else len(text)]
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize(
    "path,section", [(REPO / "README.md", "## Python"), (HERE.parent / "README.md", None)]
)
def test_readme_examples_run(path, section, tmp_path, monkeypatch, capsys):
    blocks = python_blocks(path, section)
    assert blocks, f"no Python example in {path.name}"
    monkeypatch.chdir(tmp_path)  # the examples may write files
    for block in blocks:
        exec(compile(block, str(path), "exec"), {"__name__": "__readme__"})
    assert "[0. 0. 2.]" in capsys.readouterr().out
