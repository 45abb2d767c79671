"""Production shape: gunicorn serves the app, a real Celery worker on the Redis at 127.0.0.1:6379 runs the jobs.

Everything runs in processes of its own (the app, the worker), as in production;
the browser clicks Fetch and sees the progress and the result, then gets the address's
PDF report, which the worker builds. Skips without Redis
on a laptop; fails on CI.
"""

import os
import secrets
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from playwright.sync_api import expect
from test_browser import TIMEOUT, log_in
from test_fetch_browser import history, tron

from tests.conftest import skip_or_fail
from tracing.accounts import Accounts
from tracing.report import verify
from tracing.sources.simulated import Stall, StubServer
from tracing.sources.simulated.tron import serve_trongrid
from tracing.store import Store

pytestmark = pytest.mark.browser

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
ROOT = Path(__file__).resolve().parents[3]
BIN = Path(sys.executable).parent

APP_MODULE = """
from dashboard import create_app
from dashboard.background import JOBS
from tracing.settings import Settings

app = create_app({{
    "DATABASE_URL": {database!r},
    "INSTANCE_PATH": {instance!r},
    "LOAD_DEMO": False,
    "SOURCE_SETTINGS": Settings(trongrid_url={stub!r}, redis_url={redis!r}, http_rate=100.0),
}})
server = app.server
celery_app = JOBS.celery
"""


def _redis_or_skip() -> None:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception as err:  # no server answers: skip here, fail on CI
        skip_or_fail(f"no Redis at {REDIS_URL}: {type(err).__name__}")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_serving(url: str, process: subprocess.Popen, seconds: float = 120) -> None:
    """Until the app answers its login page (workers build the app after the port opens)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"gunicorn exited with {process.returncode}; see its log in the test's folder")
        try:
            if requests.get(url + "/login", timeout=5).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError("gunicorn did not answer")


@pytest.fixture
def production(tmp_path):
    """(base url, admin password, store url, serve): gunicorn + a Celery worker in processes of their own."""
    _redis_or_skip()
    stub = StubServer()
    database = f"sqlite:///{tmp_path / 'prod.db'}"
    store = Store(database)  # migrate once, before two processes open it
    password = secrets.token_urlsafe(12)
    Accounts(store).add_user("admin", password, "admin")
    store.close()
    (tmp_path / "prod_app.py").write_text(
        APP_MODULE.format(database=database, instance=str(tmp_path / "instance"), stub=stub.url, redis=REDIS_URL)
    )
    env = {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{ROOT}", "SECRET_KEY": secrets.token_hex(16)}
    port = _free_port()
    logs = [open(tmp_path / name, "wb") for name in ("worker.log", "gunicorn.log")]  # noqa: SIM115 (closed below)
    worker = subprocess.Popen(
        [BIN / "celery", "-A", "prod_app:celery_app", "worker", "--pool", "solo", "--loglevel", "warning"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=logs[0],
    )
    web = subprocess.Popen(
        [BIN / "gunicorn", "prod_app:server", "-w", "1", "-b", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=logs[1],
    )
    try:
        _wait_until_serving(f"http://127.0.0.1:{port}", web)
        yield f"http://127.0.0.1:{port}", password, database, stub
    finally:
        for process in (web, worker):
            process.terminate()
        for process in (web, worker):
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
        stub.close()


def test_a_celery_worker_fetches_and_reports_while_gunicorn_serves(browser, production, screenshot, tmp_path):
    base_url, password, database, stub = production
    me = tron(2001)
    serve_trongrid(stub, me, history(me, 1200), [])
    handler = stub.routes[1][2][0]
    stub.routes[1] = (stub.routes[1][0], stub.routes[1][1], [lambda request: Stall(0.3, handler(request))])
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    page = context.new_page()
    log_in(page, base_url, "admin", password)
    page.wait_for_selector("#home-address-input", timeout=TIMEOUT)
    page.goto(f"{base_url}/address/tron/{me}")
    page.click("#address-fetch-button")
    expect(page.locator("#address-fetch-progress")).to_contain_text("pages", timeout=TIMEOUT * 2)
    expect(page.locator("#fetch-done")).to_contain_text("1200 new, 0 already stored", timeout=TIMEOUT * 2)
    screenshot(page, "celery-fetch-done")
    with page.expect_download(timeout=60_000) as download:  # the worker builds the PDF report too
        page.click("#address-report-pdf")
        expect(page.locator("#address-report-status")).to_have_text("building the report…", timeout=TIMEOUT)
    download.value.save_as(tmp_path / "report.pdf")
    assert verify(tmp_path / "report.pdf").ok
    context.close()
    store = Store(database)
    try:
        assert len(store.transfers_of("tron", me)) == 1200
    finally:
        store.close()
