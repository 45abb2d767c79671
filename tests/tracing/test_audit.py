"""The audit log: entries written with their change, filtered and ordered newest first."""

import pytest
import sqlalchemy as sa

from tracing.audit import AuditLog, record
from tracing.errors import TracingError
from tracing.store.schema import audit_log


def test_entries_filter_by_object_actor_action_and_time(any_store):
    log = AuditLog(any_store)
    log.record("alice", "case.create", "case", 1, {"title": "Theft"}, now=100)
    log.record("bob", "note.add", "case", 1, "first note", now=200)
    log.record("alice", "case.create", "case", 2, {"title": "Ransom"}, now=300)
    log.record("admin", "user.passwd", "user", "bob", now=400)

    assert [e.at for e in log.entries()] == [400, 300, 200, 100]  # newest first
    assert [e.action for e in log.entries(object_type="case", object_id=1)] == ["note.add", "case.create"]
    assert [e.object_id for e in log.entries(actor="alice")] == ["2", "1"]
    assert [e.at for e in log.entries(action="case")] == [300, 100]  # "case" matches "case.create"
    assert log.entries(action="cas") == []  # but not any prefix
    assert [e.at for e in log.entries(since=200, until=300)] == [300, 200]
    assert log.count(object_type="case") == 3
    assert [e.at for e in log.entries(limit=2, offset=1)] == [300, 200]


def test_details_keep_mappings_and_plain_text(any_store):
    log = AuditLog(any_store)
    log.record("alice", "case.update", "case", 5, {"status": ["open", "closed"]}, now=1)
    log.record("alice", "note.add", "case", 5, "<script>alert(1)</script>", now=2)
    text, mapping = log.entries(object_id=5)
    assert mapping.detail_dict == {"status": ["open", "closed"]}
    assert text.detail_dict == {"text": "<script>alert(1)</script>"}
    assert text.to_dict()["actor"] == "alice" and text.to_dict()["object_type"] == "case"


def test_an_entry_recorded_in_a_failed_transaction_is_not_kept(any_store):
    with pytest.raises(RuntimeError), any_store.engine.begin() as conn:
        record(conn, "alice", "case.delete", "case", 9)
        raise RuntimeError("the change failed")
    assert AuditLog(any_store).count() == 0
    with any_store.engine.begin() as conn:
        record(conn, "alice", "case.delete", "case", 9)
    with any_store.engine.connect() as conn:
        assert conn.execute(sa.select(sa.func.count()).select_from(audit_log)).scalar_one() == 1


def test_an_entry_needs_an_action_and_an_object_type(store):
    with pytest.raises(TracingError, match="action"):
        AuditLog(store).record("alice", "", "case", 1)


def test_user_changes_from_the_command_line_are_audited(store, monkeypatch):
    from tracing.cli import main

    monkeypatch.setenv("TRACING_PASSWORD", "a good long password")
    for argv in (["add", "eve", "--role", "viewer"], ["passwd", "eve"], ["token", "eve"], ["tokens", "eve"]):
        assert main(["--database", store.url, "users", *argv]) == 0
    assert main(["--database", store.url, "users", "revoke-tokens", "eve"]) == 0
    entries = AuditLog(store).entries(object_type="user", object_id="eve")
    assert [e.action for e in entries] == ["user.revoke-tokens", "user.token", "user.passwd", "user.add"]
    assert entries[-1].detail_dict == {"role": "viewer"} and entries[0].actor.startswith("cli")
