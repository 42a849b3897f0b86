"""The FastAPI application: the /api/v1 routes, the studio page at /, the guard, and one error format.

A body that fails validation is answered with the sentence the CLI and OSC give for it ("bars must
be between 1 and 32, got 99"): the body is run through engine.schema.parse_request, the one place
that words request errors, rather than FastAPI's own list of pydantic errors.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Awaitable, Callable
from importlib import resources
from typing import TYPE_CHECKING, Any, Final

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response

from mididrumigen.bridge import __version__
from mididrumigen.bridge.http.guard import ClientGuard
from mididrumigen.bridge.http.models import ErrorBody
from mididrumigen.bridge.http.routes import ApiError, build_router
from mididrumigen.bridge.protocol import ErrorCode
from mididrumigen.bridge.server import AllowList
from mididrumigen.engine.errors import RequestError
from mididrumigen.engine.schema import GenerationRequest, parse_request

if TYPE_CHECKING:
    from mididrumigen.bridge.daemon import Daemon
    from mididrumigen.bridge.file_cleanup import FileLeases

STUDIO_FILES: Final[dict[str, str]] = {
    "/": "index.html", "/studio.js": "studio.js", "/studio.css": "studio.css",
}
"""The page's files by URL: a fixed table, so no part of a request path ever reaches the file system."""

_MEDIA_TYPES: Final = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8",
                       ".css": "text/css; charset=utf-8"}

_DESCRIPTION: Final = """
Drum patterns from the MidiDrumiGen engine over HTTP, on the same job queue as the OSC daemon that
Ableton Live talks to: a job queued here shows up in `/mdg/status` and the other way round.

1. `POST /api/v1/generate` with a request (only `style` is required) answers **202** with a `task_id`.
2. Follow it with `GET /api/v1/tasks/{task_id}/events` (server-sent events) or poll
   `GET /api/v1/status/{task_id}`.
3. When it is `done`, the status holds the notes, and `GET /api/v1/patterns/{task_id}.mid` the file.

Errors are one sentence in `detail`, with the OSC protocol's error `code`.
"""


def _error(status: int, body: ErrorBody, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body.model_dump(exclude_none=True), status_code=status, headers=headers)


def _validation_sentence(body: Any) -> ErrorBody:
    """The engine's sentence for a body FastAPI refused."""
    if not isinstance(body, dict):
        fields = ", ".join(GenerationRequest.model_fields)
        return ErrorBody(detail=f"the body must be a JSON object with the request fields ({fields}); "
                                f"style is required", code=ErrorCode.BAD_REQUEST)
    try:
        parse_request(body)
    except RequestError as error:
        return ErrorBody(detail=str(error), code=ErrorCode.BAD_REQUEST, field=error.field)
    # FastAPI refused what the engine accepts: never expected, but the client still gets a sentence.
    return ErrorBody(detail="the request body could not be read as a generation request", code=ErrorCode.BAD_REQUEST)


def _studio_route(name: str) -> Callable[[], Awaitable[Response]]:
    """An endpoint serving one of the page's files, read once when the app is built."""
    data = resources.files("mididrumigen.bridge.http").joinpath("static", name).read_bytes()
    media_type = _MEDIA_TYPES[name[name.rindex("."):]]

    async def page() -> Response:
        return Response(data, media_type=media_type, headers={"Cache-Control": "no-cache"})

    return page


def build_app(daemon: Daemon, leases: FileLeases) -> FastAPI:
    """The HTTP application of one running daemon."""
    app = FastAPI(title="MidiDrumiGen", version=__version__, description=_DESCRIPTION, redoc_url=None)
    app.include_router(build_router(daemon, leases))

    @app.exception_handler(ApiError)
    async def api_error(request: Request, error: ApiError) -> JSONResponse:
        return _error(error.status, error.body, error.headers)

    @app.exception_handler(RequestValidationError)
    async def invalid_body(request: Request, error: RequestValidationError) -> JSONResponse:
        return _error(422, _validation_sentence(error.body))

    for url, name in STUDIO_FILES.items():
        app.add_api_route(url, _studio_route(name), methods=["GET"], include_in_schema=False)

    app.add_middleware(ClientGuard, allow=AllowList(daemon.config.allow),
                       loopback_only_hosts=_is_loopback(daemon.config.http_host))
    return app


def _is_loopback(host: str) -> bool:
    return ipaddress.ip_address(host).is_loopback
