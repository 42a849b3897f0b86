"""The clip contract: ClipRequest validation, clip-note checks, kit maps, and reading .mid clips onto the grid."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mididrumigen.engine.clip import (
    MAX_CLIP_NOTES,
    ClipMode,
    ClipNote,
    check_clip_notes,
    parse_clip_request,
)
from mididrumigen.engine.clip_input import clip_bars_of, clip_grid, passthrough_warning, read_clip_file
from mididrumigen.engine.constants import DEFAULT_KIT
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.kits import KitError, load_kit_file, parse_kit_text, unmapped_voices, voice_of_pitch
from tests.engine.support import write_drum_file

KITS = Path(__file__).resolve().parents[2] / "kits"


def _request(**values: Any) -> Any:
    return parse_clip_request({"style": "j_dilla", "mode": "groove", "clip_bars": 2, **values})


def test_groove_and_vary_take_the_clips_length_and_continue_takes_new_bars() -> None:
    assert _request().bars == 2
    assert _request(mode="vary", keep="kick, snare").keep == ("kick", "snare")
    request = _request(mode="continue", bars=8, include_input=True)
    assert (request.bars, request.output_bars, request.mode) == (8, 10, ClipMode.CONTINUE)


@pytest.mark.parametrize(("values", "field", "words"), [
    ({"bars": 3}, "bars", "bars must equal clip_bars (2) for groove, got 3"),
    ({"clip_bars": 33}, "clip_bars", "clip_bars must be between 1 and 32, got 33"),
    ({"mode": "vary", "keep": "kick,cowbell"}, "keep", "unknown voice 'cowbell' in keep"),
    ({"mode": "vary", "keep_bars": "3"}, "keep_bars", "inside the clip's 2 bars, got 3"),
    ({"mode": "vary", "keep_bars": "2-x"}, "keep_bars", "keep_bars must be bar numbers"),
    ({"keep": "kick"}, "keep", "keep applies to vary only"),
    ({"mode": "remix"}, "mode", "mode must be one of continue, groove, vary, got 'remix'"),
    ({"kit": "kick:36,snare"}, "kit", "kit must look like kick:36,snare:38"),
    ({"kit": "kick:36,tabla:40"}, "kit", "unknown voice 'tabla' in kit"),
    ({"kit": "kick:36,snare:36"}, "kit", "two voices on note 36"),
    ({"kit": "kick:128"}, "kit", "between 0 and 127"),
    ({"clip": "x"}, "clip", "unknown field 'clip'"),
])
def test_wrong_fields_are_one_sentence_naming_the_field(values: dict[str, Any], field: str, words: str) -> None:
    with pytest.raises(RequestError) as info:
        _request(**values)
    assert info.value.field == field
    assert words in str(info.value)
    assert "\n" not in str(info.value)


def test_keep_bars_read_ranges_and_lists_and_kit_reads_text() -> None:
    request = _request(mode="vary", clip_bars=8, keep_bars="1-3,6")
    assert request.keep_bars == (1, 2, 3, 6)
    assert _request(kit="snare:40, kick:35").kit == {"kick": 35, "snare": 40}


@pytest.mark.parametrize(("notes", "words"), [
    ([], "the clip is empty"),
    ([ClipNote(128, 0.0, 0.1, 90)], "note 1: pitch must be between 0 and 127"),
    ([ClipNote(36, 0.0, 0.1, 90), ClipNote(36, 1.0, 0.1, 0)], "note 2: velocity must be between 1 and 127"),
    ([ClipNote(36, 0.0, 0.0, 90)], "duration_beats must be greater than 0"),
    ([ClipNote(36, 8.0, 0.1, 90)], "inside the clip's 2 bars (0 to 8 beats), got 8"),
    ([ClipNote(36, -0.1, 0.1, 90)], "start_beats must lie inside"),
    ([ClipNote(36, 0.0, 0.1, 90)] * (MAX_CLIP_NOTES + 1), "over the limit of 4096"),
])
def test_clip_notes_out_of_range_are_refused(notes: list[ClipNote], words: str) -> None:
    with pytest.raises(RequestError) as info:
        check_clip_notes(notes, _request())
    assert words in str(info.value)


def test_kit_files_load_and_bad_ones_name_the_file(tmp_path: Path) -> None:
    assert load_kit_file(KITS / "general_midi.yaml") == DEFAULT_KIT
    pads = load_kit_file(KITS / "pads_in_order.yaml")
    assert pads["snare"] == 37 and voice_of_pitch(pads)[37] == "snare"
    bad = tmp_path / "bad.yaml"
    bad.write_text("kick: 36\nsnare: [38]\n")
    with pytest.raises(KitError, match=r"bad\.yaml: kit note of snare must be a whole number"):
        load_kit_file(bad)
    bad.write_text("- kick\n")
    with pytest.raises(KitError, match="must be a mapping of voice: note, got list"):
        load_kit_file(bad)


def test_a_partial_kit_reports_its_unmapped_voices_and_reads_only_its_own_notes() -> None:
    kit = parse_kit_text("kick:60,snare:61")
    assert unmapped_voices(kit)[:2] == ("closed_hat", "open_hat")
    assert voice_of_pitch(kit) == {60: "kick", 61: "snare"}  # no General MIDI aliases on a custom kit
    assert voice_of_pitch(DEFAULT_KIT)[37] == "snare"  # side stick, as the Groove data records it


def test_a_clip_reads_onto_the_grid_with_its_timing_and_passes_other_notes_through() -> None:
    notes = [ClipNote(36, 0.02, 0.1, 100), ClipNote(38, 0.98, 0.1, 90), ClipNote(38, 1.0, 0.1, 60),
             ClipNote(60, 2.0, 1.0, 80), ClipNote(38, 7.95, 0.1, 70)]
    grid = clip_grid(notes, DEFAULT_KIT, 4, 4, 2)
    keys = [(h.bar, h.step, h.voice, h.velocity) for h in grid.hits]
    # the loudest of two snares on beat 2 wins the hit; the snare pushed ahead of the end loops to the downbeat
    assert keys == [(0, 0, "kick", 100), (0, 0, "snare", 70), (0, 4, "snare", 90)]
    assert grid.hits[0].offset_steps == pytest.approx(0.08)
    assert len(grid.drum_notes) == 4 and grid.passthrough == (notes[3],)
    assert passthrough_warning(grid.passthrough) == "1 note on pitch 60 is not drums of the kit; passed through untouched"


def test_a_mid_file_reads_back_as_notes_with_durations_tempo_and_length(tmp_path: Path) -> None:
    path = write_drum_file(tmp_path / "beat.mid", bars=3, tempo_bpm=87.0, signature=(3, 4),
                           notes=[(0.0, 36, 110), (1.0, 38, 90), (2.5, 42, 60)], bar_beats=3.0)
    clip = read_clip_file(path)
    assert (round(clip.tempo_bpm or 0), clip.signature) == (87, (3, 4))
    assert [(n.pitch, n.start_beats, n.velocity) for n in clip.notes[:3]] == [(36, 0.0, 110), (38, 1.0, 90),
                                                                                 (42, 2.5, 60)]
    assert clip.notes[0].duration_beats == pytest.approx(0.125)
    assert clip_bars_of(clip.notes, clip.length_beats, 3, 4) == 3


def test_a_file_that_is_not_midi_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "beat.mid"
    path.write_bytes(b"RIFF....WAVEfmt " * 8)
    with pytest.raises(RequestError, match=r"beat\.mid is not a MIDI file"):
        read_clip_file(path)
    with pytest.raises(RequestError, match="cannot read"):
        read_clip_file(tmp_path / "missing.mid")
