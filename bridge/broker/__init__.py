"""Celery with Redis, for a studio with more than one machine (`serve --broker`, `mididrumigen worker`).

Nothing here is imported unless --broker is given or `mididrumigen worker` runs, so a daemon
without a broker never imports Celery or redis. Modules: `app` (the Celery app and its settings),
`wire` (a result as JSON), `tasks` (what a worker process runs), `remote` (the daemon's engine that
runs jobs on the workers), `worker_cli` (the `mididrumigen worker` command).
"""
