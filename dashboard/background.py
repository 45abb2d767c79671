"""Background callbacks: where long work (fetching a history) runs while the page shows progress.

- a laptop (no ``REDIS_URL``): a diskcache manager; each job runs in a forked process
  and its progress travels through ``instance/background-jobs``;
- production (``REDIS_URL`` set, gunicorn): Celery on that Redis; start the workers with
  ``celery -A app:celery_app worker --loglevel=info`` beside gunicorn.

Jobs run outside any request, so they open the store from :data:`JOBS`, the app's
database URL and chain settings, set once by :func:`configure` when the app is built
(the same values in every process: a forked job inherits them, a Celery worker builds
the same app from ``app.py``).
"""

from dataclasses import dataclass
from pathlib import Path

import dash

from tracing.settings import Settings

__all__ = ["JOBS", "background_manager", "configure"]


@dataclass
class _Jobs:
    database_url: str | None = None
    settings: Settings | None = None
    celery: object = None  # the Celery app when REDIS_URL is set


JOBS = _Jobs()


def configure(database_url: str | None, settings: Settings) -> None:
    """Remember what jobs need to open the store and reach the chain APIs."""
    JOBS.database_url, JOBS.settings = database_url, settings


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
