"""How much disk an install takes with everything it pulls in, read from the installed distributions'
own file records (what `pip install` actually put on disk, .pyc included, not a download size).

The default install is read from this package's own metadata (its `Requires-Dist` without extras),
so the figure follows pyproject.toml as it changes instead of a hand-kept list of names.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from importlib import metadata
from typing import Final

PACKAGE: Final = "mididrumigen"

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _wanted(requirement: str, extras: Collection[str]) -> str | None:
    """The distribution a Requires-Dist line names, if it applies here with these extras, else None."""
    try:
        from packaging.requirements import InvalidRequirement, Requirement  # onnxruntime's own dependency
    except ImportError:  # without packaging: extras by name, other markers taken as true (over-counts)
        match = _NAME.match(requirement)
        extra = re.search(r"""extra\s*==\s*['"]([^'"]+)['"]""", requirement)
        return match.group(0) if match and (extra is None or extra.group(1) in extras) else None
    try:
        parsed = Requirement(requirement)
    except InvalidRequirement:
        return None
    if parsed.marker is None:
        return parsed.name
    environments = [{"extra": extra} for extra in extras] or [{"extra": ""}]
    return parsed.name if any(parsed.marker.evaluate(env) for env in environments) else None


def requirements_of(distribution: str, extras: Collection[str] = ()) -> list[str]:
    """The distributions `distribution` asks for with these extras (none: its default install)."""
    requires = metadata.distribution(distribution).requires or []
    return [name for line in requires if (name := _wanted(line, extras)) is not None]


def dependency_closure(names: Iterable[str]) -> set[str]:
    """The installed distributions `names` need, themselves included (their extras and absent ones left out)."""
    seen: set[str] = set()
    pending = list(names)
    while pending:
        name = pending.pop()
        if _key(name) in seen:
            continue
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            continue
        seen.add(_key(name))
        pending += [needed for line in distribution.requires or [] if (needed := _wanted(line, ())) is not None]
    return seen


def distribution_bytes(name: str) -> int:
    return sum(f.size or 0 for f in metadata.distribution(name).files or [])


def installed_bytes(names: Iterable[str]) -> int:
    """Bytes on disk of `names` and everything they need, each distribution counted once."""
    return sum(distribution_bytes(name) for name in dependency_closure(names))


@dataclass(frozen=True)
class InstallSize:
    """One way of installing this package: which distributions it brings and their bytes on disk."""

    sizes: dict[str, int]  # distribution -> bytes, largest first

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def largest(self, count: int) -> str:
        return ", ".join(f"{name} {size / 1e6:.1f}" for name, size in list(self.sizes.items())[:count])


def install_size(extras: Collection[str] = (), beyond: Collection[str] = ()) -> InstallSize:
    """What `pip install mididrumigen[extras]` brings besides the package itself, leaving out the
    distributions in `beyond` (for "what an extra adds": pass the default install's)."""
    names = dependency_closure(requirements_of(PACKAGE, extras)) - {_key(PACKAGE)} - {_key(n) for n in beyond}
    sizes = {name: distribution_bytes(name) for name in names}
    return InstallSize(dict(sorted(sizes.items(), key=lambda item: -item[1])))
