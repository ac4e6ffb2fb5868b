"""The bench script runs at a tiny size and prints its figures."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_bench_prints_figures():
    result = subprocess.run(
        [sys.executable, "bench/matching.py", "--opportunities", "300", "--suppliers", "300", "--queries", "10"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
    )  # fmt: skip
    out = result.stdout
    assert "construction de l'index des opportunités (300) :" in out and "(CPU " in out
    assert "opportunités pour un fournisseur (10 requêtes) : p50" in out and "p95" in out
    assert "fournisseurs pour un besoin (10 requêtes) : p50" in out
    assert out.count("temps CPU par requête : moyenne") == 2
    assert "mémoire maximale (RSS)" in out
    assert "charge de la machine (load average 1/5/15 min)" in out
