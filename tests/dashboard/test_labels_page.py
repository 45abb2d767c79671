"""The labels page through Dash's callback endpoint: search, add, edit, remove, import; roles and the audit log."""

import base64
import json
import secrets

import pytest
from dashboard_helpers import login

from dashboard import ids
from dashboard.components.labels import FIELD, FORM_FIELDS, REMOVE
from tracing.audit import AuditLog
from tracing.model import Chain

ADDRESS = "TKHuVq1oKVruCGLvqVexFs6dawKv6fQgFs"
UPDATE = "/_dash-update-component"


@pytest.fixture
def as_role(app, services):
    def make(role: str):
        client = app.server.test_client()
        client.environ_base["REMOTE_ADDR"] = f"203.0.113.{secrets.randbelow(250)}"
        name, password = f"{role}-{secrets.token_hex(4)}", secrets.token_urlsafe(12)
        services.accounts.add_user(name, password, role)
        assert login(client, name, password).status_code == 302
        client.get("/labels")
        return client, name

    return make


def _key(function: str) -> str:
    """The output key Dash files the callback ``function`` under (duplicate outputs carry a hash)."""
    import dash

    from dashboard.pages import labels

    app = dash.get_app()
    assert hasattr(labels, function)
    return next(k for k, v in app.callback_map.items() if getattr(v.get("callback"), "__name__", "") == function)


def _post(client, outputs, inputs, state=(), triggered=None):
    function = {
        ids.LABELS_SAVE: "callback_labels_save",
        ids.LABELS_QUERY: "callback_labels_table",
        ids.LABELS_UPLOAD: "callback_labels_import",
        ids.LABELS_EXPORT: "callback_labels_export",
    }.get(inputs[0]["id"] if isinstance(inputs[0], dict) else None, "callback_labels_remove")
    key = _key(function)
    body = {
        "output": key,
        "outputs": [{"id": i, "property": p} for i, p in outputs]
        if len(outputs) > 1
        else dict(zip(("id", "property"), outputs[0])),
        "inputs": list(inputs),
        "state": list(state),
        "changedPropIds": [triggered or f"{inputs[0]['id']}.{inputs[0]['property']}"],
    }
    return client.post(UPDATE, data=json.dumps(body), content_type="application/json")


def _form(values: dict) -> list:
    return [[{"id": {"type": FIELD, "name": n}, "property": "value", "value": values.get(n, "")} for n in FORM_FIELDS]]


def _save(client, values, label_id=None):
    return _post(
        client,
        [(ids.LABELS_ALERT, "children"), (ids.LABELS_VERSION, "data")],
        [{"id": ids.LABELS_SAVE, "property": "n_clicks", "value": 1}],
        [
            *_form(values),
            {"id": ids.LABELS_EDIT_ID, "property": "data", "value": label_id},
            {"id": ids.LABELS_VERSION, "property": "data", "value": 0},
        ],
    )


def _table(client, q="", page=1):
    answer = _post(
        client,
        [(ids.LABELS_TABLE, "children"), (ids.LABELS_COUNT, "children"), (ids.LABELS_PAGER, "children")],
        [
            {"id": ids.LABELS_QUERY, "property": "data", "value": {"q": q, "page": page}},
            {"id": ids.LABELS_VERSION, "property": "data", "value": 1},
        ],
    )
    assert answer.status_code == 200
    return json.dumps(answer.get_json())  # Flask's JSON escapes "&"; this one does not


def test_an_investigator_adds_edits_and_removes_a_label_and_each_is_audited(as_role, services):
    client, name = as_role("investigator")
    answer = _save(client, {"address": ADDRESS, "name": "Tether Treasury", "category": "service", "confidence": "90"})
    assert answer.status_code == 200 and "Saved" in answer.get_data(as_text=True)
    (label,) = services.store.label_index(builtin=False).of(Chain.TRON, ADDRESS)
    assert (label.added_by, label.confidence, label.source) == (name, 90, "manual")
    assert "Tether Treasury" in _table(client, "treasury")
    assert "Saved" in _save(client, {"name": "Tether", "category": "exchange", "confidence": "70"}, label.id).get_data(
        as_text=True
    )
    assert services.store.label_index(builtin=False).of(Chain.TRON, ADDRESS)[0].category == "exchange"
    removed = _post(
        client,
        [(ids.LABELS_ALERT, "children"), (ids.LABELS_VERSION, "data")],
        [[{"id": {"type": REMOVE, "id": label.id}, "property": "n_clicks", "value": 1}]],
        [{"id": ids.LABELS_VERSION, "property": "data", "value": 2}],
        triggered=json.dumps({"id": label.id, "type": REMOVE}, separators=(",", ":")) + ".n_clicks",
    )
    assert "Removed" in removed.get_data(as_text=True)
    assert not services.store.label_index(builtin=False).of(Chain.TRON, ADDRESS)
    actions = [(e.action, e.actor) for e in AuditLog(services.store).entries(object_type="label", object_id=label.id)]
    assert actions == [("label.remove", name), ("label.edit", name), ("label.add", name)]


def test_a_bad_address_is_an_alert_and_nothing_is_stored(as_role, services):
    client, _ = as_role("investigator")
    text = _save(client, {"address": ADDRESS[:-1] + "x", "name": "X", "category": "exchange"}).get_data(as_text=True)
    assert "not a valid" in text and "Saved" not in text


