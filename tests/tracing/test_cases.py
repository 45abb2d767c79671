"""Cases in the store: validation, search and filters, items with their parameters, notes, audit trail."""

from html.parser import HTMLParser

import pytest

from tracing.audit import AuditLog
from tracing.cases import Cases, render_markdown
from tracing.errors import BadParameters, CaseNotFound, InvalidAddress

THIEF = "TVEt2wx26hXGdiZLaoZgtRrsDKsYx9kqk6"
MULE = "TYi6kNQEBUjR7nnS1BgAepGzCS3SDDMync"
TX = "86a80393c5691cec9b6627a1d13a3447589e348fa51c11427b4632c475b8b123"


def test_a_case_is_created_changed_and_every_change_is_audited(any_store):
    cases = Cases(any_store)
    case = cases.create("alice", "  USDT theft  ", "Victim report", "Theft, usdt, theft", now=100)
    assert (case.title, case.status, case.tags, case.owner) == ("USDT theft", "open", ("theft", "usdt"), "alice")
    closed = cases.update("bob", case.id, status="closed", now=200)
    assert closed.status == "closed" and closed.updated_at == 200
    assert cases.update("bob", case.id, status="closed", now=300).updated_at == 200  # no change, no entry
    cases.update("alice", case.id, title="USDT theft, July", tags="theft", now=400)
    trail = AuditLog(any_store).entries(object_type="case", object_id=case.id)
    assert [(e.actor, e.action) for e in trail] == [
        ("alice", "case.update"),
        ("bob", "case.status"),
        ("alice", "case.create"),
    ]
    assert trail[0].detail_dict == {"tags": ["theft,usdt", "theft"], "title": ["USDT theft", "USDT theft, July"]}
    assert trail[1].detail_dict == {"status": ["open", "closed"]}


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda c: c.create("a", "   "), "title"),
        (lambda c: c.create("a", "x" * 201), "title"),
        (lambda c: c.create("a", "t", tags="ok, <script>"), "tags"),
        (lambda c: c.update("a", 1, status="archived"), "status"),
        (lambda c: c.update("a", 1, id=5), "id"),
        (lambda c: c.add_item("a", 1, "wallet", THIEF), "kind"),
        (lambda c: c.add_item("a", 1, "address", THIEF, params={"maximum_threshold": "high"}), "maximum_threshold"),
        (lambda c: c.add_item("a", 1, "trace", THIEF, params={"hops": 0}), "hops"),
        (lambda c: c.add_item("a", 1, "transfer", THIEF, ref="not a hash"), "ref"),
        (lambda c: c.add_note("a", 1, "  "), "note"),
        (lambda c: c.search(since="yesterday"), "since"),
    ],
)
def test_wrong_input_is_refused_naming_the_field_and_nothing_is_written(store, call, field):
    cases = Cases(store)
    cases.create("a", "A case", now=1)
    with pytest.raises(BadParameters) as err:
        call(cases)
    assert err.value.field == field
    assert AuditLog(store).count() == 1  # only the creation
    assert cases.items(1) == [] and cases.notes(1) == []


def test_unknown_case_and_bad_address(store):
    cases = Cases(store)
    with pytest.raises(CaseNotFound, match="#42"):
        cases.get(42)
    with pytest.raises(CaseNotFound):
        cases.add_note("a", 42, "hello")
    case = cases.create("a", "A case")
    with pytest.raises(InvalidAddress, match=r"checksum|valid"):
        cases.add_item("a", case.id, "address", THIEF[:-1] + "7")
    with pytest.raises(CaseNotFound):
        cases.remove_item("a", case.id, 99)


def test_items_keep_the_parameters_used_in_full(any_store):
    cases = Cases(any_store)
    case = cases.create("alice", "Theft")
    address = cases.add_item("alice", case.id, "address", THIEF, params={"maximum_threshold": "2.5"})
    trace = cases.add_item("alice", case.id, "trace", THIEF, params={"tx": TX, "model": "poison", "hops": "4"})
    transfer = cases.add_item("alice", case.id, "transfer", MULE, ref=f"{TX}:3")
    assert address.params["maximum_threshold"] == 2.5 and address.params["time_difference"] == 13000
    assert (trace.ref, trace.params["model"], trace.params["hops"], trace.params["direction"]) == (
        TX,
        "poison",
        4,
        "forward",
    )
    assert (transfer.chain, transfer.ref) == ("tron", f"{TX}:3")
    assert [i.kind for i in cases.items(case.id)] == ["address", "trace", "transfer"]
    assert cases.items(case.id)[1].params == trace.params
    cases.remove_item("bob", case.id, address.id)
    assert [i.id for i in cases.items(case.id)] == [trace.id, transfer.id]
    actions = [e.action for e in AuditLog(any_store).entries(object_id=case.id)]
    assert actions == ["case.remove_item", "case.add_transfer", "case.add_trace", "case.add_address", "case.create"]


