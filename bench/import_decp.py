"""Benchmark of `tremplin import_decp` on a synthetic national-size DECP file (see bench/README.md).

    python bench/import_decp.py --contracts 1540000 [--database-url postgres://…] [--defer-indexes]

1. Generates (or reuses) `var/bench/decp-<N>.json` with bench/synthetic_decp.py (2019 JSON format).
2. Baselines, each in its own process: `orjson.loads` of the whole file (what the issue compares to), the
   streaming parse alone (the importer's reader: standard library + orjson fast path), ijson's streaming parse,
   and reading + normalising without a database (the producer side of the import).
3. The import itself, in a child process, into a fresh database: SQLite in a temporary folder by default, or a new
   database created on the PostgreSQL server of `--database-url` (dropped afterwards unless `--keep`).
Prints wall time, records/s and peak RSS of each step (largest process, from `wait4`; for the import also the
peak of the two processes together, sampled from /proc), then one JSON line with everything.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import synthetic_decp  # noqa: E402

BASELINES = {
    "orjson_loads": """
import orjson, sys
data = orjson.loads(open(sys.argv[1], "rb").read())
print(len(data["marches"]))
""",
    "orjson_loads_nogc": """
import gc, orjson, sys
gc.disable()  # the same without the cyclic collector, which rescans the growing heap while objects pile up
data = orjson.loads(open(sys.argv[1], "rb").read())
print(len(data["marches"]))
""",
    "stream_parse": """
import sys
from tremplin.ingest.decp.reader import read_path
print(sum(1 for _ in read_path(sys.argv[1])))
""",
    "ijson_parse": """
import ijson, sys
with open(sys.argv[1], "rb") as handle:
    print(sum(1 for _ in ijson.items(handle, "marches.item", use_float=True)))
""",
    "parse_normalise": """
import sys
from tremplin.ingest.decp_import.producer import Job, produce
class Count:
    records = 0
    def send(self, message):
        if message[0] == "batch":
            self.records += len(message[1])
    def ask(self, message):
        return 0
    def control(self, share):
        return share
channel = Count()
produce(Job((sys.argv[1],)), channel)
print(channel.records)
""",
}


def rss_of_tree(pid: int) -> int:
    """Resident memory (bytes) of a process and its children, from /proc."""
    total = 0
    pids = [pid]
    try:
        for task in Path(f"/proc/{pid}/task").iterdir():
            pids += [int(child) for child in (task / "children").read_text().split()]
    except OSError:
        pass
    for each in pids:
        try:
            for line in Path(f"/proc/{each}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def run(command: list[str], env: dict | None = None, sample: bool = False) -> dict:
    """Run a command; wall time, exit status, stdout, and the peak RSS of its largest process (``wait4``: the
    child and the descendants it waited for), plus the sampled peak of the whole tree when ``sample``."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    peak_tree = 0
    output: dict[str, bytes] = {}

    def read(name, stream):
        output[name] = stream.read()

    readers = [
        threading.Thread(target=read, args=(n, s)) for n, s in (("out", process.stdout), ("err", process.stderr))
    ]
    for reader in readers:
        reader.start()
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG if sample else 0)
        if pid:
            break
        peak_tree = max(peak_tree, rss_of_tree(process.pid))
        time.sleep(0.2)
    process.returncode = os.waitstatus_to_exitcode(status)
    for reader in readers:
        reader.join()
    return {
        "seconds": time.perf_counter() - started,
        "status": process.returncode,
        "stdout": output.get("out", b"").decode(errors="replace"),
        "stderr": output.get("err", b"").decode(errors="replace"),
        "peak_rss_mb": usage.ru_maxrss / 1024,  # Linux: kilobytes
        "peak_tree_rss_mb": peak_tree / 1024 / 1024 if sample else None,
        # CPU seconds of the process and the descendants it waited for (the import's reader process included):
        # on a machine shared with other work, the wall time varies, the CPU time much less.
        "cpu_seconds": usage.ru_utime + usage.ru_stime,
    }


def generate(contracts: int, path: Path, data_dir: Path) -> int:
    if path.exists():
        return sum(1 for line in path.open("rb") if line.startswith(b'{"_type"'))
    print(f"Génération de {contracts:,} marchés synthétiques → {path}…".replace(",", " "), file=sys.stderr)
    return synthetic_decp.write(
        path, synthetic_decp.Generator(contracts, 2026, data_dir), progress=contracts >= 200_000
    )