def test_an_upload_imports_a_file_and_lists_what_it_skipped(as_role, services):
    client, name = as_role("investigator")
    csv_text = f"address,name,category\n{ADDRESS},Upload Co,exchange\n{ADDRESS},Bad,casino\n"
    contents = "data:text/csv;base64," + base64.b64encode(csv_text.encode()).decode()
    answer = _post(
        client,
        [(ids.LABELS_ALERT, "children"), (ids.LABELS_VERSION, "data")],
        [{"id": ids.LABELS_UPLOAD, "property": "contents", "value": contents}],
        [
            {"id": ids.LABELS_UPLOAD, "property": "filename", "value": "mine.csv"},
            {"id": ids.LABELS_VERSION, "property": "data", "value": 0},
        ],
    )
    text = answer.get_data(as_text=True)
    assert "1 labels read, 1 new, 1 entries skipped" in text and "line 3: category" in text
    assert AuditLog(services.store).entries(action="label.import", actor=name)[0].object_id == "mine.csv"


def test_a_viewer_reads_but_cannot_change(as_role):
    client, _ = as_role("viewer")
    assert client.get("/labels").status_code == 200
    assert "SANCTIONED" in _table(client) or "label(s) match" in _table(client)
    assert _save(client, {"address": ADDRESS, "name": "X", "category": "exchange"}).status_code == 403


@pytest.fixture(scope="module")
def paged(app):
    """120 labels of one source, added one second apart (the newest is 'Paged 119')."""
    from dashboard.services import Services
    from tracing.labels import Label
    from tracing.sources.demo import demo_address

    store = app.server.extensions["tracing"].store
    assert isinstance(app.server.extensions["tracing"], Services)
    store.add_labels(
        [
            Label(
                Chain.TRON, demo_address(Chain.TRON, f"paged-{i}"), f"Paged {i}", "service", "paging-test", added_at=i
            )
            for i in range(120)
        ]
    )
    return 120


def test_the_list_pages_through_the_store(as_role, paged):
    client, _ = as_role("viewer")
    first, last = _table(client, "paging-test"), _table(client, "paging-test", page=3)
    assert "Paged 119" in first and "Paged 70" in first and '"Paged 69"' not in first
    assert "120 stored label(s) match, newest first; 1-50 are shown" in first and "page 1 of 3" in first
    assert "101-120 are shown" in last and "Paged 0" in last and '"Paged 20"' not in last
    assert "/labels?q=paging-test&page=2" in last and "page 3 of 3" in last
    assert "none on this page" in _table(client, "paging-test", page=9)


@pytest.mark.parametrize(("fmt", "suffix"), [("csv", ".csv"), ("json", ".json"), ("tagpack", ".yaml")])
def test_export_writes_every_match_in_the_chosen_format(as_role, paged, fmt, suffix, tmp_path):
    from tracing.labels.files import read_labels

    client, _ = as_role("viewer")  # reading and exporting is the viewer's
    answer = _post(
        client,
        [(ids.LABELS_DOWNLOAD, "data")],
        [{"id": ids.LABELS_EXPORT, "property": "n_clicks", "value": 1}],
        [
            {"id": ids.LABELS_EXPORT_FORMAT, "property": "value", "value": fmt},
            {"id": ids.LABELS_QUERY, "property": "data", "value": {"q": "paging-test", "page": 2}},
        ],
    )
    assert answer.status_code == 200
    sent = answer.get_json()["response"][ids.LABELS_DOWNLOAD]["data"]
    assert sent["filename"] == f"labels{suffix}"
    path = tmp_path / sent["filename"]
    path.write_text(sent["content"])
    read = read_labels(path)
    assert len(read.labels) == paged and {lb.name for lb in read.labels} == {f"Paged {i}" for i in range(120)}


@pytest.mark.parametrize("editor", [True, False])
def test_on_a_phone_the_list_comes_before_the_forms_and_a_link_leads_down_to_them(app, monkeypatch, editor):
    from dashboard.pages import labels

    monkeypatch.setattr(labels, "may", lambda role, needed: editor)  # an investigator's page has the forms
    with app.server.test_request_context("/labels"):
        page = labels.layout()
    column = page.children[-1]
    heading = page.children[-3]
    assert "d-flex flex-column" in column.className
    if not editor:
        assert len(column.children) == 1 and ids.LABELS_TO_EDITOR not in str(heading)
        return
    editor_cards, listing = column.children
    assert "order-2 order-lg-1" in editor_cards.className and "order-1 order-lg-2" in listing.className
    assert "Add a label" in str(editor_cards) and str(listing).count(ids.LABELS_TABLE) == 1
    link = heading.children[1]
    assert link.id == ids.LABELS_TO_EDITOR and link.href == f"#{editor_cards.id}" and "d-lg-none" in link.className


def test_a_phone_sees_address_entity_with_its_category_and_the_edit_links():
    from dashboard.components import WIDE_ONLY
    from dashboard.components.labels import labels_table
    from tracing.labels import Label

    table = labels_table([Label(Chain.TRON, ADDRESS, "Bad Exchange", "exchange", "manual", id=7)], editable=True)
    head = table.children[0].children.children
    assert [th.children for th in head if WIDE_ONLY not in (getattr(th, "className", None) or "")] == [
        "address", "entity", "", "",
    ]  # fmt: skip
    entity = table.children[1].children[0].children[3]
    assert entity.children[0].children == "exchange" and entity.children[1] == "Bad Exchange"  # badge, then name


def test_the_shipped_ofac_list_is_browsed_after_the_stored_labels_and_cannot_be_edited(as_role):
    """Searching 'garantex' finds what screening uses, though no 'sanctions update' stored it."""
    client, _ = as_role("investigator")
    shown = _table(client, "garantex")
    assert "GARANTEX EUROPE OU" in shown and "/address/tron/TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD" in shown
    assert "of the shipped OFAC SDN list of" in shown and "shipped list" in shown and "listed 20" in shown
    assert REMOVE not in shown  # edit and remove belong to stored labels only
