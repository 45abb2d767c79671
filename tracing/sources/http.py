"""The one HTTP layer every chain API (and the sanctions API) goes through.

A :class:`HttpClient` wraps a ``requests`` Session with:

- connect and read timeouts on every request (``HTTP_CONNECT_TIMEOUT``, ``HTTP_READ_TIMEOUT``);
- retries with exponential backoff and jitter on connection failures, timeouts,
  429 and 5xx answers, honouring ``Retry-After`` (seconds or an HTTP date);
- a per-host rate limit shared by every client of the process (``HTTP_RATE`` requests per second);
- a User-Agent naming the tool.

Every failure is translated here, once, into :class:`~tracing.errors.SourceUnavailable`
or :class:`~tracing.errors.RateLimited` with a message a user can act on. Messages
name the provider and host, never the full URL (it may carry an API key).
"""

import email.utils
import json
import random
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import requests

from tracing.errors import RateLimited, SourceUnavailable
from tracing.settings import Settings

__all__ = ["USER_AGENT", "HttpClient", "retry_after_seconds"]

USER_AGENT = "tracing/0.1 (+https://github.com/; crypto-crime investigation tool)"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 520, 521, 522, 523, 524})


class _HostPacer:
    """Spaces requests to one host at least ``1 / rate`` seconds apart, across threads."""

    def __init__(self):
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}

    def wait(self, host: str, rate: float, sleep: Callable[[float], None]) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, 0.0))
            self._next[host] = start + 1.0 / rate
        if start > now:
            sleep(start - now)


_PACER = _HostPacer()