def postgres_database(url: str, name: str, create: bool) -> str:
    """Create (or drop) database ``name`` on the server of ``url``; returns the URL of that database."""
    import psycopg

    parts = urlsplit(url)
    with psycopg.connect(url, autocommit=True) as connection:
        if create:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
            connection.execute(f'CREATE DATABASE "{name}"')
        else:
            connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    return urlunsplit(parts._replace(path="/" + name))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=20_000, help="distinct contracts (copies and lots added)")
    parser.add_argument("--database-url", help="PostgreSQL server (a fresh database is created on it)")
    parser.add_argument("--file", type=Path, help="DECP file to import instead of the synthetic one")
    parser.add_argument("--work-dir", type=Path, default=ROOT / "var" / "bench", help="where the file is generated")
    parser.add_argument("--data-dir", type=Path, default=synthetic_decp.DEFAULT_DATA_DIR)
    parser.add_argument("--workers", choices=["0", "1"], help="import_decp --workers (default: its own choice)")
    parser.add_argument("--batch-size", type=int, default=5000)
    parser.add_argument("--defer-indexes", action="store_true", help="import_decp --defer-indexes")
    parser.add_argument("--skip-baseline", action="store_true", help="import only")
    parser.add_argument("--keep", action="store_true", help="keep the database (path or name printed)")
    args = parser.parse_args(argv)

    args.work_dir.mkdir(parents=True, exist_ok=True)
    path = args.file or args.work_dir / f"decp-{args.contracts}.json"
    records = generate(args.contracts, path, args.data_dir) if not args.file else None
    size = path.stat().st_size
    results: dict = {"file": str(path), "bytes": size, "records": records, "contracts": args.contracts}
    python = sys.executable

    if not args.skip_baseline:
        for name, code in BASELINES.items():
            step = run([python, "-c", code, str(path)])
            if step["status"] != 0:
                print(step["stderr"], file=sys.stderr)
                raise SystemExit(f"{name} a échoué")
            count = int(step["stdout"].split()[-1])
            results[name] = {
                "seconds": round(step["seconds"], 2),
                "records_per_second": round(count / step["seconds"]),
                "peak_rss_mb": round(step["peak_rss_mb"]),
                "cpu_seconds": round(step["cpu_seconds"], 1),
            }
            print(f"{name:16} {step['seconds']:7.1f} s  {count / step['seconds']:9,.0f} enr./s  "
                  f"RSS max {step['peak_rss_mb']:6,.0f} Mo  CPU {step['cpu_seconds']:6.1f} s"
                  .replace(",", " "))  # fmt: skip

    env = dict(os.environ, DEBUG="false", SECRET_KEY="bench-" + "x" * 60, ALLOWED_HOSTS="localhost")
    temporary = Path(tempfile.mkdtemp(prefix="tremplin-bench-"))
    env["TREMPLIN_VAR_DIR"] = str(temporary)
    database_name = f"tremplin_bench_{os.getpid()}"
    if args.database_url:
        env["DATABASE_URL"] = postgres_database(args.database_url, database_name, create=True)
        results["database"] = "postgresql"
    else:
        env.pop("DATABASE_URL", None)
        results["database"] = "sqlite"
    try:
        migrate = run([python, "-m", "tremplin.cli", "migrate", "--noinput", "-v0"], env=env)
        if migrate["status"] != 0:
            print(migrate["stderr"], file=sys.stderr)
            raise SystemExit("migrate a échoué")
        # As on a real deployment: places of execution resolve to departments and regions through the referential.
        reference = run([python, "-m", "tremplin.cli", "load_referentials", "--from", str(args.data_dir / "reference"),
                         "-v0"], env=env)  # fmt: skip
        if reference["status"] != 0:
            print(reference["stderr"], file=sys.stderr)
            raise SystemExit("load_referentials a échoué")
        command = [python, "-m", "tremplin.cli", "import_decp", str(path), "--json", "--no-snapshot",
                   "--batch-size", str(args.batch_size)]  # fmt: skip
        if args.workers is not None:
            command += ["--workers", args.workers]
        if args.defer_indexes:
            command.append("--defer-indexes")
        step = run(command, env=env, sample=True)
        if step["status"] != 0:
            print(step["stdout"][-3000:], step["stderr"][-3000:], file=sys.stderr)
            raise SystemExit("import_decp a échoué")
        summary = json.loads(step["stdout"].strip().splitlines()[-1])
        results["import"] = {
            "seconds": round(step["seconds"], 1),
            "records_per_second": round(summary["read"] / step["seconds"]),
            "peak_rss_mb": round(step["peak_rss_mb"]),
            "peak_tree_rss_mb": round(step["peak_tree_rss_mb"] or 0),
            "cpu_seconds": round(step["cpu_seconds"], 1),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "defer_indexes": args.defer_indexes,
            "counts": summary,
        }
        print(f"import ({results['database']}) {step['seconds']:7.1f} s  {summary['read'] / step['seconds']:9,.0f} "
              f"enr./s  RSS max {step['peak_rss_mb']:6,.0f} Mo (les deux processus ensemble : "
              f"{step['peak_tree_rss_mb'] or 0:,.0f} Mo), CPU {step['cpu_seconds']:.1f} s, charge "
              f"{os.getloadavg()[0]:.1f}".replace(",", " "))  # fmt: skip
        print(f"  {summary}")
    finally:
        if args.keep:
            results["kept"] = {"database_url": env.get("DATABASE_URL", ""), "var_dir": str(temporary)}
            print(f"Base conservée : {env.get('DATABASE_URL') or temporary}", file=sys.stderr)
        else:
            shutil.rmtree(temporary, ignore_errors=True)
            if args.database_url:
                postgres_database(args.database_url, database_name, create=False)
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
