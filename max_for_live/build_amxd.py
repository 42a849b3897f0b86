"""Build the Max for Live devices (.amxd) from their patchers (.maxpat): reproducible, standard library only.

Run `python max_for_live/build_amxd.py` after editing a .maxpat, and commit the .amxd files it
writes; `--check` only compares (exit status 1 when a committed .amxd is stale).
tests/max_for_live/test_maxpat.py checks that the committed files are byte-identical to a fresh build.

The .amxd container
-------------------
Ableton does not publish the format. What this script writes is the layout that Ableton's own
maxdevtools reads (github.com/Ableton/maxdevtools, maxdiff/amxd_textconv.py) and that independent
readers and writers agree on; every length is a little-endian uint32:

    offset  size  content
    0       4     b"ampf"                      magic
    4       4     4                            length of the device type that follows
    8       4     device type                  b"mmmm" MIDI Effect, b"aaaa" Audio Effect,
                                               b"iiii" Instrument, b"nagg" MIDI Tool Generator,
                                               b"natt" MIDI Tool Transformation
    12      4     b"meta"
    16      4     4                            length of the meta value
    20      4     0                            meta value (see below)
    24      4     b"ptch"
    28      4     N                            length of the patcher
    32      N     patcher JSON (UTF-8) + b"\\n\\x00"

The patcher is stored as plain JSON, which is how Max saves a device that has not been frozen.
Its `project.amxdtype` repeats the device type as a big-endian integer (b"mmmm" = 1835887981,
b"nagg" = 1851877223, b"natt" = 1851880564), as in Ableton's own test device
(Ableton/maxdevtools, maxdiff/tests/test_files/Test.amxd) and public MIDI Tools
(h1data/M4L-MIDI-tool-examples, adriananders/swingset-m4l-miditool). The .maxpat sources carry it;
this script refuses a patcher whose `project.amxdtype` is missing or names another type.
The JavaScript is referenced, not embedded: [js MidiDrumiGen.js] and its require("mdg_core")
are resolved by Max's file search, which looks in the device's own folder, so each .amxd works
where it sits, next to MidiDrumiGen.js and mdg_core.js (the patchers list both in
`dependency_cache`). To ship one self-contained file, open the device in Max and press Freeze:
Max then writes its frozen variant of `ptch` (b"mx@c", a big-endian header, the files, and a
b"dlst" directory of b"dire" entries). This script does not write that variant, because the
entry fields for JavaScript files (type code, flags) could not be verified here.

Uncertain, not verified against Ableton documentation: the meta value. Readers ignore it; public
files carry 0 or 1 with a plain-JSON patcher (Separate.amxd: 0; Test.amxd and Swing{set}-dev.amxd: 1)
and 7 with a frozen one, so this script writes 0. The trailing b"\\n\\x00" is what Max writes; readers accept the JSON with or without it.

Deterministic bytes: the output depends only on the .maxpat bytes (CRLF line ends are read as
LF, so a Windows checkout builds the same file) and the device type; no time stamps or paths.
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Final

HERE: Final = Path(__file__).resolve().parent

MAGIC: Final = b"ampf"
META: Final = b"meta"
PATCH: Final = b"ptch"
META_PLAIN_JSON: Final = 0
PATCH_TERMINATOR: Final = b"\n\x00"

DEVICE_TYPES: Final[dict[bytes, str]] = {
    b"aaaa": "Audio Effect",
    b"mmmm": "MIDI Effect",
    b"iiii": "Instrument",
    b"nagg": "MIDI Tool Generator",
    b"natt": "MIDI Tool Transformation",
}


class AmxdError(ValueError):
    """A patcher that cannot become a device, or bytes that are not a device this script understands."""


@dataclass(frozen=True)
class Device:
    """One device: the patcher it is built from, the file it becomes, and Live's device type."""

    maxpat: str
    amxd: str
    device_type: bytes


DEVICES: Final = (
    Device("MidiDrumiGen.maxpat", "MidiDrumiGen.amxd", b"mmmm"),
    Device("MidiDrumiGen Generator.maxpat", "MidiDrumiGen Generator.amxd", b"nagg"),
    Device("MidiDrumiGen Groove.maxpat", "MidiDrumiGen Groove.amxd", b"natt"),
)


@dataclass(frozen=True)
class AmxdContents:
    """What `read_amxd` finds in a device file."""

    device_type: bytes
    meta: int
    patcher_json: bytes


def _chunk(tag: bytes, payload: bytes) -> bytes:
    return tag + struct.pack("<I", len(payload)) + payload


def normalized_patcher(maxpat: bytes) -> bytes:
    """The patcher JSON as it goes into the device: LF line ends, no trailing blank lines.

    Raises:
        AmxdError: the bytes are not UTF-8 JSON with a top-level "patcher" object.
    """
    try:
        text = maxpat.decode("utf-8").replace("\r\n", "\n").rstrip()
        document = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise AmxdError(f"the patcher is not UTF-8 JSON: {error}") from error
    if not isinstance(document, dict) or not isinstance(document.get("patcher"), dict):
        raise AmxdError('the patcher must be a JSON object with a "patcher" object at the top')
    return text.encode("utf-8")


