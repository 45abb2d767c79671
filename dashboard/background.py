"""Background callbacks: where long work (fetching a history, building a report) runs while the page shows progress.

- a laptop (no ``REDIS_URL``): a diskcache manager; each job runs in a forked process
  and its progress travels through ``instance/background-jobs``;
- production (``REDIS_URL`` set, gunicorn): Celery on that Redis; start the workers with
  ``celery -A app:celery_app worker --loglevel=info`` beside gunicorn.

Jobs run outside any request, so they open the store from :data:`JOBS`, the app's
database URL, chain settings and SECRET_KEY, set once by :func:`configure` when the app
is built (the same values in every process: a forked job inherits them, a Celery worker
builds the same app from ``app.py``).
"""

import os
from dataclasses import dataclass
from pathlib import Path

import dash
from numba.core.compiler_lock import global_compiler_lock

from tracing.settings import Settings

__all__ = ["JOBS", "background_manager", "configure"]


@dataclass
class _Jobs:
    database_url: str | None = None
    settings: Settings | None = None
    secret_key: str | None = None  # checks the tickets of report jobs (dashboard.components.report_jobs)
    celery: object = None  # the Celery app when REDIS_URL is set


JOBS = _Jobs()

# A job is a fork of the web process (diskcache; Celery's pool forks too). Forked while a web
# thread compiles or loads a numba kernel, it would inherit numba's compiler lock held by a thread
# it does not have, and wait for it forever: the fork waits for the lock instead (seconds at most).
os.register_at_fork(
    before=global_compiler_lock.acquire,
    after_in_parent=global_compiler_lock.release,
    after_in_child=global_compiler_lock.release,
)


def configure(database_url: str | None, settings: Settings, secret_key: str | None = None) -> None:
    """Remember what jobs need to open the store, reach the chain APIs and check their tickets."""
    JOBS.database_url, JOBS.settings, JOBS.secret_key = database_url, settings, secret_key


def background_manager(settings: Settings, instance: Path):
    """A Celery manager on ``settings.redis_url`` when set, else a diskcache manager under ``instance``."""
    if settings.redis_url:
        from celery import Celery

        celery = Celery("tracing", broker=settings.redis_url, backend=settings.redis_url)
        celery.conf.update(task_track_started=True, broker_connection_retry_on_startup=True)
        JOBS.celery = celery
        return dash.CeleryManager(celery, expire=3600)
    import diskcache

    return dash.DiskcacheManager(diskcache.Cache(str(Path(instance) / "background-jobs")), expire=3600)
