"""The built wheel works wherever it is installed: build it, install it into a fresh venv, and run
`styles`, `generate`, `serve` (ping over real UDP) and `eval --help` from a temporary folder.

The wheel goes in with --no-deps; its dependencies are the ones this test environment already has,
seen through a .pth line (site-packages added that way do not run their own .pth files, so the
source tree's editable install stays invisible). The test checks that every requirement in the
wheel's metadata is satisfied there, so it follows the project's dependencies as they change
without downloading or unpacking torch (or onnxruntime) again.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
import zipfile
from collections.abc import Iterator
from pathlib import Path

import mido
import pytest

from tests.bridge.support import check_serve_process

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("engine", "bridge", "presets", "models", "pyproject.toml", "README.md")


def _run(command: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel, built from a copy of the sources (a build in the tree would leave build/ behind)."""
    try:
        import setuptools  # noqa: F401  (the build backend, used without build isolation: no download)
    except ImportError:
        pytest.skip("setuptools is not installed here, so the wheel cannot be built offline")
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        origin = ROOT / name
        if origin.is_dir():
            shutil.copytree(origin, source / name, ignore=shutil.ignore_patterns("__pycache__", "report"))
        else:
            shutil.copy2(origin, source / name)
    dist = tmp_path_factory.mktemp("dist")
    built = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index",
                  "--quiet", "-w", str(dist), str(source)], cwd=source, env=dict(os.environ), timeout=300)
    assert built.returncode == 0, built.stderr
    [path] = dist.glob("mididrumigen-*.whl")
    return path


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, Path, dict[str, str]]]:
    """(bin folder of a fresh venv holding only the wheel, a work folder outside the tree, its env)."""
    home = tmp_path_factory.mktemp("venv")
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=home, env=dict(os.environ)).stdout.strip())
    (site / "test_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
                 "--quiet", str(wheel)], cwd=home, env=dict(os.environ), timeout=300)
    assert done.returncode == 0, done.stderr
    work = tmp_path_factory.mktemp("anywhere")
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("MIDIDRUMIGEN_") and key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(HOME=str(work), MIDIDRUMIGEN_PRESETS_DIR=str(work / "no_user_presets"),
               MIDIDRUMIGEN_DATA_DIR=str(work / "data"))
    yield python.parent, work, env


def test_the_wheel_installs_one_namespace_with_presets_and_model(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top_level = {name.split("/")[0] for name in names if not name.split("/")[0].endswith(".dist-info")}
    assert top_level == {"mididrumigen"}  # no generic `engine` or `bridge` in a user's site-packages
    assert {"mididrumigen/presets/j_dilla.yaml", "mididrumigen/models/mididrumigen.pt"} <= set(names)


def test_the_wheels_requirements_are_met_and_its_own_code_is_used(installed: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, work, env = installed
    code = (
        "import importlib.metadata as m, re, mididrumigen.engine as e\n"
        "missing = []\n"
        "for line in m.requires('mididrumigen') or []:\n"
        "    if 'extra ==' in line: continue\n"
        "    name = re.split(r'[ <>=!~;\\[]', line, maxsplit=1)[0]\n"
        "    try: m.version(name)\n"
        "    except m.PackageNotFoundError: missing.append(name)\n"
        "print(missing); print(e.__file__)\n"
    )
    done = _run([str(bin_dir / "python"), "-c", code], cwd=work, env=env)
    missing, origin = done.stdout.splitlines()
    assert missing == "[]", done.stderr
    assert Path(origin).is_relative_to(bin_dir.parent) and not Path(origin).is_relative_to(ROOT)


def test_styles_generate_and_eval_help_run_from_anywhere(installed: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, work, env = installed
    command = str(bin_dir / "mididrumigen")
    styles = _run([command, "styles"], cwd=work, env=env)
    assert styles.returncode == 0 and all(s in styles.stdout for s in ("j_dilla", "metro_boomin", "questlove"))
    made = _run([command, "generate", "--style", "J Dilla", "--bars", "2", "--seed", "5", "--out", "dilla.mid"],
                cwd=work, env=env)
    assert made.returncode == 0, made.stderr
    notes = [m for m in mido.MidiFile(work / "dilla.mid").tracks[0] if m.type == "note_on" and m.velocity]
    assert notes and "2 bars of 4/4" in made.stdout
    helped = _run([command, "eval", "--help"], cwd=work, env=env)
    assert helped.returncode == 0 and "--per-style" in helped.stdout


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM cannot be sent to a console process on Windows")
def test_serve_answers_ping_with_the_shipped_model(installed: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, work, env = installed
    process = subprocess.Popen([str(bin_dir / "mididrumigen"), "serve", "--port", "0", "--no-midi",
                                "--output-dir", str(work / "clips"), "--log-level", "WARNING"],
                               cwd=work, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    check_serve_process(process, "mididrumigen")
