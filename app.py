"""Entry point: ``python app.py`` serves http://127.0.0.1:8050; ``gunicorn app:server`` in production.

Flags: ``--host``, ``--port`` and ``--debug`` (Dash's debug tools; never in production).
"""

import argparse

from dashboard import create_app
from dashboard.background import JOBS
from tracing.investigate.profiles import train_missing_in_background
from tracing.warmup import warm_up_in_background

app = create_app()
server = app.server
celery_app = JOBS.celery  # with REDIS_URL: `celery -A app:celery_app worker` runs the background fetches
warm_up_in_background()  # compiles (or loads) the engine's kernels while the first user logs in
services = server.extensions["tracing"]
# A fresh install (the demo world) gets its profile model within seconds; one worker trains, the others wait.
train_missing_in_background(services.store, services.profile_path())

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true", help="Dash's debug UI and hot reload")
    args = parser.parse_args()
    app.run(host=args.host, port=args.port, debug=args.debug)
