"""The address page's live-data panel: fetch from the chain's API in the background, or upload a CSV export.

The page hooks it in with :func:`data_panel`; the callbacks live here. Fetching runs
as a background callback (:mod:`dashboard.background`) with a progress bar and a
cancel button, so it never blocks other users; when it ends, the caches are
forgotten and the page scores the address again. An upload is parsed in full before
anything is stored: one wrong row stops it with its line number.
"""

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback, dcc, html, no_update

from dashboard import ids
from dashboard.background import JOBS
from dashboard.components.upload import upload_bytes
from dashboard.roles import actor, requires
from dashboard.services import services
from tracing.errors import BadParameters, ImportFormatError, InvalidAddress, TracingError
from tracing.investigate.imports import import_transfers
from tracing.investigate.refresh import FetchProgress, fetch_history
from tracing.model import normalize_address
from tracing.settings import Settings
from tracing.sources.file_options import OPTION_FIELDS
from tracing.sources.files import FORMATS, open_transfers
from tracing.sources.registry import missing_key, source_for, source_title
from tracing.store import Store

__all__ = [
    "BAR_HIDDEN",
    "data_panel",
    "import_upload",
    "job_controls",
    "progress_outputs",
    "progress_values",
    "run_fetch",
]

MAX_UPLOAD = 11 * 2**20  # base64 grows it by a third: stays under MAX_CONTENT_LENGTH (16 MiB)
OPTION_HELP = {  # what the upload form asks for exports that do not say it themselves
    "asset": ("Token symbol", "TronScan: the token, if not USDT (give its contract too)"),
    "contract": ("Token contract", "TronScan: the token's contract (T…), if not USDT"),
    "decimals": ("Decimals", "TronScan, Etherscan: the token's decimals, if not read from the file"),
}
OPTIONS = {"type": ids.ADDRESS_UPLOAD_OPTION, "name": ALL}
OPTION_ERRORS = {"type": ids.ADDRESS_UPLOAD_OPTION_ERROR, "name": ALL}
FORMAT_HELP = {
    "auto": "format from the header",
    "generic-csv": "generic CSV (any chain)",
    "tronscan-csv": "TronScan token export (USDT-TRC20)",
    "etherscan-csv": "Etherscan token export",
}


def _target(chain: str, address: str) -> dict | None:
    try:
        chain_, canonical = normalize_address(address, chain or None)
    except InvalidAddress:
        return None
    return {"chain": chain_.value, "address": canonical}


BAR_HIDDEN = {"height": "1.2rem", "visibility": "hidden"}  # keeps its room, so nothing jumps when it shows


def job_controls(cancel_id: str, progress_id: str, **cancel_props) -> list:
    """A background job's Cancel button and progress bar (hidden until the job runs)."""
    return [
        dbc.Button(
            "Cancel", id=cancel_id, color="secondary", size="sm", outline=True, className="ms-2", **cancel_props
        ),
        dbc.Progress(
            id=progress_id, value=0, max=1, label="", striped=True, animated=True, className="mt-2", style=BAR_HIDDEN
        ),
    ]


