"""The observatory query benchmark runs end to end at a tiny size (CI exercises it; figures in bench/README.md)."""

import json
import subprocess
import sys
from pathlib import Path

from tests.ingest.decp.conftest import DATA_DIR, requires_data

ROOT = Path(__file__).resolve().parents[2]


@requires_data
def test_observatory_bench_smoke(tmp_path):
    script = str(ROOT / "bench" / "observatory_queries.py")
    command = [sys.executable, script, "--contracts", "300", "--repeat", "2", "--work-dir", str(tmp_path),
               "--data-dir", str(DATA_DIR)]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["contracts"] >= 300 and len(figures["queries"]) == 20
    assert figures["filters"]["region"] and figures["filters"]["department"]  # places resolved through referentials
    assert all(0 < row["p50_ms"] <= row["p95_ms"] <= row["max_ms"] for row in figures["queries"])
    assert figures["queries"][0]["size"] == figures["contracts"]  # the unfiltered indicators count everything
    assert not Path(figures["database_location"]).exists()  # the imported database is removed afterwards
