"""Where the Groove MIDI Dataset lives: --data, else the user data folder `data fetch` fills, else the
source checkout's ../shared/data/groove. Kept free of heavy imports: the CLI asks before anything loads.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Final

from mididrumigen.engine.errors import EngineError

DATA_DIR_ENV: Final = "MIDIDRUMIGEN_DATA_DIR"
"""Overrides the user data folder (where `mididrumigen data fetch` unpacks the dataset)."""

GROOVE_FOLDER: Final = "groove"
CHECKOUT_GROOVE: Final = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / GROOVE_FOLDER
"""The dataset beside a source checkout (how the project's own machines hold it)."""

FETCH_HINT: Final = "run `mididrumigen data fetch` to download it (about 3 MB), or pass --data FOLDER"


class DataMissingError(EngineError):
    """The training or evaluation data is not where it was looked for."""


def user_data_dir() -> Path:
    """The per-user data folder: $MIDIDRUMIGEN_DATA_DIR, else the platform's usual place."""
    if os.environ.get(DATA_DIR_ENV):
        return Path(os.environ[DATA_DIR_ENV]).expanduser()
    home = Path.home()
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or home / "AppData" / "Local") / "MidiDrumiGen"
    if sys.platform == "darwin":
        return home / "Library" / "Application Support" / "MidiDrumiGen"
    return Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share") / "mididrumigen"


def groove_candidates() -> list[Path]:
    """Where the dataset is looked for when no --data is given, in order."""
    return [user_data_dir() / GROOVE_FOLDER, CHECKOUT_GROOVE]


def find_groove() -> Path | None:
    """The first candidate folder that holds the dataset (its info.csv), or None."""
    return next((folder for folder in groove_candidates() if (folder / "info.csv").is_file()), None)


def resolve_data(explicit: Path | None) -> Path:
    """The data folder a command should read: `explicit` when given (any folder of drum MIDI), else
    the dataset found by `find_groove`.

    Raises:
        DataMissingError: one line saying where it looked and how to get the data.
    """
    if explicit is not None:
        if not explicit.is_dir():
            raise DataMissingError(f"data folder not found: {explicit}; {FETCH_HINT}")
        if not (explicit / "info.csv").is_file() and next(explicit.rglob("*.mid"), None) is None:
            raise DataMissingError(f"no info.csv and no .mid files in {explicit}; {FETCH_HINT}")
        return explicit
    found = find_groove()
    if found is None:
        looked = " or ".join(str(folder) for folder in groove_candidates())
        raise DataMissingError(f"Groove MIDI Dataset not found in {looked}; {FETCH_HINT}")
    return found
