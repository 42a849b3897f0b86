"""Daemon settings: defaults, then a YAML file (--config), then command-line flags, validated once at startup."""

from __future__ import annotations

import argparse
import ipaddress
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from mididrumigen.bridge import constants as c
from mididrumigen.bridge.errors import ConfigError
from mididrumigen.engine.messages import first_error
from mididrumigen.engine.yaml_files import YamlFileError, load_yaml_file

IpNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

DEFAULT_OUTPUT_DIR: Final = Path.home() / "MidiDrumiGen" / "clips"
_MAX_OUTPUT_DIR_CHARS: Final = 2000

_RULES: Final[dict[str, str]] = {
    "host": "an IP address of this machine, e.g. 127.0.0.1 or 0.0.0.0",
    "port": "a whole number between 0 and 65535 (0 picks a free port)",
    "reply_port": "a whole number between 1 and 65535",
    "output_dir": "a directory path of at most 2000 characters",
    "midi_port_name": "a port name of 1 to 63 characters",
    "midi": "true or false",
    "queue_size": "a whole number between 1 and 1024",
    "history_size": "a whole number between 1 and 100000",
    "allow": "a list of networks in CIDR form, e.g. 192.168.1.0/24",
    "checkpoint": "a path to a model checkpoint",
    "device": "one of cuda, mps, cpu",
    "runtime": "one of onnx, torch",
    "preset_dirs": "a list of directories with preset YAML files",
    "log_level": "one of DEBUG, INFO, WARNING, ERROR",
    "http_host": "an IP address of this machine, e.g. 127.0.0.1 or 0.0.0.0",
    "http_port": "a whole number between 0 and 65535 (0 turns HTTP off)",
    "keep_hours": "a number of hours between 0 and 8760 (0 keeps files for ever)",
    "broker": "a Redis URL, e.g. redis://localhost:6379/0",
    "broker_slots": "a whole number between 1 and 256",
}


