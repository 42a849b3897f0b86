"""Optional packages: whether one is installed, and a one-line error naming the install command when a
command needs one that is not (torch for training, matplotlib for plots), found without importing it."""

from __future__ import annotations

import importlib.util

from mididrumigen.engine.errors import MissingDependencyError


def installed(package: str) -> bool:
    return importlib.util.find_spec(package) is not None


def require(needed_for: str, *packages: str) -> None:
    """Raise MissingDependencyError for the first of `packages` that is not installed."""
    for package in packages:
        if not installed(package):
            raise MissingDependencyError(package, needed_for)