def data_panel(chain: str, address: str) -> dbc.Card:
    """Fetch (or refresh) button with progress and cancel, and the CSV upload, for the address of the URL."""
    settings = JOBS.settings or Settings.from_env()
    target = _target(chain, address)
    if target is None:
        return html.Div(id=ids.ADDRESS_DATA)
    stored = bool(services().store.sources_of(target["chain"], target["address"]))
    needs = missing_key(target["chain"], settings)
    title = source_title(target["chain"])
    fetch = [
        dbc.Button(
            f"{'Refresh' if stored else 'Fetch'} from {title}",
            id=ids.ADDRESS_FETCH,
            color="primary",
            size="sm",
            disabled=bool(needs),
            n_clicks=0,
        ),
        *job_controls(ids.ADDRESS_FETCH_CANCEL, ids.ADDRESS_FETCH_PROGRESS, disabled=True),
        html.Div(needs and dbc.Alert(needs, color="warning", className="mt-2 mb-0 small"), id=ids.ADDRESS_FETCH_STATUS),
    ]
    upload = [
        dbc.Select(
            id=ids.ADDRESS_UPLOAD_FORMAT,
            options=[{"label": v, "value": k} for k, v in FORMAT_HELP.items()],
            value="auto",
            size="sm",
            className="mb-2",
        ),
        *(_option_field(name) for name in OPTION_FIELDS),
        dcc.Upload(
            id=ids.ADDRESS_UPLOAD,
            children=html.Div(["Drop a CSV export here or ", html.A("choose a file")]),
            max_size=MAX_UPLOAD,
            multiple=False,
            className="upload-drop small text-center p-2 border rounded",
        ),
        html.Div(id=ids.ADDRESS_UPLOAD_STATUS, className="mt-2"),
    ]
    return dbc.Card(
        dbc.CardBody(
            [
                dcc.Store(id=ids.ADDRESS_FETCH_TARGET, data=target),
                dcc.Store(id=ids.ADDRESS_FETCH_AUTO, data=bool(settings.fetch_on_open and not stored and not needs)),
                dcc.Store(id=ids.ADDRESS_FETCH_RESULT),
                dbc.Row(
                    [
                        dbc.Col([html.H6("Chain data", className="mb-2"), *fetch], md=6),
                        dbc.Col([html.H6("Import a file", className="mb-2"), *upload], md=6),
                    ]
                ),
            ]
        ),
        className="shadow-sm mb-3",
        id=ids.ADDRESS_DATA,
    )


def _option_field(name: str) -> html.Div:
    """An upload option's input, with its error next to it (shown when the input is marked invalid)."""
    label, help_text = OPTION_HELP[name]
    field = dbc.Input(
        id={"type": ids.ADDRESS_UPLOAD_OPTION, "name": name},
        placeholder=f"{label} · {help_text}",
        type="text",
        size="sm",
        inputmode="numeric" if name == "decimals" else "text",
    )
    error = dbc.FormFeedback(help_text, id={"type": ids.ADDRESS_UPLOAD_OPTION_ERROR, "name": name}, type="invalid")
    return html.Div([field, error], className="mb-2")


def run_fetch(target: dict, progress=None, max_calls: int | None = None) -> dict:
    """Fetch the target's history into the app's store; a plain summary for the page (runs in the job)."""
    settings = JOBS.settings or Settings.from_env()
    store, source = Store(JOBS.database_url), None
    try:
        source = source_for(target["chain"], settings)
        summary = fetch_history(
            store,
            source,
            target["address"],
            since=settings.fetch_since,
            max_transfers=settings.fetch_max_transfers,
            max_calls=max_calls,
            progress=progress,
        )
    except TracingError as err:  # requests spent before the failure still count against a budget
        calls = source.calls if source is not None else 0
        return {"ok": False, "error": type(err).__name__, "message": str(err), "calls": calls}
    finally:
        store.close()
    return {
        "ok": True,
        "message": summary.describe(),
        "new": summary.new,
        "limit": summary.limit,
        "calls": summary.calls,
    }


def progress_outputs(bar_id: str) -> list[Output]:
    """What a job's progress steps set on its bar, in :func:`progress_values`' order."""
    return [Output(bar_id, prop) for prop in ("value", "max", "label", "style")]


def progress_values(step: FetchProgress) -> tuple:
    """(value, max, label, style) of the bar: done/total when known, else pages going round."""
    if step.total:
        return step.done, step.total, step.describe(), {"height": "1.2rem"}
    return step.pages, step.pages + 1, step.describe(), {"height": "1.2rem"}


@callback(
    Output(ids.ADDRESS_FETCH_RESULT, "data"),
    Input(ids.ADDRESS_FETCH, "n_clicks"),
    Input(ids.ADDRESS_FETCH_AUTO, "data"),
    State(ids.ADDRESS_FETCH_TARGET, "data"),
    background=True,
    progress=progress_outputs(ids.ADDRESS_FETCH_PROGRESS),
    running=[
        (Output(ids.ADDRESS_FETCH, "disabled"), True, False),
        (Output(ids.ADDRESS_FETCH_CANCEL, "disabled"), False, True),
    ],
    cancel=[Input(ids.ADDRESS_FETCH_CANCEL, "n_clicks")],
    prevent_initial_call=True,
)
@requires("investigator")
def callback_address_fetch(set_progress, clicks, auto, target):
    """Fetch the address's history in the background, reporting each page to the bar."""
    if not target or not (clicks or auto):
        return no_update
    set_progress((0, 1, "starting…", {"height": "1.2rem"}))
    return run_fetch(target, lambda step: set_progress(progress_values(step)))


