"""bridge.config: defaults, YAML, flags over YAML, and errors that name the setting."""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path

import pytest

from mididrumigen.bridge.config import BridgeConfig, add_serve_arguments, build_config, config_from_args
from mididrumigen.bridge.errors import ConfigError


def parse(*argv: str) -> BridgeConfig:
    parser = argparse.ArgumentParser()
    add_serve_arguments(parser)
    return config_from_args(parser.parse_args(argv))


def test_defaults_bind_loopback() -> None:
    config = parse()
    assert (config.host, config.port, config.reply_port) == ("127.0.0.1", 7710, 7711)
    assert config.midi_port_name == "MidiDrumiGen" and config.queue_size == 32 and config.is_loopback


def test_flags_override_yaml(tmp_path: Path) -> None:
    path = tmp_path / "serve.yaml"
    path.write_text("host: 0.0.0.0\nport: 9000\nqueue-size: 4\nallow: [192.168.1.0/24]\noutput_dir: ~/clips\n")
    config = parse("--config", str(path), "--port", "9100", "--allow", "10.0.0.0/8,10.1.0.0/16", "--no-midi")
    assert (config.host, config.port, config.queue_size, config.midi) == ("0.0.0.0", 9100, 4, False)
    assert config.allow == (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("10.1.0.0/16"))
    assert config.resolved_output_dir() == Path.home().resolve() / "clips"
    assert not config.is_loopback


def test_runtime_flag_and_yaml(tmp_path: Path) -> None:
    assert parse().runtime is None  # the engine picks: onnx when installed, torch for a GPU device
    path = tmp_path / "serve.yaml"
    path.write_text("runtime: torch\n")
    assert parse("--config", str(path)).runtime == "torch"
    assert parse("--config", str(path), "--runtime", "onnx").runtime == "onnx"


@pytest.mark.parametrize(
    "settings, words",
    [
        ({"port": 70000}, r"port must be a whole number between 0 and 65535 \(0 picks a free port\), got 70000"),
        ({"allow": "192.168.1.0/33"}, "allow must be a list of networks in CIDR form"),
        ({"host": "example.com"}, "host must be an IP address"),
        ({"queue_size": 0}, "queue_size must be a whole number between 1 and 1024"),
        ({"colour": "red"}, "unknown setting 'colour'"),
        ({"device": "tpu"}, "device must be one of cuda, mps, cpu"),
        ({"runtime": "tensorrt"}, "runtime must be one of onnx, torch, got 'tensorrt'"),
        ({"output_dir": "/" + "d" * 2500}, "output_dir must be a directory path of at most 2000 characters"),
    ],
)
def test_bad_settings_name_the_setting(settings: dict[str, object], words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        build_config(settings)


def test_bad_yaml_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("- just\n- a list\n")
    with pytest.raises(ConfigError, match="mapping"):
        parse("--config", str(path))
    with pytest.raises(ConfigError, match="cannot read"):
        parse("--config", str(tmp_path / "missing.yaml"))
