"""Latency of 20 typical observatory queries at a given size (see bench/README.md).

    python bench/observatory_queries.py --contracts 1540000                 # imports a synthetic file first
    python bench/observatory_queries.py --var-dir /tmp/tremplin-bench-XXXX  # reuses a kept SQLite import
    python bench/observatory_queries.py --database-url postgres://…/db      # reuses a kept PostgreSQL import

1. Without a database to reuse, runs `bench/import_decp.py --contracts N --skip-baseline --keep --defer-indexes`.
2. In a child process on that database: builds the observatory's columnar snapshot (DuckDB, timed: the refresh
   every import ends with), then runs each of the 20 queries (`observatory.queries.indicators` / `breakdown`,
   the functions behind the pages and the API) `--repeat` times **with the result cache cleared before each run**
   (what a first visitor waits for), and once more cached.
3. Prints p50 / p95 / max per query and over all runs, peak RSS of the child, and one JSON line.
"""

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))


def percentile(values: list[float], fraction: float) -> float:
    """Nearest-rank percentile (no interpolation): the value below which ``fraction`` of the runs fall."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil(n × fraction), at least 1
    return ordered[int(rank) - 1]


def queries(top: dict) -> list[tuple[str, str, dict, dict]]:
    """(name, by, filters, options): by is "" for the indicators, else a breakdown dimension."""
    year, region, department, buyer, holder = top["year"], top["region"], top["department"], top["buyer"], top["holder"]
    return [
        ("indicateurs — tout", "", {}, {}),
        ("indicateurs — année", "", {"year": year}, {}),
        ("indicateurs — région", "", {"region": region}, {}),
        ("indicateurs — département", "", {"department": department}, {}),
        ("indicateurs — CPV 45", "", {"cpv": "45"}, {}),
        ("indicateurs — acheteur", "", {"buyer": buyer}, {}),
        ("indicateurs — titulaire", "", {"holder": holder}, {}),
        ("indicateurs — dép. + année + CPV", "", {"department": department, "year": year, "cpv": "45"}, {}),
        ("indicateurs — avec suspects", "", {"include_suspicious": True}, {}),
        ("répartition — années", "year", {}, {}),
        ("répartition — mois d'une année", "month", {"year": year}, {}),
        ("répartition — régions", "region", {}, {}),
        ("répartition — départements", "department", {}, {}),
        ("répartition — divisions CPV", "cpv_division", {}, {}),
        ("répartition — acheteurs", "buyer", {}, {}),
        ("répartition — titulaires", "holder", {}, {}),
        ("répartition — procédures d'une région", "procedure", {"region": region}, {}),
        ("répartition — natures, CPV 45", "nature", {"cpv": "45"}, {}),
        ("répartition — tailles d'un département", "size_category", {"department": department}, {}),
        ("répartition — acheteurs, dép. + année, page 2", "buyer", {"department": department, "year": year},
         {"offset": 20}),
    ]  # fmt: skip


def child(repeat: int, reuse_snapshot: bool = False) -> dict:
    """Runs inside the benchmarked environment (Django set up on the kept database)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
    django.setup()
    from tremplin.contracts.models import Contract
    from tremplin.observatory import queries as q
    from tremplin.observatory.filters import Filters
    from tremplin.observatory.snapshot import refresh_snapshot, snapshot_path

    contracts = Contract.objects.count()
    started = time.perf_counter()
    if reuse_snapshot:
        from tremplin.observatory import snapshot

        snapshot.cursor().close()  # opens the current snapshot; builds it only when missing or stale
    else:
        refresh_snapshot()
    build_seconds = time.perf_counter() - started
    size_mb = snapshot_path().stat().st_size / 1e6

    def first_key(by: str, **filters) -> str:
        rows = q.breakdown(by, Filters(**filters), limit=5)["rows"]
        keys = [row["key"] for row in rows if row["key"] not in ("", "unknown", None)]
        return str(keys[0]) if keys else ""

    top = {
        "year": int(first_key("year") or 2023),
        "region": first_key("region"),
        "department": first_key("department"),
        "buyer": first_key("buyer"),
        "holder": first_key("holder"),
    }
    results = []
    every = []
    for name, by, filters, options in queries(top):
        f = Filters(**filters)
        times = []
        for _ in range(repeat):
            q.clear_cache()
            started = time.perf_counter()
            answer = q.indicators(f) if not by else q.breakdown(by, f, limit=20, **options)
            times.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        q.indicators(f) if not by else q.breakdown(by, f, limit=20, **options)
        cached = (time.perf_counter() - started) * 1000
        size = answer["contracts"] if not by else len(answer["rows"])
        every += times
        results.append({
            "query": name, "p50_ms": round(percentile(times, 0.5), 2), "p95_ms": round(percentile(times, 0.95), 2),
            "max_ms": round(max(times), 2), "cached_ms": round(cached, 3), "size": size,
        })  # fmt: skip
    return {
        "contracts": contracts,
        "snapshot_build_seconds": round(build_seconds, 1),
        "snapshot_mb": round(size_mb, 1),
        "filters": top,
        "repeat": repeat,
        "queries": results,
        "p50_ms": round(percentile(every, 0.5), 2),
        "p95_ms": round(percentile(every, 0.95), 2),
        "max_ms": round(max(every), 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "load_average": [round(x, 2) for x in os.getloadavg()],  # other work on the machine while measuring
    }


def kept_import(args) -> dict:
    command = [sys.executable, str(ROOT / "bench" / "import_decp.py"), "--contracts", str(args.contracts),
               "--skip-baseline", "--keep", "--defer-indexes"]  # fmt: skip
    if args.work_dir:
        command += ["--work-dir", str(args.work_dir)]
    if args.data_dir:
        command += ["--data-dir", str(args.data_dir)]
    if args.database_server:
        command += ["--database-url", args.database_server]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        print(result.stdout[-3000:], result.stderr[-3000:], file=sys.stderr)
        raise SystemExit("l'import préalable a échoué")
    return json.loads(result.stdout.strip().splitlines()[-1])["kept"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20_000, help="size of the synthetic import, if one is run")
    parser.add_argument("--var-dir", type=Path, help="reuse the SQLite database kept by bench/import_decp.py --keep")
    parser.add_argument("--database-url", help="reuse this PostgreSQL database (kept by import_decp.py --keep)")
    parser.add_argument("--database-server", help="run the import on this PostgreSQL server (a new database)")
    parser.add_argument("--work-dir", type=Path, help="import_decp.py --work-dir")
    parser.add_argument("--data-dir", type=Path, help="import_decp.py --data-dir")
    parser.add_argument("--repeat", type=int, default=20, help="uncached runs of each query")
    parser.add_argument("--keep", action="store_true", help="keep the database this script imported")
    parser.add_argument("--reuse-snapshot", action="store_true", help="do not rebuild a current snapshot")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(child(args.repeat, args.reuse_snapshot)))
        return 0

    reused = bool(args.var_dir or args.database_url)
    if reused:
        kept = {"var_dir": str(args.var_dir or ""), "database_url": args.database_url or ""}
    else:
        kept = kept_import(args)
    try:
        figures = measure(kept, args.repeat, args.reuse_snapshot)
    finally:
        if not reused and not args.keep:
            forget(kept, args.database_server)
    report(figures)
    return 0


