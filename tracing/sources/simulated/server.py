"""A local HTTP server that plays a chain API: each route answers a scripted sequence of responses.

For tests and benchmarks; it never touches the internet. Routes are keyed by path
(and optionally a predicate on the query and JSON body); each answer is an
:class:`Answer`, a :class:`Stall` that sleeps before answering, or a callable that
builds one from the :class:`Request`. The last answer of a route repeats. Every
request is recorded.
"""

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

__all__ = ["Answer", "Request", "Stall", "StubServer", "html", "ok", "raw"]


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict = field(default_factory=dict)


@dataclass
class Stall:
    """Answer ``then`` only after ``seconds``: longer than the client's read timeout, it is a timeout."""

    seconds: float
    then: Answer


def ok(document, status: int = 200, **headers) -> Answer:
    """A JSON answer."""
    return Answer(status, json.dumps(document).encode(), {"Content-Type": "application/json", **headers})


def raw(text: str, status: int = 200, **headers) -> Answer:
    """An answer with this exact body (malformed JSON, say)."""
    return Answer(status, text.encode(), {"Content-Type": "application/json", **headers})


def html(status: int = 200) -> Answer:
    """An HTML error page, as proxies and outage pages send."""
    body = b"<!DOCTYPE html><html><body><h1>502 Bad Gateway</h1>cloudflare</body></html>"
    return Answer(status, body, {"Content-Type": "text/html"})


@dataclass
class Request:
    method: str
    path: str
    query: dict
    headers: dict
    body: object


class StubServer:
    """A threaded HTTP server on 127.0.0.1 and a free port; ``url`` is its base address."""

    def __init__(self):
        self.routes: list[tuple[str, Callable[[dict, object], bool], list]] = []
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _serve(self):
                parts = urlsplit(self.path)
                query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length)) if length else None
                answer = stub._answer(Request(self.command, parts.path, query, dict(self.headers), body))
                if isinstance(answer, Stall):
                    time.sleep(answer.seconds)
                    answer = answer.then
                try:
                    self.send_response(answer.status)
                    for key, value in answer.headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Length", str(len(answer.body)))
                    self.end_headers()
                    self.wfile.write(answer.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

            do_GET = do_POST = _serve

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()

    def route(self, path: str, *answers, when: Callable[[dict, object], bool] = lambda q, b: True) -> None:
        """Answer requests to ``path`` (whose query and body satisfy ``when``) with ``answers`` in turn.

        A ``path`` ending in ``*`` matches every path that starts with the rest.
        """
        self.routes.insert(0, (path, when, list(answers)))

    def _answer(self, request: Request):
        with self._lock:
            self.requests.append(request)
            for path, when, answers in self.routes:
                matches = request.path.startswith(path[:-1]) if path.endswith("*") else path == request.path
                if matches and when(request.query, request.body):
                    answer = answers.pop(0) if len(answers) > 1 else answers[0]
                    break
            else:
                return ok({"error": f"no stub for {request.path}"}, 404)
        return answer(request) if callable(answer) else answer

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
