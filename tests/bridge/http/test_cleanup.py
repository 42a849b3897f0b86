"""Old .mid files of the daemon go on a timer; a file being downloaded, and anyone else's file, stay."""

from __future__ import annotations

import os
import threading
import time
import urllib.request
from pathlib import Path

from mididrumigen.bridge.file_cleanup import FileCleaner, FileLeases
from tests.bridge.http.conftest import HttpDaemonFactory
from tests.bridge.support import FakeEngine, is_at

HOUR = 3600.0


def _aged(path: Path, hours: float, content: bytes = b"MThd") -> Path:
    path.write_bytes(content)
    then = time.time() - hours * HOUR
    os.utime(path, (then, then))
    return path


def test_sweep_deletes_only_old_daemon_files_that_nobody_reads(tmp_path: Path) -> None:
    old = _aged(tmp_path / "j_dilla_verse_4bars_95bpm_seed1_0123456789.mid", 30)
    old_copy = _aged(tmp_path / "j_dilla_verse_4bars_95bpm_seed1_0123456789-2.mid", 30)
    fresh = _aged(tmp_path / "j_dilla_verse_4bars_95bpm_seed2_abcdef0123.mid", 1)
    theirs = _aged(tmp_path / "my groove.mid", 300)
    leased = _aged(tmp_path / "questlove_verse_4bars_95bpm_seed3_fedcba9876.mid", 30)
    leases = FileLeases()
    assert leases.acquire(leased)
    cleaner = FileCleaner(tmp_path, 24, leases)
    assert sorted(cleaner.sweep()) == sorted([old, old_copy])
    assert fresh.exists() and theirs.exists() and leased.exists()
    leases.release(leased)
    assert cleaner.sweep() == [leased]


def test_the_timer_sweeps_and_stops(tmp_path: Path) -> None:
    old = _aged(tmp_path / "j_dilla_verse_4bars_95bpm_seed1_0123456789.mid", 2)
    cleaner = FileCleaner(tmp_path, 1, FileLeases(), every_s=0.02)
    cleaner.start()
    try:
        deadline = time.monotonic() + 5
        while old.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert not old.exists()
    finally:
        cleaner.stop()
    assert cleaner._thread is not None and not cleaner._thread.is_alive()  # noqa: SLF001


def test_a_download_in_progress_holds_its_file_and_a_cleaned_file_is_410(
    start_http_daemon: HttpDaemonFactory, tmp_path: Path,
) -> None:
    leases = FileLeases()
    daemon, osc, http = start_http_daemon(FakeEngine(), leases=leases)
    since = osc.mark()  # a job with file output (an OSC client asked for it); its file is served as written
    [queued] = osc.query("/mdg/generate", "style", "j_dilla", "bars", 1, "output", "file", reply="/mdg/queued")
    task_id = str(queued.args[0])
    osc.wait(since, is_at("/mdg/done", task_id))
    path = daemon.jobs.get(task_id).file_path
    assert path is not None
    # Far more than the loopback socket buffers hold, so the server is still sending while we wait.
    _aged(path, 48, path.read_bytes() + bytes(32 << 20))
    cleaner = FileCleaner(path.parent, 24, leases)
    # Open the download and read only its first bytes: the response is still being sent.
    response = urllib.request.urlopen(f"{http.base}/api/v1/patterns/{task_id}.mid", timeout=10)
    first = response.read(4)
    swept: list[list[Path]] = []
    sweeping = threading.Thread(target=lambda: swept.append(cleaner.sweep()))
    sweeping.start()
    sweeping.join(5)
    rest = response.read()
    response.close()
    assert first == b"MThd" and len(first + rest) == path.stat().st_size and swept == [[]]
    deadline = time.monotonic() + 5
    while cleaner.sweep() != [path] and time.monotonic() < deadline:  # the lease ends with the response
        time.sleep(0.01)
    assert not path.exists()
    gone = http.get(f"/api/v1/patterns/{task_id}.mid")
    assert gone.status == 410 and "cleaned up" in gone.json()["detail"]