def forget(kept: dict, server: str | None) -> None:
    """Remove the database this script imported (SQLite folder, or the PostgreSQL database on ``server``)."""
    if kept["var_dir"]:
        shutil.rmtree(kept["var_dir"], ignore_errors=True)
    if kept["database_url"] and server:
        from urllib.parse import urlsplit

        from import_decp import postgres_database

        postgres_database(server, urlsplit(kept["database_url"]).path.lstrip("/"), create=False)


def measure(kept: dict, repeat: int, reuse_snapshot: bool = False) -> dict:
    env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-" + "x" * 60, ALLOWED_HOSTS="localhost")
    scratch = None if kept["var_dir"] else tempfile.mkdtemp(prefix="tremplin-bench-")  # the snapshot only
    env["TREMPLIN_VAR_DIR"] = kept["var_dir"] or scratch
    if kept["database_url"]:
        env["DATABASE_URL"] = kept["database_url"]
    else:
        env.pop("DATABASE_URL", None)
    command = [sys.executable, str(Path(__file__).resolve()), "--child", "--repeat", str(repeat)]
    if reuse_snapshot:
        command.append("--reuse-snapshot")
    try:
        result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=ROOT)
    finally:
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)
    if result.returncode != 0:
        print(result.stderr[-3000:], file=sys.stderr)
        raise SystemExit("les requêtes ont échoué")
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    figures["database"] = "postgresql" if kept["database_url"] else "sqlite"
    figures["database_location"] = kept["database_url"] or kept["var_dir"]
    return figures


def report(figures: dict) -> None:
    print(
        f"{figures['contracts']:,} marchés — instantané construit en {figures['snapshot_build_seconds']} s "
        f"({figures['snapshot_mb']} Mo), {figures['repeat']} exécutions sans cache par requête".replace(",", " ")
    )
    print(f"{'requête':48} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'en cache':>9}")
    for row in figures["queries"]:
        print(f"{row['query']:48} {row['p50_ms']:8.1f} {row['p95_ms']:8.1f} {row['max_ms']:8.1f} "
              f"{row['cached_ms']:9.2f}")  # fmt: skip
    print(f"{'toutes':48} {figures['p50_ms']:8.1f} {figures['p95_ms']:8.1f} {figures['max_ms']:8.1f}")
    print(f"RSS max {figures['peak_rss_mb']} Mo — charge de la machine (1, 5, 15 min) : {figures['load_average']}")
    print(json.dumps(figures))


if __name__ == "__main__":
    sys.exit(main())
