"""The daemon's HTTP side: the /api/v1 API and the browser studio, on the same job table as OSC.

Importing this package imports nothing from FastAPI: `launch` checks for it and binds the socket;
only `app`, `routes`, `sse` and `server` need FastAPI and uvicorn.
"""