def test_search_by_text_status_owner_tag_address_and_date(any_store):
    cases = Cases(any_store)
    theft = cases.create("alice", "USDT theft", "thief used 100% mules_", "theft", now=1_753_000_000)
    ransom = cases.create("bob", "Ransomware", "paid in BTC", "ransom", now=1_754_000_000)
    cases.add_item("alice", theft.id, "address", THIEF, now=1_753_000_000)
    cases.update("bob", ransom.id, status="closed", now=1_755_000_000)

    def ids(**filters):
        return [c.id for c in cases.search(**filters)]

    assert ids() == [ransom.id, theft.id]
    assert ids(text="theft") == [theft.id] and ids(text="BTC") == [ransom.id]
    assert ids(text="100%") == [theft.id] and ids(text="1%0") == []  # LIKE wildcards are literal
    assert ids(text="s_") == [theft.id]
    assert ids(status="open") == [theft.id] and ids(status="closed") == [ransom.id]
    assert ids(owner="bob") == [ransom.id]
    assert ids(tag="Ransom") == [ransom.id] and ids(tag="rans") == []
    assert ids(address=THIEF) == [theft.id] and ids(address=MULE) == []
    assert ids(since="2025-08-01") == [ransom.id] and ids(until=1_754_000_000) == [theft.id]
    assert cases.owners() == ["alice", "bob"]


def test_notes_on_the_case_and_on_an_address_in_order(any_store):
    cases = Cases(any_store)
    case = cases.create("alice", "Theft")
    cases.add_note("alice", case.id, "First *look*", now=10)
    cases.add_note("bob", case.id, "Mule: forwards within minutes", address=MULE, now=20)
    notes = cases.notes(case.id)
    assert [(n.author, n.at, n.address) for n in notes] == [("alice", 10, ""), ("bob", 20, MULE)]
    assert [n.body for n in cases.notes(case.id, address=MULE)] == ["Mule: forwards within minutes"]
    assert AuditLog(any_store).entries(action="case.add_note")[0].detail_dict["address"] == MULE


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[click](javascript:alert(1))",
        "[click](JAVASCRIPT:alert(1))",
        "[c](data:text/html;base64,PHNjcmlwdD4=)",
        "![pixel](https://evil.example/p.png)",
        '<a href="https://x" onclick="alert(1)">x</a>',
    ],
)
def test_markdown_keeps_user_html_as_text(attack):
    tags: list[tuple[str, dict]] = []

    class Collect(HTMLParser):
        def handle_starttag(self, tag, attrs):
            tags.append((tag, dict(attrs)))

    Collect().feed(render_markdown(attack))
    assert {t for t, _ in tags} <= {"p", "a"}
    for tag, attrs in tags:
        assert set(attrs) <= {"href", "rel", "target"}
        assert tag != "a" or attrs["href"].startswith("https://")  # an image becomes a link: nothing is fetched


def test_markdown_renders_formatting_and_safe_links():
    html = render_markdown("**bold** and [OFAC](https://sanctionssearch.ofac.treas.gov/)")
    assert "<strong>bold</strong>" in html
    assert 'rel="noopener noreferrer nofollow" target="_blank" href="https://sanctionssearch.ofac.treas.gov/"' in html


def test_a_transfer_without_index_is_the_one_stored_or_must_be_named(store):
    """Token transfers carry content-derived indexes, not 0: a bare hash finds the address's one transfer."""
    from tracing.model import Chain, TransferTable
    from tracing.sources.demo import USDT

    def transfer(index, receiver, tx=TX):
        return dict(tx_hash=tx, index=index, receiver=receiver)

    rows = [transfer(817_204_337, MULE), transfer(1_422_000_001, THIEF), transfer(95_113, MULE, tx="ab" * 32)]
    rows.append(transfer(44_000_002, MULE, tx="ab" * 32))
    store.add_transfers(
        TransferTable.from_columns(
            Chain.TRON,
            tx_hash=[r["tx_hash"] for r in rows],
            index=[r["index"] for r in rows],
            block=[1] * len(rows),
            timestamp=[1_700_000_000] * len(rows),
            sender=["TUs6oZNSw7dGN3BMUeBBbAnGow2K2FS6zA"] * len(rows),
            receiver=[r["receiver"] for r in rows],
            asset=[USDT] * len(rows),
            amount=[10**6] * len(rows),
        ),
        "test",
    )
    cases = Cases(store)
    case = cases.create("alice", "Theft")
    assert cases.add_item("alice", case.id, "transfer", MULE, ref=TX).ref == f"{TX}:817204337"  # was {TX}:0
    with pytest.raises(BadParameters, match=r"holds 2 transfers of this address; add TX_HASH:INDEX") as caught:
        cases.add_item("alice", case.id, "transfer", MULE, ref="ab" * 32)
    assert caught.value.field == "ref"
    assert cases.add_item("alice", case.id, "transfer", MULE, ref="cd" * 32).ref == "cd" * 32 + ":0"  # not stored