def amxdtype(device_type: bytes) -> int:
    """The `project.amxdtype` value that matches a header device type: its four bytes, big-endian."""
    return int.from_bytes(device_type, "big")


def check_amxdtype(patcher_json: bytes, device_type: bytes) -> None:
    """Refuse a patcher whose `project.amxdtype` does not repeat the header's device type.

    Raises:
        AmxdError: the value is missing or names another device type.
    """
    project = json.loads(patcher_json)["patcher"].get("project", {})
    found = project.get("amxdtype") if isinstance(project, dict) else None
    if found != amxdtype(device_type):
        raise AmxdError(
            f'"project": {{"amxdtype": {amxdtype(device_type)}}} must say {DEVICE_TYPES[device_type]} '
            f"({device_type.decode()}), got {found!r}"
        )


def build_amxd(maxpat: bytes, device_type: bytes) -> bytes:
    """Wrap a .maxpat's bytes in the .amxd container (see the module docstring).

    Raises:
        AmxdError: an unknown device type, a patcher that is not valid JSON, or one whose
            project.amxdtype names another device type.
    """
    if device_type not in DEVICE_TYPES:
        raise AmxdError(f"device type must be one of {sorted(DEVICE_TYPES)}, got {device_type!r}")
    patcher_json = normalized_patcher(maxpat)
    check_amxdtype(patcher_json, device_type)
    return b"".join((
        _chunk(MAGIC, device_type),
        _chunk(META, struct.pack("<I", META_PLAIN_JSON)),
        _chunk(PATCH, patcher_json + PATCH_TERMINATOR),
    ))


def read_amxd(data: bytes) -> AmxdContents:
    """Parse a plain-JSON .amxd (the kind `build_amxd` writes).

    Raises:
        AmxdError: for anything else: another magic, a truncated chunk, a frozen or encrypted patcher.
    """
    if data[:4] != MAGIC:
        raise AmxdError(f"not an .amxd: the file starts with {data[:8]!r}")
    chunks: dict[bytes, bytes] = {}
    offset = 0
    while offset < len(data):
        if offset + 8 > len(data):
            raise AmxdError(f"truncated chunk header at byte {offset}")
        tag = data[offset : offset + 4]
        (size,) = struct.unpack("<I", data[offset + 4 : offset + 8])
        if offset + 8 + size > len(data):
            raise AmxdError(f"chunk {tag!r} at byte {offset} says {size} bytes but the file ends first")
        chunks[tag] = data[offset + 8 : offset + 8 + size]
        offset += 8 + size
    if len(chunks[MAGIC]) != 4:
        raise AmxdError(f"the device type must be 4 bytes, got {chunks[MAGIC]!r}")
    if b"ciph" in chunks:
        raise AmxdError("the device is encrypted")
    if META not in chunks or PATCH not in chunks:
        raise AmxdError(f"missing chunk: found {sorted(chunks)}")
    patch = chunks[PATCH]
    if patch.startswith(b"mx@c"):
        raise AmxdError("the device is frozen (mx@c); this reader handles plain-JSON patchers only")
    (meta,) = struct.unpack("<I", chunks[META][:4])
    return AmxdContents(chunks[MAGIC], meta, patch.rstrip(b"\x00").rstrip(b"\n"))


def _missing_dependencies(maxpat_path: Path) -> list[str]:
    """Files the patcher lists in dependency_cache that are not next to it."""
    patcher = json.loads(maxpat_path.read_text(encoding="utf-8"))["patcher"]
    names = [entry["name"] for entry in patcher.get("dependency_cache", [])]
    return [name for name in names if not (maxpat_path.parent / name).is_file()]


def build_all(folder: Path = HERE) -> dict[Path, bytes]:
    """Every device's .amxd bytes, keyed by the path it belongs at.

    Raises:
        AmxdError: a patcher is invalid or a file it depends on is missing.
    """
    out: dict[Path, bytes] = {}
    for device in DEVICES:
        maxpat_path = folder / device.maxpat
        missing = _missing_dependencies(maxpat_path)
        if missing:
            raise AmxdError(f"{device.maxpat} depends on {', '.join(missing)}, which is not in {folder}")
        try:
            out[folder / device.amxd] = build_amxd(maxpat_path.read_bytes(), device.device_type)
        except AmxdError as error:
            raise AmxdError(f"{device.maxpat}: {error}") from error
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only compare; exit 1 if an .amxd is stale")
    args = parser.parse_args(argv)
    try:
        built = build_all()
    except (AmxdError, OSError) as error:
        print(f"build_amxd: {error}", file=sys.stderr)
        return 2
    stale = [path for path, data in built.items() if not path.is_file() or path.read_bytes() != data]
    if args.check:
        for path in stale:
            print(f"stale: {path.name} (run python max_for_live/build_amxd.py)", file=sys.stderr)
        return 1 if stale else 0
    for path, data in built.items():
        path.write_bytes(data)
        print(f"wrote {path.name} ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
