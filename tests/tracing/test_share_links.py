"""Share-link lifecycle: valid, expired, revoked, tampered, wrong case, another server's key."""

import pytest

from tracing.audit import AuditLog
from tracing.cases import Cases, ShareLinks
from tracing.errors import BadParameters, CaseNotFound, ShareLinkGone, ShareLinkInvalid

DAY = 86_400


@pytest.fixture
def shared(store):
    cases = Cases(store)
    case, other = cases.create("alice", "Theft", now=0), cases.create("alice", "Other", now=0)
    links = ShareLinks(store, secret="server key")
    link, token = links.create("alice", case.id, now=1_000)
    return links, case, other, link, token


def test_a_link_opens_its_case_until_it_expires_default_seven_days(shared):
    links, case, _, link, token = shared
    assert link.expires_at == 1_000 + 7 * DAY
    assert links.resolve(token, case.id, now=1_000).id == link.id
    assert links.resolve(token, case.id, now=1_000 + 7 * DAY - 1).state(1_000) == "active"
    with pytest.raises(ShareLinkGone, match="expired"):
        links.resolve(token, case.id, now=1_000 + 7 * DAY)


def test_a_revoked_link_is_gone_and_stays_listed(store, shared):
    links, case, _, link, token = shared
    revoked = links.revoke("bob", case.id, link.id, now=2_000)
    assert (revoked.revoked_at, revoked.revoked_by, revoked.state(2_000)) == (2_000, "bob", "revoked")
    with pytest.raises(ShareLinkGone, match="revoked"):
        links.resolve(token, case.id, now=2_001)
    assert [x.id for x in links.links(case.id)] == [link.id]
    actions = [(e.actor, e.action) for e in AuditLog(store).entries(object_id=case.id)]
    assert actions[:2] == [("bob", "case.unshare"), ("alice", "case.share")]


@pytest.mark.parametrize(
    "tamper",
    [
        lambda t: "",
        lambda t: "garbage",
        lambda t: t + "x",
        lambda t: t[:-1] + "é",  # not ASCII
        lambda t: "1.1.99999999999.sig",
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: ".".join([*t.split(".")[:2], str(int(t.split(".")[2]) + 30 * DAY), t.split(".")[3]]),  # longer life
        lambda t: ".".join([str(int(t.split(".")[0]) + 1), *t.split(".")[1:]]),  # another link's id
    ],
)
def test_a_tampered_token_is_refused(shared, tamper):
    links, case, _, _, token = shared
    with pytest.raises(ShareLinkInvalid):
        links.resolve(tamper(token), case.id, now=1_000)


def test_a_token_for_another_case_or_from_another_key_is_refused(store, shared):
    links, case, other, _, token = shared
    with pytest.raises(ShareLinkInvalid, match=f"opens case #{case.id}, not case #{other.id}"):
        links.resolve(token, other.id, now=1_000)
    with pytest.raises(ShareLinkInvalid, match="signature"):
        ShareLinks(store, secret="another key").resolve(token, case.id, now=1_000)


def test_link_lifetimes_and_cases_are_checked(store, shared):
    links, case, *_ = shared
    for days in (0, -1, 91, "soon"):
        with pytest.raises(BadParameters, match="days"):
            links.create("alice", case.id, days=days)
    with pytest.raises(CaseNotFound):
        links.create("alice", 999)
    with pytest.raises(CaseNotFound):
        links.revoke("alice", case.id + 1, 1)
    link, token = links.create("alice", case.id, days=0.5, now=0)
    assert link.expires_at == DAY // 2 and links.token(link) == token
