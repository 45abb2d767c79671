"""Small inputs users get wrong: a sanctions list with \\x0b in a name, a mistyped --database path."""

from tracing.cli import main
from tracing.labels.sanctions import load_sanctions_file
from tracing.sources import demo

THIEF = demo.demo_address(demo.Chain.TRON, "thief")


def test_a_vertical_tab_in_a_name_does_not_split_the_row(tmp_path):
    path = tmp_path / "sdn.csv"
    path.write_text(
        "asset,address,sdn_fixed_ref,sdn_primary_name,programs,entry_date\n"
        f"TRX,{THIEF},12345,ACME\x0bTRADING LTD,CYBER2,2024-01-01\n"
    )
    read = load_sanctions_file(path)
    assert read.skipped == []
    assert [label.address for label in read.labels] == [THIEF]
    assert "ACME" in read.labels[0].name + read.labels[0].detail


def test_a_mistyped_database_folder_is_an_error_not_a_new_store(tmp_path, capsys):
    missing = tmp_path / "instanse" / "tracing.db"
    assert main(["--database", f"sqlite:///{missing}", "score", THIEF]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no folder" in err and "check the path" in err
    assert not missing.parent.exists()  # no new store with the demo world in it
