"""The install-size figures bench prints come from this package's own metadata: the default install
has no torch and no tqdm, `[train]` brings them, and a dependency's markers are honoured."""

from __future__ import annotations

from mididrumigen.engine.install_size import _wanted, install_size, requirements_of


def test_the_default_install_is_read_from_the_package_metadata() -> None:
    default = set(requirements_of("mididrumigen"))
    assert {"onnxruntime", "numpy", "pydantic", "fastapi"} <= default
    assert not default & {"torch", "onnx", "matplotlib", "tqdm"}
    assert {"torch", "onnx", "matplotlib", "tqdm"} <= set(requirements_of("mididrumigen", ["train"]))


def test_markers_and_extras_decide_what_counts() -> None:
    assert _wanted("numpy>=1.24", ()) == "numpy"
    assert _wanted('torch>=2.4; extra == "train"', ()) is None
    assert _wanted('torch>=2.4; extra == "train"', ("train",)) == "torch"
    assert _wanted("typing-extensions>=4.0; python_version < '3.0'", ()) is None
    assert _wanted("h11>=0.8; python_version >= '3.0'", ()) == "h11"


def test_the_default_install_is_counted_once_per_distribution_without_torch() -> None:
    default = install_size()
    assert "onnxruntime" in default.sizes and "numpy" in default.sizes
    assert not {"torch", "tqdm", "mididrumigen"} & set(default.sizes)
    assert default.total == sum(default.sizes.values()) and list(default.sizes.values()) == sorted(
        default.sizes.values(), reverse=True)
    added = install_size(("train",), beyond=default.sizes)
    assert "torch" in added.sizes and not set(added.sizes) & set(default.sizes)
