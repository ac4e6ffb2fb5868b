"""The benchmark script runs end to end at a tiny size (CI exercises it; figures in bench/README.md)."""

import json
import subprocess
import sys
from pathlib import Path

from tests.ingest.decp.conftest import DATA_DIR, requires_data

ROOT = Path(__file__).resolve().parents[3]


@requires_data
def test_bench_smoke(tmp_path):
    script = str(ROOT / "bench" / "import_decp.py")
    command = [sys.executable, script, "--contracts", "2000", "--work-dir", str(tmp_path), "--data-dir", str(DATA_DIR)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    assert figures["database"] == "sqlite" and figures["records"] > 2000
    for step in ("orjson_loads", "stream_parse", "ijson_parse", "parse_normalise"):
        assert figures[step]["records_per_second"] > 0
    counts = figures["import"]["counts"]
    assert counts["read"] == figures["records"]
    assert counts["created"] + counts["updated"] + counts["duplicates"] + counts["rejected"] == counts["read"]
    assert counts["created"] >= 2000 and counts["shared_ids"] > 0 and counts["flagged"] > 0
    assert figures["import"]["peak_rss_mb"] > 0
