"""The address form (input, chain, submit) and the parameters panel, with their validation logic."""

import dash_bootstrap_components as dbc
from dash import Input, Output, callback, html

from dashboard.roles import requires
from dashboard.urls import address_path
from tracing.errors import BadParameters, InvalidAddress
from tracing.model import Chain, normalize_address
from tracing.params import COEFFICIENTS, FIELDS, RELATION_MODES, VALUE_METHODS, Parameters

__all__ = [
    "PARAM_LABELS",
    "PARAM_NAMES",
    "address_form",
    "address_help",
    "check_address",
    "field_marks",
    "marked_fields",
    "navigation_target",
    "params_panel",
    "register_address_help",
]

PARAM_LABELS = {
    "minimum_threshold": ("Minimum z threshold", "a z-score at or below it is unusual"),
    "maximum_threshold": ("Maximum z threshold", "a z-score at or above it is unusual"),
    "time_difference": ("Time difference (s)", "closer transfers are frequent; pass-through window"),
    "value_coefficient": ("Value weight", "weight of unusual values"),
    "transfers_coefficient": ("Transfers weight", "weight of frequent transfers"),
    "hiding_coefficient": ("Hiding weight", "weight of hiding through intermediaries"),
    "relation_coefficient": ("Relation weight", "weight of relation to listed entities"),
    "value_method": ("Value method", "zscore: mean/std; robust: log amounts, median/MAD"),
    "hiding_tolerance": ("Pass-through tolerance", "fraction of an amount lost on the way (fees)"),
    "hiding_max_hops": ("Maximum hops", "intermediaries followed per chain"),
    "relation_mode": ("Relation mode", "listed: share of transfers with listed parties; exposure: share of value"),
}
PARAM_NAMES = {name: label for name, (label, _) in PARAM_LABELS.items()} | {"coefficients": "Weights"}
"""What an alert calls each parameter, and the rule over the four weights."""
CHOICES = {"value_method": VALUE_METHODS, "relation_mode": RELATION_MODES}
AUTO = "auto"
CHAIN_OPTIONS = [{"label": "Detect chain", "value": AUTO}] + [
    {"label": c.display_name, "value": c.value} for c in Chain
]


def check_address(text: str | None, chain: str | None) -> tuple[Chain, str]:
    """Validated ``(chain, canonical address)``; raises InvalidAddress with what was expected."""
    return normalize_address(text or "", None if chain in (None, "", AUTO) else chain)


def address_help(text: str | None, chain: str | None) -> tuple[bool, str]:
    """``(invalid, message)`` to show under the address input while typing."""
    if not (text or "").strip():
        return False, "TRON, Ethereum, Bitcoin or Solana; the chain is detected from the format."
    try:
        found, _ = check_address(text, chain)
    except InvalidAddress as err:
        return True, str(err)
    return False, f"Valid {found.display_name} address."


def navigation_target(text: str | None, chain: str | None, values: dict) -> tuple[str | None, str | None, dict]:
    """Where the form leads: ``(path or None, address error, {field: reason} of every bad parameter)``."""
    params, problems = None, {}
    try:
        params = Parameters.from_mapping(values)
    except BadParameters as err:
        problems = err.problems
    try:
        found, address = check_address(text, chain)
    except InvalidAddress as err:
        return None, str(err), problems
    if params is None:
        return None, None, problems
    return address_path(found.value, address, params), None, {}


def marked_fields(problems: dict[str, str]) -> dict[str, str]:
    """``{field: reason}`` of the form fields to mark: the rule over the weights (``coefficients``) marks all four."""
    return {
        name: reason
        for field, reason in problems.items()
        for name in (COEFFICIENTS if field == "coefficients" else (field,))
    }


def field_marks(names: list[str], problems: dict[str, str], labels: dict) -> tuple[list, list, list]:
    """``(invalid, help text, help colour)`` of each field of ``names``: a bad one says its reason in red,
    the others their hint (``labels`` maps a field to ``(label, hint)``)."""
    marked = marked_fields(problems)
    return (
        [n in marked for n in names],
        [marked.get(n, labels[n][1]) for n in names],
        ["danger" if n in marked else "muted" for n in names],
    )


def address_form(ids: dict, text: str = "", chain: str = "", button: str = "Investigate") -> dbc.Form:
    """Address input with live validation, chain choice and submit button.

    ``ids`` maps ``address``, ``chain``, ``help`` and ``submit`` to component IDs.
    """
    invalid, message = address_help(text, chain) if text else (False, address_help("", "")[1])
    return dbc.Form(
        dbc.Row(
            [
                dbc.Col(
                    [
                        dbc.Input(
                            id=ids["address"],
                            value=text,
                            placeholder="Address to investigate, e.g. TVEt2wx26hXGdiZLaoZgtRrsDKsYx9kqk6",
                            invalid=invalid,
                            autocomplete="off",
                        ),
                        dbc.FormText(message, id=ids["help"], color="danger" if invalid else "muted"),
                    ],
                    lg=7,
                ),
                dbc.Col(dbc.Select(id=ids["chain"], options=CHAIN_OPTIONS, value=chain or AUTO), lg=2),
                dbc.Col(dbc.Button(button, id=ids["submit"], color="primary", className="w-100", n_clicks=0), lg=3),
            ],
            className="g-2",
        ),
        id=ids["address"] + "-form",
        prevent_default_on_submit=True,
    )


def _param_input(name: str, value, pattern: str, help_pattern: str, error: str | None):
    label, hint = PARAM_LABELS[name]
    control_id = {"type": pattern, "name": name}
    if name in CHOICES:
        options = [{"label": m, "value": m} for m in CHOICES[name]]
        control = dbc.Select(id=control_id, options=options, value=value, invalid=bool(error))
    else:
        step = "1" if isinstance(FIELDS[name], int) else "any"
        control = dbc.Input(
            id=control_id, type="number", value=value, step=step, debounce=True, invalid=bool(error), size="sm"
        )
    return html.Div(
        [
            dbc.Label(label, html_for=str(control_id), className="form-label small mb-0 fw-semibold"),
            control,
            dbc.FormText(error or hint, id={"type": help_pattern, "name": name}, color="danger" if error else "muted"),
        ],
        className="mb-2",
    )


def params_panel(values: dict, pattern: str, help_pattern: str, problems: dict | None = None) -> dbc.Card:
    """Every investigation parameter with its value (from the URL) and help text, or its reason when bad."""
    errors = marked_fields(problems or {})
    return dbc.Card(
        [
            dbc.CardHeader("Parameters", className="fw-semibold"),
            dbc.CardBody(
                [_param_input(n, values.get(n, d), pattern, help_pattern, errors.get(n)) for n, d in FIELDS.items()]
            ),
        ],
        className="shadow-sm",
    )


def register_address_help(ids: dict) -> None:
    """Register the callback that says, as the user types, which chain the address is on or what is wrong.

    ``ids`` is the form's id map (see :func:`address_form`); each page with the form calls this once.
    """

    @callback(
        Output(ids["address"], "invalid"),
        Output(ids["help"], "children"),
        Output(ids["help"], "color"),
        Input(ids["address"], "value"),
        Input(ids["chain"], "value"),
        prevent_initial_call=True,
    )
    @requires("viewer")
    def callback_address_help(text, chain):
        invalid, message = address_help(text, chain)
        return invalid, message, "danger" if invalid else "muted"
