"""How much disk an installed package takes with everything it pulls in, read from the installed
distributions' own file records (what `pip install` actually put on disk, not a download size)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from importlib import metadata

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._\-]*")


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def dependency_closure(names: Iterable[str]) -> set[str]:
    """The installed distributions `names` need, themselves included (extras and absent ones left out)."""
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
        for requirement in distribution.requires or []:
            if "extra ==" not in requirement and (match := _NAME.match(requirement)):
                pending.append(match.group(0))
    return seen


def installed_bytes(names: Iterable[str]) -> int:
    """Bytes on disk of `names` and everything they need, each distribution counted once."""
    return sum(sum(f.size or 0 for f in metadata.distribution(name).files or [])
               for name in dependency_closure(names))
