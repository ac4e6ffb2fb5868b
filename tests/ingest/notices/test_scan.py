import json

from tremplin.ingest.notices.scan import main

from .conftest import BOAMP_JSON, requires_data


@requires_data
def test_scan_prints_counts(capsys):
    assert main([str(BOAMP_JSON / "ad_summary_34_notices.json"), str(BOAMP_JSON / "20-152081.json")]) == 0
    out = capsys.readouterr().out
    assert "ad_summary_34_notices.json: 34 avis" in out and "summary_only" in out
    assert main(["--json", str(BOAMP_JSON / "20-152081.json")]) == 0
    row = json.loads(capsys.readouterr().out)
    assert row["notices"] == 1 and row["formats"] == {"boamp_json": 1} and "no_cpv" in row["flagged"]


@requires_data
def test_scan_a_directory(capsys):
    assert main(["--aggregate", "--json", str(BOAMP_JSON)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(rows) == 1 and rows[0]["notices"] == 35 and rows[0]["members"] == 2


def test_scan_reports_rejections(tmp_path, capsys):
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    assert main([str(empty), "--show", "empty_file"]) == 0
    captured = capsys.readouterr()
    assert "rejet  empty_file" in captured.out and "[empty_file]" in captured.err
