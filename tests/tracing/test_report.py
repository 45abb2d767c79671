"""Reports of the demo case: contents read back from the HTML and from the PDF's text, verification, tampering."""

import json
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest

from tracing.cases import Cases
from tracing.cli import main
from tracing.labels import Label
from tracing.labels.snapshot import snapshot_version
from tracing.model import Chain
from tracing.report import canonical_hash, case_evidence, render_html, render_pdf, verify
from tracing.sources import demo
from tracing.store import Store

WORLD = demo.build_demo()
THIEF, VICTIM = WORLD.cast["thief"], WORLD.cast["victim"]
DEPOSITS = [WORLD.cast[f"deposit_{k}"] for k in range(1, 6)]
GARANTEX = "TFwjPScaJRCbSWVAywE1S1WgaUgSnyYUbD"
ATTACK = "<script>alert('x')</script><img src=x onerror=alert(1)>"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The demo case (thief scored, theft traced, one transfer, notes) and its two reports."""
    folder = tmp_path_factory.mktemp("report")
    store = Store(f"sqlite:///{folder / 'r.db'}")
    demo.load_demo(store)
    store.add_labels([Label(Chain.TRON, WORLD.cast["mule_1_1"], f"Shady {ATTACK}", "scam", f"tips {ATTACK}")])
    cases = Cases(store)
    case = cases.create("alice", f"USDT theft {ATTACK}", "Victim *reported* the theft.", "theft")
    cases.add_item("alice", case.id, "address", THIEF)
    cases.add_item("alice", case.id, "trace", VICTIM, params={"tx": WORLD.theft_tx, "model": "poison"})
    cases.add_item("alice", case.id, "transfer", THIEF, ref=f"{WORLD.theft_tx}:0")
    cases.add_note("alice", case.id, f"Note with **bold** and {ATTACK}")
    cases.add_note("bob", case.id, "Mule forwards [within minutes](javascript:alert(1))", address=DEPOSITS[0])
    evidence = case_evidence(store, case.id, investigator="alice")
    html_path, pdf_path = folder / "case.html", folder / "case.pdf"
    html_path.write_bytes(render_html(evidence, base_url="http://127.0.0.1:8050"))
    pdf_path.write_bytes(render_pdf(evidence))
    yield {"evidence": evidence, "html": html_path, "pdf": pdf_path, "store": store, "case": case, "folder": folder}
    store.close()


class Page(HTMLParser):
    """Tags, attributes and visible text of an HTML document."""

    def __init__(self, text: str):
        super().__init__()
        self.tags, self.text, self._in_script = [], [], False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag in ("script", "style")

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if not self._in_script:
            self.text.append(data)

    @property
    def visible(self) -> str:
        return " ".join(" ".join(self.text).split())


def test_html_report_holds_rating_score_addresses_exits_notes_and_hash(made):
    page = Page(made["html"].read_text())
    text, sha = page.visible, made["evidence"].sha256
    assert "Risk rating high" in text and "23.7 / 100" in text
    assert THIEF in text and all(d in text for d in DEPOSITS) and GARANTEX in text
    assert (
        "229,985.00 USDT reached 5 exit(s)" in text
    )  # visible text folds the no-break spaces and "1 sanctioned destination(s)" in text
    assert "GARANTEX EUROPE OU" in text and "Demo Exchange" in text and "OFAC SDN" in text
    assert sha in text and made["evidence"].doc["report"]["report_id"] in text
    assert '"model": "poison"' in text and "case.add_trace" in text  # parameters used, audit trail
    shipped = [s for s in made["evidence"].doc["provenance"]["label_sources"] if s["source"] == "OFAC SDN"]
    assert [s["list_version"] for s in shipped] == [snapshot_version()]  # the list screening used, though not stored
    for title in ("Summary of findings", "Flow of funds", "Notes", "Data provenance", "Audit trail", "Contents"):
        assert title in text
    embedded = next(t for t in page.tags if t == ("script", {"type": "application/json", "id": "evidence"}))
    assert embedded
    doc = json.loads(re.search(r'id="evidence">(.*?)</script>', made["html"].read_text(), re.S).group(1))
    assert canonical_hash(doc) == sha


def test_html_report_is_self_contained_and_user_text_stays_text(made):
    source = made["html"].read_text()
    page = Page(source)
    assert [t for t, a in page.tags if t == "script" and "src" in a] == []  # plotly.js is inside
    assert [t for t, a in page.tags if t == "img"] == []
    assert [t for t, a in page.tags if t == "link"] == []
    external = {a["href"] for t, a in page.tags if t == "a" and a.get("href", "").startswith("http")}
    assert external and all(h.startswith("http://127.0.0.1:8050/address/tron/") for h in external)
    assert ("meta", {"http-equiv": "Content-Security-Policy"}) not in page.tags
    csp = next(a["content"] for t, a in page.tags if t == "meta" and a.get("http-equiv"))
    assert "default-src 'none'" in csp and "http" not in csp
    # Injection in the case title and in notes appears as text, never as markup.
    assert page.visible.count("<script>alert('x')</script><img src=x onerror=alert(1)>") >= 3  # title, note, label
    assert f"Shady {ATTACK}" in page.visible
    assert all(a.get("onerror") is None for _, a in page.tags)
    assert "javascript:" not in {a.get("href", "") for t, a in page.tags if t == "a"}
    assert [(t, a) for t, a in page.tags if t == "script" and a.get("type") != "application/json"] == [
        ("script", {}),
        ("script", {}),
    ]  # plotly.js and the drawing code, nothing from the data


def test_transfers_of_note_name_who_is_at_each_end(made):
    store, cases = made["store"], Cases(made["store"])
    mine = store.transfers_of(Chain.TRON, THIEF)
    paid = int(next(i for i, to in enumerate(mine.receiver) if to == GARANTEX))
    case = cases.create("alice", "Garantex payment", "", "theft")
    cases.add_item("alice", case.id, "transfer", THIEF, ref=f"{mine.tx_hash[paid]}:{mine.index[paid]}")
    evidence = case_evidence(store, case.id, investigator="alice")
    (note,) = evidence.doc["transfers"]
    assert note["from_labels"] == [] and [lb["category"] for lb in note["to_labels"]] == ["sanctioned"]
    assert "SANCTIONED: GARANTEX EUROPE OU" in Page(render_html(evidence).decode()).visible


@pytest.fixture(scope="module")
def pdf_text(made):
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed; .ci/run installs it")
    return subprocess.run(["pdftotext", str(made["pdf"]), "-"], capture_output=True, text=True, check=True).stdout


def test_pdf_report_holds_rating_score_addresses_exits_hash_pages_and_contents(made, pdf_text):
    squeezed = "".join(pdf_text.split())  # cells wrap long addresses and hashes across lines
    assert "Riskratinghigh" in squeezed and "23.7/100" in squeezed
    assert THIEF in squeezed and all(d in squeezed for d in DEPOSITS) and GARANTEX in squeezed
    assert made["evidence"].sha256 in squeezed
    pages = int(re.search(r"Page 1 of (\d+)", pdf_text).group(1))
    assert pages >= 5 and f"Page {pages} of {pages}" in pdf_text
    contents = re.search(r"Contents(.*?)Page 2 of", pdf_text, re.S).group(1)
    assert re.search(r"Flow of funds\s*\.+\s*\d+", contents) and re.search(r"Integrity\s*\.+\s*\d+", contents)
    assert "<script>alert('x')</script>" in pdf_text.replace("\n", "")


def test_pdf_charts_are_vector_pictures(made):
    content = made["pdf"].read_bytes()
    assert b"/Subtype /Image" not in content  # no raster pictures: the charts and the graph are vector paths
    assert verify(made["pdf"]).ok


@pytest.mark.parametrize("kind", ["html", "pdf"])
def test_reports_verify_and_any_change_fails(made, kind, tmp_path):
    path = made[kind]
    result = verify(path)
    assert result.ok and result.evidence_sha256 == made["evidence"].sha256
    content = path.read_bytes()
    changed = tmp_path / f"changed.{kind}"
    middle = len(content) // 2
    changed.write_bytes(content[:middle] + bytes([content[middle] ^ 1]) + content[middle + 1 :])
    assert not verify(changed).ok
    changed.write_bytes(content.rsplit(b"\n", 2)[0] + b"\n")  # seal cut off
    assert "no report seal" in verify(changed).problems[0]


def test_html_evidence_changed_and_resealed_still_fails(made, tmp_path):
    from tracing.report.seal import seal

    body = made["html"].read_bytes().rsplit(b"\n<!-- tracing-report-seal", 1)[0]
    forged = body.replace(b'"final_score": 23.67', b'"final_score": 3.67', 1)
    assert forged != body
    path = tmp_path / "forged.html"
    path.write_bytes(seal(forged, made["evidence"].sha256, "html"))
    assert verify(path).problems == ["the embedded evidence data changed (its SHA-256 does not match the report's)"]


def test_cli_writes_and_verifies_reports(made, capsys, tmp_path):
    db = f"sqlite:///{made['folder'] / 'r.db'}"
    out = tmp_path / "thief.html"
    assert main(["--database", db, "report", THIEF, "-o", str(out), "--investigator", "carol"]) == 0
    assert "HTML report written" in capsys.readouterr().out
    assert Page(out.read_text()).visible.count(THIEF) >= 2
    assert main(["--database", db, "report", "verify", str(out)]) == 0
    assert "OK: html report" in capsys.readouterr().out
    assert main(["--database", db, "report", "verify", str(made["pdf"])]) == 0
    broken = tmp_path / "broken.html"
    broken.write_bytes(out.read_bytes().replace(b"carol", b"mallory", 1))
    assert main(["--database", db, "report", "verify", str(broken)]) == 1
    assert "FAILED" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "-o", "x.html"], "one ADDRESS or --case"),
        (["report", THIEF, "--case", "1", "-o", "x.html"], "one ADDRESS or --case"),
        (["report", THIEF, "-o", "x.txt"], "--format html or pdf"),
        (["report", THIEF], "-o FILE"),
        (["report", "--case", "99", "-o", "x.html"], "no case #99"),
        (["report", "verify"], "usage"),
        (["report", "verify", "/nonexistent.html"], "no such file"),
    ],
)
def test_cli_report_errors_are_one_line(made, argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    db = f"sqlite:///{made['folder'] / 'r.db'}"
    assert main(["--database", db, *argv]) in (1, 2)
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
