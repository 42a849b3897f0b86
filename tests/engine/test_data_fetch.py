"""`mididrumigen data fetch` against a real HTTP server on 127.0.0.1 serving a small archive built here:
download, SHA-256 check, resume with HTTP Range, never a half-unpacked folder."""

from __future__ import annotations

import hashlib
import io
import sys
import threading
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from mididrumigen.engine.cli import main
from mididrumigen.engine.data_fetch import GROOVE_SHA256, GROOVE_URL, DataFetchError, fetch_groove
from mididrumigen.engine.data_location import DATA_DIR_ENV, resolve_data

ARCHIVE_NAME = "groove-v1.0.0-midionly.zip"


def _archive() -> bytes:
    """A zip laid out like the release: groove/info.csv, groove/LICENSE and drummer folders of .mid."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as bundle:
        bundle.writestr("groove/info.csv", "drummer,session,id,style,bpm,beat_type,time_signature,midi_filename,"
                                           "audio_filename,duration,split\n")
        bundle.writestr("groove/LICENSE", "CC BY 4.0\n")
        for index in range(40):  # big enough to be sent in several chunks
            bundle.writestr(f"groove/drummer1/session1/{index}_funk_100_beat_4-4.mid", bytes(range(256)) * 20)
    return buffer.getvalue()


@dataclass
class Served:
    """What the test server sends, and what it saw."""

    body: bytes
    honour_range: bool = True
    cut_after: int | None = None  # close the connection after this many bytes of the first response
    ranges: list[str | None] = field(default_factory=list)


@pytest.fixture
def server() -> Iterator[tuple[str, Served]]:
    served = Served(_archive())

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            wanted = self.headers.get("Range")
            served.ranges.append(wanted)
            start = int(wanted.removeprefix("bytes=").rstrip("-")) if wanted and served.honour_range else 0
            if start >= len(served.body):
                self.send_response(416)
                self.end_headers()
                return
            body = served.body[start:]
            self.send_response(206 if start else 200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if served.cut_after is not None:
                body, served.cut_after = body[:served.cut_after], None
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/{ARCHIVE_NAME}", served
    finally:
        httpd.shutdown()
        httpd.server_close()


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_the_release_url_and_checksum_are_the_documented_ones() -> None:
    assert GROOVE_URL == "https://storage.googleapis.com/magentadata/datasets/groove/groove-v1.0.0-midionly.zip"
    assert len(GROOVE_SHA256) == 64 and int(GROOVE_SHA256, 16)


def test_fetch_downloads_checks_and_unpacks(server: tuple[str, Served], tmp_path: Path) -> None:
    url, served = server
    folder = fetch_groove(tmp_path, url=url, sha256=_sha(served.body), show_progress=False)
    assert folder == tmp_path / "groove"
    assert (folder / "info.csv").is_file() and len(list(folder.rglob("*.mid"))) == 40
    assert sorted(p.name for p in tmp_path.iterdir()) == ["groove"]  # no archive, no staging folder left
    assert fetch_groove(tmp_path, url=url, sha256=_sha(served.body), show_progress=False) == folder
    assert len(served.ranges) == 1  # already there: nothing downloaded again


def test_an_interrupted_download_resumes_with_a_range_request(server: tuple[str, Served], tmp_path: Path) -> None:
    url, served = server
    served.cut_after = len(served.body) // 3
    with pytest.raises(DataFetchError, match="run the command again to resume"):
        fetch_groove(tmp_path, url=url, sha256=_sha(served.body), show_progress=False)
    assert not (tmp_path / "groove").exists()
    part = tmp_path / f"{ARCHIVE_NAME}.part"
    assert part.stat().st_size == len(served.body) // 3
    fetch_groove(tmp_path, url=url, sha256=_sha(served.body), show_progress=False)
    assert served.ranges == [None, f"bytes={len(served.body) // 3}-"]
    assert (tmp_path / "groove" / "info.csv").is_file() and not part.exists()


def test_a_server_that_ignores_the_range_starts_over(server: tuple[str, Served], tmp_path: Path) -> None:
    url, served = server
    served.honour_range = False
    (tmp_path / f"{ARCHIVE_NAME}.part").write_bytes(b"stale bytes from another file")
    fetch_groove(tmp_path, url=url, sha256=_sha(served.body), show_progress=False)
    assert (tmp_path / "groove" / "info.csv").is_file()


def test_a_checksum_mismatch_leaves_nothing_behind(server: tuple[str, Served], tmp_path: Path) -> None:
    url, _ = server
    with pytest.raises(DataFetchError, match="checksum mismatch"):
        fetch_groove(tmp_path, url=url, sha256="0" * 64, show_progress=False)
    assert list(tmp_path.iterdir()) == []


def test_cli_fetch_into_the_user_data_folder_then_train_finds_it(
    server: tuple[str, Served], tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    url, served = server
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "data"))
    monkeypatch.setattr("mididrumigen.engine.data_fetch.GROOVE_SHA256", _sha(served.body))
    assert main(["data", "fetch", "--url", url]) == 0
    assert str(tmp_path / "data" / "groove") in capsys.readouterr().out
    assert resolve_data(None) == tmp_path / "data" / "groove"


def test_cli_fetch_from_an_unreachable_server_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["data", "fetch", "--dest", str(tmp_path), "--url", "http://127.0.0.1:9/groove.zip"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot download http://127.0.0.1:9/groove.zip") and err.count("\n") == 1
    assert not (tmp_path / "groove").exists()


def test_fetch_shows_its_progress_without_tqdm(server: tuple[str, Served], tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    """tqdm is in the `[train]` extra only: the default install's `data fetch` draws its own line."""
    monkeypatch.setitem(sys.modules, "tqdm", None)  # `import tqdm` now raises ImportError
    url, served = server
    fetch_groove(tmp_path, url=url, sha256=_sha(served.body), show_progress=True)
    last = capsys.readouterr().err.rstrip("\n").split("\r")[-1].strip()
    size = f"{len(served.body) / 1e6:.1f} MB"
    assert last == f"Groove MIDI Dataset: {size} of {size} (100%)"
