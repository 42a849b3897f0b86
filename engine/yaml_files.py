"""Reading small YAML files (presets, the daemon's config) so that no file can exhaust time or memory.

Three bounds, each found by an attack sweep: a size cap read before parsing (a 50 MB preset took
151 s on every start), the C safe loader where PyYAML has it (the same safe subset, many times
faster), and a cap on the nodes of the loaded document counted as a reader would walk it, so a
396-byte alias bomb (anchors nested 8 deep) is refused before anything calls str() or validates it.
Errors name the file, the line and the column, never the file's text.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path
from typing import Any, Final

import yaml

MAX_YAML_BYTES: Final = 64 * 1024
"""The largest preset or config file read: the built-in presets are under 2 KB."""
MAX_YAML_NODES: Final = 10_000
"""The most values a document may hold when every alias is counted where it is used."""

SAFE_LOADER: Final[type[Any]] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's loader when PyYAML was built with it; both build plain data only."""


class YamlFileError(ValueError):
    """A YAML file is unreadable, too big, not YAML, or expands past MAX_YAML_NODES; the message says which."""


def _read_capped(path: Path, max_bytes: int) -> bytes:
    try:
        # O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer for ever.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        with os.fdopen(fd, "rb") as file:
            info = os.fstat(file.fileno())
            if not stat.S_ISREG(info.st_mode):
                raise YamlFileError(f"{path}: file: is not a regular file")
            if info.st_size > max_bytes:
                raise YamlFileError(f"{path}: file: is {info.st_size} bytes, over the {max_bytes}-byte limit")
            data = file.read(max_bytes + 1)  # the size may have changed since fstat
    except OSError as error:
        raise YamlFileError(f"{path}: file: cannot read: {error.strerror or error}") from error
    if len(data) > max_bytes:
        raise YamlFileError(f"{path}: file: is over the {max_bytes}-byte limit")
    return data


def _where(error: yaml.YAMLError) -> str:
    """The problem and its position, without the snippet of the file PyYAML quotes."""
    mark = getattr(error, "problem_mark", None)
    problem = getattr(error, "problem", None) or "not valid YAML"
    problem = re.sub(r"'[^']*'|\"[^\"]*\"", "…", str(problem))  # quoted text is the file's own
    if mark is None:
        return problem
    return f"{problem} at line {mark.line + 1}, column {mark.column + 1}"


def count_nodes(document: Any, limit: int) -> int:
    """How many values `document` holds, each alias counted where it is used; stops past `limit`."""
    count = 0
    pending = [document]
    while pending and count <= limit:
        value = pending.pop()
        count += 1
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list | tuple | set):
            pending.extend(value)
    return count


def load_yaml_file(path: Path, max_bytes: int = MAX_YAML_BYTES, max_nodes: int = MAX_YAML_NODES) -> Any:
    """Read one small YAML document safely.

    Raises:
        YamlFileError: "<path>: <part>: <what is wrong>", naming no content of the file.
    """
    data = _read_capped(path, max_bytes)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise YamlFileError(f"{path}: file: is not UTF-8 text (byte {error.start})") from error
    try:
        document = yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (the safe loader, C or Python)
    except yaml.YAMLError as error:
        raise YamlFileError(f"{path}: yaml: {_where(error)}") from error
    except RecursionError as error:
        raise YamlFileError(f"{path}: yaml: nested too deeply") from error
    if count_nodes(document, max_nodes) > max_nodes:
        raise YamlFileError(f"{path}: yaml: expands to more than {max_nodes} values (aliases included)")
    return document