@callback(
    Output(ids.ADDRESS_FETCH_STATUS, "children"),
    Output(ids.ADDRESS_REQUEST, "data", allow_duplicate=True),
    Output(ids.ADDRESS_FETCH_PROGRESS, "style", allow_duplicate=True),
    Input(ids.ADDRESS_FETCH_RESULT, "data"),
    State(ids.ADDRESS_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_address_fetched(result, request):
    """Say how the fetch went; when it stored something, score the address again."""
    if not result:
        return no_update, no_update, no_update
    hidden = BAR_HIDDEN
    if not result["ok"]:
        return (
            dbc.Alert(result["message"], color="danger", className="mt-2 mb-0 small", id="fetch-error"),
            no_update,
            hidden,
        )
    services().forget()
    text = [html.Div(line) for line in result["message"].splitlines()]
    colour = "warning" if result["limit"] else "success"
    return dbc.Alert(text, color=colour, className="mt-2 mb-0 small", id="fetch-done"), request, hidden


@callback(
    Output(ids.ADDRESS_UPLOAD_STATUS, "children"),
    Output(ids.ADDRESS_REQUEST, "data", allow_duplicate=True),
    Output(ids.ADDRESS_UPLOAD, "contents"),
    Output(OPTIONS, "invalid"),
    Output(OPTION_ERRORS, "children"),
    Input(ids.ADDRESS_UPLOAD, "contents"),
    State(ids.ADDRESS_UPLOAD, "filename"),
    State(ids.ADDRESS_UPLOAD_FORMAT, "value"),
    State(OPTIONS, "value"),
    State(ids.ADDRESS_REQUEST, "data"),
    prevent_initial_call=True,
)
@requires("investigator")
def callback_address_upload(contents, filename, fmt, values, request):
    """Import the uploaded export: every row or none, with line-numbered errors (the upload is cleared for the next).

    A wrong token symbol, contract or decimals is said next to its field, and nothing is read.
    """
    names = OPTION_FIELDS  # the fields' layout order, which ALL keeps
    fine = [False] * len(names), [OPTION_HELP[n][1] for n in names]
    if not contents:
        return no_update, no_update, no_update, *fine
    try:
        summary = import_upload(contents, filename or "upload.csv", fmt, dict(zip(names, values)))
    except BadParameters as err:
        marks = [n == err.field for n in names], [err.reason if n == err.field else OPTION_HELP[n][1] for n in names]
        alert = dbc.Alert(
            f"Fix the {err.field}: nothing was imported.", color="danger", className="mb-0 small", id="upload-error"
        )
        return alert, no_update, None, *marks
    except TracingError as err:
        return dbc.Alert(str(err), color="danger", className="mb-0 small", id="upload-error"), no_update, None, *fine
    services().forget()
    colour = "warning" if summary.clash_count else "success"
    lines = summary.lines() + summary.warnings()
    alert = dbc.Alert([html.Div(line) for line in lines], color=colour, className="mb-0 small", id="upload-done")
    return alert, request, None, *fine


def import_upload(contents: str, filename: str, fmt: str, options: dict | None = None):
    """Decode a dcc.Upload data URL, parse it in ``fmt`` with ``options`` and store it; the :class:`ImportSummary`.

    ``options`` (``asset``, ``contract``, ``decimals``: empty ones ignored) are checked
    against the file's format; a wrong one raises BadParameters naming its field.
    """
    if fmt != "auto" and fmt not in FORMATS:
        raise ImportFormatError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    data = upload_bytes(contents, filename)
    name = filename.rsplit("/", 1)[-1][:80]
    reader = open_transfers(data, None if fmt == "auto" else fmt, name=name, **(options or {}))
    return import_transfers(services().store, reader, name, actor=actor())