class BridgeConfig(BaseModel):
    """Everything `mididrumigen serve` can be told; frozen once validated."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    host: str = c.DEFAULT_HOST
    port: int = Field(default=c.DEFAULT_PORT, ge=0, le=65535)
    reply_port: int = Field(default=c.DEFAULT_REPLY_PORT, ge=1, le=65535)
    output_dir: Path = DEFAULT_OUTPUT_DIR
    midi_port_name: str = Field(default=c.DEFAULT_MIDI_PORT_NAME, min_length=1, max_length=63)
    midi: bool = True
    queue_size: int = Field(default=c.DEFAULT_QUEUE_SIZE, ge=1, le=1024)
    history_size: int = Field(default=c.DEFAULT_HISTORY_SIZE, ge=1, le=100_000)
    allow: tuple[IpNetwork, ...] = ()
    checkpoint: Path | None = None
    device: Literal["cuda", "mps", "cpu"] | None = None
    runtime: Literal["onnx", "torch"] | None = None
    preset_dirs: tuple[Path, ...] = ()
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    http_host: str = c.DEFAULT_HOST
    http_port: int = Field(default=c.DEFAULT_HTTP_PORT, ge=0, le=65535)
    keep_hours: float = Field(default=c.DEFAULT_KEEP_HOURS, ge=0, le=8760)
    broker: str | None = Field(default=None, pattern=r"^rediss?://\S+$", max_length=500)
    broker_slots: int = Field(default=c.DEFAULT_BROKER_SLOTS, ge=1, le=256)

    @field_validator("host", "http_host")
    @classmethod
    def _host_is_an_address(cls, value: str) -> str:
        if value == "localhost":
            return c.DEFAULT_HOST
        ipaddress.ip_address(value)  # ValueError names the bad address
        return value

    @field_validator("output_dir")
    @classmethod
    def _output_dir_fits_a_reply(cls, value: Path) -> Path:
        # /mdg/done carries the absolute file path; it must fit one datagram with room for the name.
        resolved = value.expanduser().resolve()
        if len(str(resolved)) > _MAX_OUTPUT_DIR_CHARS:
            raise ValueError("output_dir is too long")
        if resolved.exists() and not resolved.is_dir():
            raise ValueError("output_dir is not a folder")
        return value

    @field_validator("allow", mode="before")
    @classmethod
    def _allow_from_text(cls, value: Any) -> Any:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            return value
        parts = [part for item in items for part in str(item).replace(",", " ").split()]
        # strict=False: 192.168.1.7/24 means the network it sits in, as a user would expect.
        return tuple(ipaddress.ip_network(part, strict=False) for part in parts)

    @property
    def is_loopback(self) -> bool:
        return ipaddress.ip_address(self.host).is_loopback

    def resolved_output_dir(self) -> Path:
        return self.output_dir.expanduser().resolve()


CONFIG_ECHO_LIMIT_CHARS = 300
"""A setting's value is echoed whole up to here: it is the user's own file or flag, read in a terminal."""


def _error_message(error: ValidationError, source: str) -> str:
    _, sentence = first_error(error, _RULES.get, "setting", list(BridgeConfig.model_fields),
                              echo_limit=CONFIG_ECHO_LIMIT_CHARS)
    return f"{source}: {sentence}"


def load_yaml_settings(path: Path) -> dict[str, Any]:
    """Read a YAML config file into settings (keys may use - or _).

    The file is read like a preset (engine.yaml_files): at most 64 KB, C safe loader, alias bombs
    refused before any value is looked at.

    Raises:
        ConfigError: unreadable, oversize or expanding file, invalid YAML, or not a mapping.
    """
    try:
        data = load_yaml_file(path)
    except YamlFileError as error:
        raise ConfigError(f"cannot read the config file: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: the config file must be a mapping of settings, got {type(data).__name__}")
    return {str(key).replace("-", "_"): value for key, value in data.items()}


def build_config(settings: dict[str, Any], source: str = "config") -> BridgeConfig:
    """Validate settings into a config.

    Raises:
        ConfigError: naming the setting, what it allows and what it got.
    """
    try:
        return BridgeConfig(**settings)
    except ValidationError as error:
        raise ConfigError(_error_message(error, source)) from error
    except ValueError as error:  # ip_network raised outside pydantic's wrapping
        raise ConfigError(f"{source}: {error}") from error


def add_runtime_argument(parser: argparse.ArgumentParser) -> None:
    """`--runtime`: ONNX Runtime on the cpu (default when installed) or torch (any device)."""
    parser.add_argument("--runtime", help="onnx or torch (default: onnx when installed, torch for a GPU device)")


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The `serve` flags. Defaults are None so that only flags given override the YAML file."""
    parser.add_argument("--config", type=Path, help="YAML file with any of the settings below")
    parser.add_argument("--host", help=f"address to listen on (default {c.DEFAULT_HOST})")
    parser.add_argument("--port", type=int, help=f"UDP port to listen on (default {c.DEFAULT_PORT})")
    parser.add_argument("--reply-port", type=int,
                        help=f"reply port when a request names none (default {c.DEFAULT_REPLY_PORT})")
    parser.add_argument("--output-dir", type=Path, help=f"where file output goes (default {DEFAULT_OUTPUT_DIR})")
    parser.add_argument("--midi-port-name", help=f"virtual or existing MIDI port (default {c.DEFAULT_MIDI_PORT_NAME})")
    parser.add_argument("--no-midi", dest="midi", action="store_const", const=False, help="open no MIDI port")
    parser.add_argument("--queue-size", type=int, help=f"jobs that may wait (default {c.DEFAULT_QUEUE_SIZE})")
    parser.add_argument("--history-size", type=int, help=f"finished jobs kept (default {c.DEFAULT_HISTORY_SIZE})")
    parser.add_argument("--allow", action="append", metavar="CIDR",
                        help="networks served besides loopback (repeat or comma-separate), e.g. 192.168.1.0/24")
    parser.add_argument("--checkpoint", "--model", dest="checkpoint", type=Path,
                        help="model checkpoint (default: $MIDIDRUMIGEN_MODEL, else the shipped model)")
    parser.add_argument("--device", help="cuda, mps or cpu (default: the best available)")
    add_runtime_argument(parser)
    parser.add_argument("--presets", "--presets-dir", dest="preset_dirs", action="append", type=Path, metavar="DIR",
                        help="extra folder of style YAML files (repeatable)")
    parser.add_argument("--log-level", help="DEBUG, INFO, WARNING or ERROR (default INFO)")
    parser.add_argument("--http-port", type=int,
                        help=f"HTTP API and browser studio port (default {c.DEFAULT_HTTP_PORT}; 0 turns HTTP off)")
    parser.add_argument("--http-host", help=f"address the HTTP side listens on (default {c.DEFAULT_HOST})")
    parser.add_argument("--keep-hours", type=float,
                        help=f"delete the daemon's .mid files older than this (default {c.DEFAULT_KEEP_HOURS:g}; 0 keeps them)")
    parser.add_argument("--broker", metavar="URL",
                        help="send jobs to Celery workers over this Redis URL, e.g. redis://localhost:6379/0")
    parser.add_argument("--broker-slots", type=int,
                        help=f"jobs sent to the workers at once (default {c.DEFAULT_BROKER_SLOTS}; at least the "
                             "worker processes)")


def config_from_args(args: argparse.Namespace) -> BridgeConfig:
    """Defaults, overridden by the --config file, overridden by the flags given.

    Raises:
        ConfigError: a bad file or setting.
    """
    settings: dict[str, Any] = {}
    source = "command line"
    if args.config is not None:
        settings.update(load_yaml_settings(args.config))
        source = f"{args.config} or the command line"
    for name in BridgeConfig.model_fields:
        value = getattr(args, name, None)
        if value is not None:
            settings[name] = value
    if isinstance(settings.get("log_level"), str):
        settings["log_level"] = settings["log_level"].upper()
    return build_config(settings, source)

