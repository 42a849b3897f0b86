"""The browser studio in a real browser: Playwright driving Chromium against a running daemon.

Load the page, generate, see the notes in the piano roll, play, download a valid .mid, drag it
out (DownloadURL), recall a take, and read the daemon's own sentence for a bad value. Skips, saying
why, where Playwright or a Chromium cannot start (.ci/run installs Debian's chromium).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import mido
import pytest

from tests.bridge.http.conftest import HttpDaemonFactory
from tests.bridge.support import FakeEngine


def _chromium_path() -> str | None:
    for name in (os.environ.get("MIDIDRUMIGEN_CHROMIUM", ""), "chromium", "chromium-browser", "google-chrome"):
        if name and shutil.which(name):
            return shutil.which(name)
    return None  # then Playwright's own browser, if it was installed


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    try:
        from playwright.sync_api import Error, sync_playwright
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    manager = sync_playwright().start()
    try:
        launched = manager.chromium.launch(
            executable_path=_chromium_path(), args=["--no-sandbox", "--autoplay-policy=no-user-gesture-required"])
    except Error as error:
        manager.stop()
        pytest.skip(f"no browser could start (apt-get install chromium): {str(error).splitlines()[0]}")
    yield launched
    launched.close()
    manager.stop()


def test_generate_see_play_download_and_recall(
    browser: Any, start_http_daemon: HttpDaemonFactory, tmp_path: Path,
) -> None:
    _, _, http = start_http_daemon(FakeEngine())
    page = browser.new_page(accept_downloads=True)
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(http.base + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=10_000)
    # The controls come from the styles and the request schema.
    assert page.locator("#style option").all_inner_texts()[0].startswith("J Dilla (")
    assert page.locator("#denominator option").all_inner_texts() == ["2", "4", "8", "16"]
    assert page.get_attribute("#bars", "max") == "32"
    page.select_option("#style", "metro_boomin")
    page.fill("#bars", "2")
    page.click("#generate")
    page.wait_for_selector("#takes li", timeout=10_000)
    task_id = page.get_attribute("#takes li", "data-task-id")
    status = http.get(f"/api/v1/status/{task_id}").json()
    notes = status["result"]["notes"]
    assert len(notes) == 16  # 2 bars of 4/4, two notes a beat
    rolled = page.eval_on_selector_all("#roll rect.note", "rects => rects.map(r => [+r.dataset.pitch, +r.dataset.start])")
    assert sorted(rolled) == sorted([n["pitch"], n["start_beats"]] for n in notes)
    assert "metro_boomin" in page.inner_text("#takes li") and "seed" in page.inner_text("#takes li")

    page.click("#play")
    page.wait_for_function("document.querySelector('#roll .playhead').getAttribute('x1') > 80", timeout=5_000)
    assert page.inner_text("#play") == "Stop"
    assert page.evaluate("() => document.querySelector('#roll .playhead').getAttribute('visibility')") == "visible"
    page.click("#play")

    with page.expect_download() as downloading:
        page.click("#download")
    saved = tmp_path / "take.mid"
    downloading.value.save_as(saved)
    hits = [m for m in mido.MidiFile(saved).tracks[0] if m.type == "note_on" and m.velocity]
    assert len(hits) == 16 and downloading.value.suggested_filename.endswith(".mid")
    dragged = page.evaluate("""() => {
        const data = new DataTransfer();
        document.getElementById('download').dispatchEvent(new DragEvent('dragstart', {dataTransfer: data}));
        return data.getData('DownloadURL');
    }""")
    assert dragged.startswith("audio/midi:metro_boomin_verse_2bars_") and dragged.endswith(f"/api/v1/patterns/{task_id}.mid")

    page.fill("#bars", "8")
    page.click("#takes li button:text('recall')")
    assert page.input_value("#bars") == "2" and page.is_checked("#seed-lock")
    assert page.input_value("#seed") == str(status["result"]["seed"])
    assert problems == []


def test_a_bad_value_shows_the_daemons_sentence(browser: Any, start_http_daemon: HttpDaemonFactory) -> None:
    _, _, http = start_http_daemon(FakeEngine())
    page = browser.new_page()
    page.goto(http.base + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=10_000)
    page.fill("#tempo", "999")
    page.click("#generate")
    page.wait_for_selector("#error:not([hidden])", timeout=5_000)
    assert page.inner_text("#error") == "tempo must be between 60 and 200, got 999"
    assert page.locator("#takes li").count() == 0 and page.is_enabled("#generate")


def test_variations_come_back_as_takes_in_the_list(browser: Any, start_http_daemon: HttpDaemonFactory) -> None:
    _, _, http = start_http_daemon(FakeEngine())
    page = browser.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(http.base + "/")
    page.wait_for_selector("body[data-ready=true]", timeout=10_000)
    assert (page.get_attribute("#variations", "min"), page.get_attribute("#variations", "max"),
            page.input_value("#variations")) == ("1", "8", "1")  # from the request schema
    page.fill("#bars", "1")
    page.fill("#seed", "20")
    page.check("#seed-lock")
    page.fill("#variations", "3")
    page.click("#generate")
    page.wait_for_function("document.querySelectorAll('#takes li').length === 3", timeout=10_000)
    titles = page.locator("#takes li").all_inner_texts()  # newest first
    assert [title.split("seed ")[1].split()[0] for title in titles] == ["22", "21", "20"]
    task_id = page.get_attribute("#takes li", "data-task-id")
    status = http.get(f"/api/v1/status/{task_id}").json()
    page.click("#takes li:nth-child(2) button:text('audition')")  # the second take
    assert page.get_attribute("#download", "href") == f"/api/v1/patterns/{task_id}.mid?take=2"
    rolled = page.eval_on_selector_all("#roll rect.note",
                                       "rects => rects.map(r => [+r.dataset.pitch, +r.dataset.start])")
    assert sorted(rolled) == sorted([n["pitch"], n["start_beats"]] for n in status["takes"][1]["notes"])
    page.click("#play")  # stop the audition
    page.click("#takes li:nth-child(2) button:text('recall')")
    assert page.input_value("#seed") == "21" and page.input_value("#variations") == "1"
    assert problems == []
