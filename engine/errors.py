"""One base error for the engine, one subclass per layer, so callers can catch exactly what they handle."""


class EngineError(Exception):
    """Base class for every error the engine raises on purpose."""


class RequestError(EngineError, ValueError):
    """A request field is wrong; the message names the field and the allowed range."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class UnknownStyleError(RequestError):
    """The requested style is not among the loaded presets."""


class PresetError(EngineError):
    """A preset YAML file is unreadable or invalid; the message names the file and the field."""


class OutputPathError(EngineError, OSError):
    """An output path names something that must not be replaced (a device, a FIFO, a folder, a bad link)."""


class CheckpointError(EngineError):
    """A model checkpoint is missing, corrupt or was written for another tokenizer version."""


class GenerationError(EngineError):
    """Generation itself failed (never raised for bad input, which is a RequestError)."""


class MissingDependencyError(EngineError):
    """A command needs an optional package (torch for training, matplotlib for plots)."""

    INSTALL = {"torch": "pip install 'mididrumigen[train]'", "onnx": "pip install 'mididrumigen[train]'",
               "onnxruntime": "pip install onnxruntime", "matplotlib": "pip install 'mididrumigen[plot]'",
               "tqdm": "pip install 'mididrumigen[train]'"}

    def __init__(self, package: str, needed_for: str) -> None:
        install = self.INSTALL.get(package, f"pip install {package}")
        super().__init__(f"{needed_for} needs {package}, which is not installed: {install}")
        self.package = package
