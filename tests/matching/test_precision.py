"""bench/matching_precision.py: its pure parts (labels, precision@10, unlabelled results, the report) and, when asked
(TREMPLIN_PRECISION_SMOKE=1, 15 to 45 s: migrate + imports), a run on 2 real cases."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("TREMPLIN_DATA_DIR") or ROOT.parent / "shared" / "data")

_spec = importlib.util.spec_from_file_location("matching_precision", ROOT / "bench" / "matching_precision.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["matching_precision"] = bench  # dataclasses look their module up
_spec.loader.exec_module(bench)

LABELS = bench.Labels(relevant=frozenset({"a", "b"}), not_relevant=frozenset({"x"}))


@pytest.mark.parametrize(
    "results, precision, relevant, not_relevant, unlabelled",
    [
        (["a", "b", "x"], 2 / 3, ["a", "b"], ["x"], []),  # fewer than 10 results: divided by what was returned
        (["a", "x", "u"], 1 / 3, ["a"], ["x"], ["u"]),  # an unlabelled result counts as not relevant
        (["a"] + [f"x{i}" for i in range(11)] + ["b"], 1 / 10, ["a"], [], [f"x{i}" for i in range(9)]),  # top 10 only
        (["x"], 0.0, [], ["x"], []),
        ([], None, [], [], []),  # nothing returned: no precision (left out of the mean)
    ],
)
def test_score_case(results, precision, relevant, not_relevant, unlabelled):
    score = bench.score_case(results, LABELS)
    assert score.precision == pytest.approx(precision) if precision is not None else score.precision is None
    assert (score.relevant, score.not_relevant, score.unlabelled) == (relevant, not_relevant, unlabelled)


def test_score_case_without_labels_leaves_everything_unlabelled():
    score = bench.score_case(["a", "b"], None)
    assert score.unlabelled == ["a", "b"] and score.precision == 0.0


@pytest.mark.parametrize(
    "place, buyer, foreign",
    [("FR", "", False), ("", "FR", False), ("", "", False), ("DE", "FR", True), ("", "uk", True), ("FR", "BE", False)],
)
def test_is_foreign(place, buyer, foreign):
    assert bench.is_foreign(place, buyer) is foreign


def test_parse_labels():
    labels = bench.parse_labels(
        {"cases": [{"holder_siret": " 123 ", "relevant": ["a"], "not_relevant": ["x", "y"], "note": "why"}]}
    )
    assert labels == {"123": bench.Labels(frozenset({"a"}), frozenset({"x", "y"}), "why")}


@pytest.mark.parametrize(
    "data, message",
    [
        ({}, "liste « cases »"),
        ({"cases": [{"relevant": ["a"]}]}, "« holder_siret » manquant"),
        ({"cases": [{"holder_siret": "1", "relevant": ["a"], "not_relevant": ["a"]}]}, "à la fois pertinent"),
        ({"cases": [{"holder_siret": "1"}, {"holder_siret": "1"}]}, "étiqueté deux fois"),
    ],
)
def test_parse_labels_refuses_inconsistent_files(data, message):
    with pytest.raises(bench.LabelsError, match=message):
        bench.parse_labels(data)


def test_load_labels(tmp_path):
    assert bench.load_labels(tmp_path / "absent.json") == {}
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    with pytest.raises(bench.LabelsError, match="n'est pas du JSON valide"):
        bench.load_labels(broken)


def test_committed_labels_are_consistent_and_explained():
    labels = bench.load_labels(bench.DEFAULT_LABELS)
    assert len(labels) == len(bench.ACTIVITIES)
    assert all(case.note for case in labels.values())
    for case in labels.values():
        assert all(":" in notice for notice in case.relevant | case.not_relevant)  # "<source>:<source id>"


def _output():
    result = {"score": 50.0, "title": "t", "cpv": "", "place": "FR", "reasons": []}
    return {
        "open_notices": 3,
        "variant": "engine",
        "cases": [
            {
                "holder_siret": "1",
                "name": "Alpha",
                "division": "45",
                "activity": "travaux",
                "cpv": [["45000000", "Travaux", ""]],
                "perimeter": ["Toute la France"],
                "results": [{**result, "id": "a"}, {**result, "id": "x", "foreign": True}, {**result, "id": "u"}],
            },
            {
                "holder_siret": "2",
                "name": "Beta",
                "division": "72",
                "activity": "informatique",
                "cpv": [],
                "perimeter": [],
                "results": [],
            },
        ],
    }


def test_report_prints_figures_and_unlabelled_results(capsys):
    summary = bench.report(_output(), {"1": LABELS}, show=True)
    out = capsys.readouterr().out
    assert "[OUI]" in out and "[non]" in out and "[?  ]" in out  # --show marks each result
    assert "Attention : 1 résultat(s) sans étiquette, comptés comme non pertinents." in out
    assert "Sans aucun résultat (hors moyenne) : Beta" in out
    assert "Précision@10 moyenne : 33 % sur 1 cas" in out
    assert summary["mean_precision_at_10"] == pytest.approx(0.333)
    assert summary["unlabelled"] == 1 and summary["answerable_cases"] == 1
    assert [c["precision_at_10"] for c in summary["cases"]] == [pytest.approx(0.333), None]
    assert summary["cases"][0]["foreign"] == 1
    json.dumps(summary)  # the last line of the script


@pytest.mark.skipif(not (DATA_DIR / "reference").is_dir(), reason=f"shared data not found in {DATA_DIR}")
@pytest.mark.skipif(
    os.environ.get("TREMPLIN_PRECISION_SMOKE") != "1",
    reason="15 to 45 s (migrate and imports): set TREMPLIN_PRECISION_SMOKE=1 to run it",
)
def test_script_runs_on_two_real_cases():
    done = subprocess.run(
        [sys.executable, "bench/matching_precision.py", "--cases", "2", "--data-dir", str(DATA_DIR)],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert "Précision@10 moyenne :" in done.stdout
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["open_notices"] > 50
    assert [case["activity"] for case in summary["cases"]] == [bench.ACTIVITIES[0][1], bench.ACTIVITIES[1][1]]
    assert all(case["unlabelled"] == 0 for case in summary["cases"])  # the committed labels cover these cases
