"""Paths that lead to no page answer 404 (Dash's catch-all would answer 200 with its "not found" layout)."""

import re

import dash
import flask

__all__ = ["init_not_found", "is_page_path"]


def _pattern(page: dict) -> re.Pattern:
    template = page.get("path_template") or page["path"]
    parts = [
        r"[^/]+" if p.startswith("<") and p.endswith(">") else re.escape(p) for p in template.strip("/").split("/")
    ]
    return re.compile("/".join(parts) + "/?")


def is_page_path(path: str) -> bool:
    """Whether some registered page answers ``path``."""
    wanted = path.strip("/")
    return any(_pattern(page).fullmatch(wanted) for page in dash.page_registry.values())


def init_not_found(server: flask.Flask) -> None:
    """Give the catch-all's answers for unknown paths the status 404 (the page still shows the way home)."""

    @server.after_request
    def _not_found(response):
        rule = flask.request.url_rule
        catchall = rule is not None and rule.rule.endswith("<path:path>")
        if response.status_code == 200 and catchall and not is_page_path(flask.request.path):
            response.status_code = 404
        return response
