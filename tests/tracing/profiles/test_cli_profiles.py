"""``tracing profiles train|show|fit-table`` end to end, and the original profiler's table."""

import json
from pathlib import Path

import numpy as np
import pytest

from tracing.cli import main
from tracing.profiles.model import AS_GIVEN, FORMAT, cluster_metrics
from tracing.sources import demo

THIEF = demo.demo_address(demo.Chain.TRON, "thief")
MULE = demo.demo_address(demo.Chain.TRON, "mule_2_2")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    folder = tmp_path_factory.mktemp("profiles")
    db, model = f"sqlite:///{folder / 'cli.db'}", str(folder / "model.joblib")
    assert main(["--database", db, "profiles", "train", "--model", model, "--algorithm", "average", "--k", "4-7"]) == 0
    return db, model


def test_train_saves_the_measured_model_with_its_summary(trained):
    summary = json.loads(Path(trained[1]).with_suffix(".json").read_text())
    assert summary["training"]["addresses"] == 361 and summary["training"]["transfers"] > 7000
    assert summary["training"]["chains"] == ["bitcoin", "ethereum", "solana", "tron"]
    assert summary["algorithm"] == "average" and {c["name"] for c in summary["clusters"]} >= {
        "exchange / service hub",
        "pass-through mule",
        "sanctions-exposed",
        "ordinary wallet",
    }
    assert len(summary["candidates"]) == 4 and summary["version"].startswith(f"profiles-{FORMAT}/")


def test_show_describes_an_address_from_its_stored_transfers(trained, capsys):
    db, model = trained
    assert main(["--database", db, "profiles", "show", MULE, "--model", model, "--json"]) == 0
    profile = json.loads(capsys.readouterr().out)
    assert profile["name"] == "pass-through mule" and len(profile["similar"]) == 5
    assert profile["trained_on"]["addresses"] == 361 and profile["trained_on"]["transfers"] > 7000
    assert main(["--database", db, "profiles", "show", THIEF, "--model", model]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Profile: sanctions-exposed") and "Most similar stored addresses:" in text


def test_show_without_a_model_or_with_a_bad_address_says_what_to_do(trained, tmp_path, capsys):
    db, _ = trained
    assert main(["--database", db, "profiles", "show", THIEF, "--model", str(tmp_path / "none.joblib")]) == 1
    assert "train one with 'tracing profiles train'" in capsys.readouterr().err
    assert main(["--database", db, "profiles", "show", "Tnot-an-address", "--model", trained[1]]) == 2
    assert capsys.readouterr().err.startswith("error: ")


def _table(path, rows):
    path.write_text("".join(",".join(map(str, r)) + "\n" for r in rows))
    return str(path)


def test_fit_table_writes_one_cluster_per_row_in_order(tmp_path, capsys):
    rng = np.random.default_rng(5)
    rows = np.vstack([rng.normal(0, 0.2, (30, 3)), rng.normal(5, 0.2, (30, 3))])[rng.permutation(60)]
    out = tmp_path / "out.csv"
    args = ["profiles", "fit-table", _table(tmp_path / "t.csv", rows), "--assignments", str(out), "--json"]
    assert main([*args, "--algorithm", "kmeans", "--algorithm", "ward"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert {"algorithm", "k", "silhouette", "stability", "clusters"} <= set(result)
    assert result["k"] == 2 and sorted(c["size"] for c in result["clusters"]) == [30, 30]
    ids = np.array(out.read_text().split(), dtype=int)
    assert len(ids) == 60 and len(set(ids[rows[:, 0] > 2.5])) == 1 and len(set(ids[rows[:, 0] < 2.5])) == 1


@pytest.mark.parametrize(
    ("content", "extra", "message"),
    [
        ("1,2\n3\n" + "1,2\n" * 10, [], "line 2: expected 2 values, found 1"),
        ("1,x\n" + "1,2\n" * 10, [], "must be a number"),
        ("1,2\n" * 11, ["--k", "1"], "k: must be at least 2"),
        ("1,2\n" * 11, ["--pca", "1.5"], "pca: expected a share"),
        ("1,2\n" * 3, [], "need at least 10 rows"),
    ],
)
def test_fit_table_refuses_bad_input_in_one_line(tmp_path, capsys, content, extra, message):
    (tmp_path / "t.csv").write_text(content)
    args = ["profiles", "fit-table", str(tmp_path / "t.csv"), "--assignments", str(tmp_path / "o.csv")]
    assert main([*args, *extra]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert not (tmp_path / "o.csv").exists()


def test_fit_table_measures_both_silhouettes_in_the_tables_own_space(tmp_path, capsys):
    rng = np.random.default_rng(1)  # two groups apart on the first column, wide noise on the others
    rows = np.column_stack([np.repeat([0.0, 3.0], 60) + rng.normal(0, 0.3, 120), rng.normal(0, 2, (120, 2))])
    out = tmp_path / "out.csv"
    args = ["profiles", "fit-table", _table(tmp_path / "t.csv", rows), "--assignments", str(out), "--k", "2-3"]
    assert main([*args, "--algorithm", "kmeans", "--pca", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    labels = np.array(out.read_text().split(), dtype=int)
    assert result["silhouette"] == cluster_metrics(rows, labels)["silhouette"]  # the labels, in the table's space
    assert result["space"] == result["original"]["space"] == "the table's own space (its columns as given)"
    assert result["model_space"]["space"] == "the features reduced by PCA to 1 of 3 components"
    assert result["model_space"]["silhouette"] > result["silhouette"] + 0.2  # a flattering, incomparable figure
    assert main([*args, "--algorithm", "kmeans", "--pca", "1"]) == 0
    text = capsys.readouterr().out
    assert "Silhouettes measured in the table's own space" in text and "not comparable" in text


def test_the_original_profilers_table_its_silhouette_and_ours(shared_data, tmp_path, capsys):
    table = shared_data / "profiles" / "mlnd_feature_table.csv"
    out = tmp_path / "out.csv"
    args = ["profiles", "fit-table", str(table), "--assignments", str(out), "--json", "--k", "2-4"]
    assert main([*args, "--algorithm", "kmeans", "--algorithm", "gmm"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["original"]["silhouette"] == pytest.approx(0.383, abs=0.001)  # the original's k-means, k=4
    assert result["space"] == result["original"]["space"] and result["model_space"]["space"] == AS_GIVEN
    assert result["rows"] == 7858 and len(out.read_text().split()) == 7858
    assert result["silhouette"] > result["original"]["silhouette"] + 0.05 and result["stability"] >= 0.9
    assert result["original"]["stability"] < 0.9  # the original's k = 4 fails the selection's stability rule


def test_the_score_json_carries_the_profile(trained, tmp_path, capsys, monkeypatch):
    db, model = trained
    monkeypatch.setenv("PROFILES_MODEL", str(tmp_path / "none.joblib"))
    assert main(["--database", db, "score", THIEF, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["profile"] is None
    monkeypatch.setenv("PROFILES_MODEL", model)
    assert main(["--database", db, "score", THIEF, "--json"]) == 0
    profile = json.loads(capsys.readouterr().out)["profile"]
    assert profile["name"] == "sanctions-exposed" and len(profile["similar"]) == 5
