"""`mididrumigen data fetch`: download the Groove MIDI Dataset (MIDI-only release) into the user data folder.

The download resumes where an interrupted one stopped (HTTP Range on a `.part` file), is checked
against the release's SHA-256 before anything is unpacked, and is unpacked into a temporary folder
that is renamed into place at the end: the dataset folder is either complete or absent.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from typing import Final

from mididrumigen.engine.data_location import GROOVE_FOLDER
from mididrumigen.engine.errors import EngineError
from mididrumigen.engine.progress_line import ByteProgress

GROOVE_URL: Final = "https://storage.googleapis.com/magentadata/datasets/groove/groove-v1.0.0-midionly.zip"
GROOVE_SHA256: Final = "651cbc524ffb891be1a3e46d89dc82a1cecb09a57c748c7b45b844c4841dcc1e"
"""Size 3,260,318 bytes; checksum as listed for this URL in tensorflow/datasets'
url_checksums/groove.txt. A mismatch stops the fetch before anything is unpacked."""

_CHUNK: Final = 64 * 1024
_TIMEOUT_S: Final = 60


class DataFetchError(EngineError):
    """The dataset could not be downloaded, verified or unpacked; nothing half-done is left in place."""


def fetch_groove(data_dir: Path, url: str = GROOVE_URL, sha256: str | None = None,
                 show_progress: bool = True) -> Path:
    """Make sure `data_dir/groove` holds the dataset; download, verify and unpack it if not.

    Args:
        sha256: what the archive must hash to (default: the release's, GROOVE_SHA256).

    Returns:
        The dataset folder (the one with info.csv).

    Raises:
        DataFetchError: network failure (the partial download is kept for the next try), checksum
            mismatch (the download is deleted), or an archive without info.csv.
    """
    target = data_dir / GROOVE_FOLDER
    if (target / "info.csv").is_file():
        return target
    if target.exists():
        raise DataFetchError(f"{target} exists but holds no info.csv; move it away and fetch again")
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise DataFetchError(f"cannot create {data_dir}: {error.strerror or error}") from error
    part = data_dir / (Path(url).name + ".part")
    _download(url, part, show_progress)
    digest = _sha256(part)
    sha256 = sha256 or GROOVE_SHA256
    if digest != sha256:
        part.unlink()
        raise DataFetchError(f"checksum mismatch for {url}: expected sha256 {sha256}, got {digest}; "
                             "the download was deleted, run the command again")
    _unpack(part, target)
    part.unlink()
    return target


def _download(url: str, part: Path, show_progress: bool) -> None:
    """Append to `part` from where it stops (HTTP Range); start over if the server ignores the range."""
    have = part.stat().st_size if part.exists() else 0
    request = urllib.request.Request(url, headers={"Range": f"bytes={have}-"} if have else {})
    try:
        response = urllib.request.urlopen(request, timeout=_TIMEOUT_S)
    except urllib.error.HTTPError as error:
        if error.code == 416:  # the part file is already the whole archive
            return
        raise DataFetchError(f"cannot download {url}: HTTP {error.code} {error.reason}") from error
    except (urllib.error.URLError, OSError) as error:
        raise DataFetchError(f"cannot download {url}: {getattr(error, 'reason', error)}") from error
    with response:
        resumed = response.status == 206
        if not resumed:
            have = 0
        length = response.headers.get("Content-Length")
        total = have + int(length) if length and length.isdigit() else None
        with part.open("ab" if resumed else "wb") as file, ByteProgress(
            "Groove MIDI Dataset", total, done=have, enabled=show_progress,
        ) as bar:
            try:
                while chunk := response.read(_CHUNK):
                    file.write(chunk)
                    bar.update(len(chunk))
            except OSError as error:
                raise DataFetchError(f"download of {url} stopped after {file.tell()} bytes ({error}); "
                                     "run the command again to resume") from error
    if total is not None and part.stat().st_size < total:
        raise DataFetchError(f"download of {url} stopped after {part.stat().st_size} of {total} bytes; "
                             "run the command again to resume")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _unpack(archive: Path, target: Path) -> None:
    """Extract into a temporary folder beside `target`, then rename the dataset folder into place."""
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-unpack-", dir=target.parent))
    try:
        with zipfile.ZipFile(archive) as bundle:
            for name in bundle.namelist():
                destination = (staging / name).resolve()
                if not destination.is_relative_to(staging.resolve()):
                    raise DataFetchError(f"{archive.name} holds a path outside its folder: {name!r}")
            bundle.extractall(staging)
        found = sorted(staging.rglob("info.csv"), key=lambda path: len(path.parts))
        if not found:
            raise DataFetchError(f"{archive.name} holds no info.csv: not the Groove MIDI Dataset")
        found[0].parent.rename(target)
    except zipfile.BadZipFile as error:
        raise DataFetchError(f"{archive.name} is not a readable zip archive: {error}") from error
    finally:
        shutil.rmtree(staging, ignore_errors=True)