def retry_after_seconds(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (delta seconds or an HTTP date); None if absent or garbage.

    >>> retry_after_seconds("3")
    3.0
    >>> retry_after_seconds("soon") is None
    True
    """
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class HttpClient:
    """JSON over HTTP for one provider, with timeouts, retries, pacing and translated errors.

    Parameters
    ----------
    name : str
        The provider as users know it ("TronGrid"); it starts every error message.
    settings : Settings
        Timeouts, retries, backoff and rate.
    key_variable : str, optional
        The variable holding this provider's key, named when the provider rejects it.
    sleep : callable, optional
        ``time.sleep`` by default; tests pass a recorder.
    """

    def __init__(
        self,
        name: str,
        settings: Settings,
        *,
        key_variable: str | None = None,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.name = name
        self.settings = settings
        self.key_variable = key_variable
        self.sleep = sleep
        self.calls = 0  # requests sent, retries included
        self.session = requests.Session()
        self.session.headers.update({"User-Agent": USER_AGENT, "Accept": "application/json"})

    def close(self) -> None:
        """Release the connections."""
        self.session.close()

    def get_json(self, url: str, *, params: Mapping | None = None, headers: Mapping | None = None) -> Any:
        """GET ``url`` and decode its JSON answer (see the module docstring for failures)."""
        return self._request("GET", url, params=params, headers=headers)

    def post_json(self, url: str, payload: Any, *, headers: Mapping | None = None) -> Any:
        """POST ``payload`` as JSON to ``url`` and decode the JSON answer."""
        return self._request("POST", url, json=payload, headers=headers)

    def download(self, url: str, path: Path, *, chunk: int = 1 << 20) -> int:
        """GET ``url`` into the file ``path`` in chunks (a large file, not JSON); return the bytes written."""

        def save(answer: requests.Response, host: str) -> int:
            if answer.status_code >= 400:
                return self._decode(answer, host)  # raises, naming the status
            written = 0
            try:
                with path.open("wb") as out:
                    for part in answer.iter_content(chunk):
                        written += out.write(part)
            except requests.RequestException as err:
                raise SourceUnavailable(f"{self.name} ({host}) broke off the download ({type(err).__name__})") from None
            return written

        return self._request("GET", url, stream=True, decode=save)

    def post(self, url: str, payload: Any, *, headers: Mapping | None = None) -> int:
        """POST ``payload`` as JSON and return the 2xx status, whatever the body (webhooks answer text or nothing)."""

        def status(answer: requests.Response, host: str) -> int:
            return answer.status_code if answer.status_code < 400 else self._decode(answer, host)

        return self._request("POST", url, json=payload, headers=headers, decode=status)

    # -- the one loop -----------------------------------------------------------------------
    def _request(self, method: str, url: str, *, decode: Callable | None = None, **kwargs) -> Any:
        host = urlsplit(url).netloc or url
        timeout = (self.settings.http_connect_timeout, self.settings.http_read_timeout)
        last: SourceUnavailable | None = None
        attempts = self.settings.http_retries + 1
        for attempt in range(attempts):
            if attempt:
                self.sleep(self._delay(attempt, last))
            _PACER.wait(host, self.settings.http_rate, self.sleep)
            self.calls += 1
            try:
                answer = self.session.request(method, url, timeout=timeout, **kwargs)
            except requests.Timeout:
                last = SourceUnavailable(
                    f"{self.name} ({host}) did not answer within {self.settings.http_read_timeout:g} s; "
                    "try again later or raise HTTP_READ_TIMEOUT"
                )
                continue
            except requests.RequestException as err:
                last = SourceUnavailable(
                    f"cannot reach {self.name} at {host} ({type(err).__name__}); check the network and its URL setting"
                )
                continue
            with answer:
                if answer.status_code in _RETRY_STATUSES:
                    last = self._refusal(answer, host)
                    wait = getattr(last, "retry_after", None)
                    if wait is not None and wait > self.settings.http_max_wait:
                        raise last  # it asks for longer than we may wait: say so now
                    continue
                return (decode or self._decode)(answer, host)
        raise type(last)(f"{last} (gave up after {attempts} attempts)", *_extra(last)) from None

    def _delay(self, attempt: int, last: SourceUnavailable | None) -> float:
        """Seconds before retry ``attempt``: the server's Retry-After, else exponential backoff with jitter."""
        asked = getattr(last, "retry_after", None)
        if asked is not None:
            return min(asked, self.settings.http_max_wait)
        base = self.settings.http_backoff * 2 ** (attempt - 1)
        return min(base * (0.5 + random.random()), self.settings.http_max_wait)

    def _refusal(self, answer: requests.Response, host: str) -> SourceUnavailable:
        wait = retry_after_seconds(answer.headers.get("Retry-After"))
        if answer.status_code == 429:
            hint = f"; set {self.key_variable} for a higher limit" if self.key_variable else ""
            after = f" (it asks to wait {wait:g} s)" if wait is not None else ""
            return RateLimited(f"{self.name} ({host}) is rate-limiting this tool{after}{hint}", wait)
        error = SourceUnavailable(
            f"{self.name} ({host}) answered HTTP {answer.status_code}: the service has trouble, try again later"
        )
        error.retry_after = wait  # 503 may carry Retry-After too
        return error

    def _decode(self, answer: requests.Response, host: str) -> Any:
        status = answer.status_code
        if status in (401, 403):
            what = f"check {self.key_variable}" if self.key_variable else "this source needs access this tool lacks"
            raise SourceUnavailable(f"{self.name} ({host}) refused the request (HTTP {status}): {what}")
        body = answer.content
        looks_html = body.lstrip()[:1] == b"<" or "html" in answer.headers.get("Content-Type", "")
        if status >= 400:
            detail = "" if looks_html else f": {body[:200].decode('utf-8', 'replace').strip()}"
            raise SourceUnavailable(f"{self.name} ({host}) answered HTTP {status}{detail}")
        if looks_html:
            raise SourceUnavailable(
                f"{self.name} ({host}) answered a web page instead of JSON (HTTP {status}): "
                "a proxy or an outage page; check its URL setting or try again later"
            )
        try:
            return json.loads(body)
        except ValueError:
            raise SourceUnavailable(
                f"{self.name} ({host}) answered malformed JSON ({len(body)} bytes); try again later"
            ) from None


def _extra(error: SourceUnavailable) -> tuple:
    """The constructor arguments after the message that ``error``'s type takes."""
    return (error.retry_after,) if isinstance(error, RateLimited) else ()
