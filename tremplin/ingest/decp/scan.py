"""Scan DECP files and print what the importer would see, without a database.

    python -m tremplin.ingest.decp.scan PATH... [--source NAME] [--json] [--aggregate] [--show CODE]

For each data file (archive members included): records read, rejected records by reason,
parse faults by code, flagged contracts by rule, formats and kinds, time and throughput.
``--show CODE`` prints a few records carrying that flag, rejection or fault code.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from .normalize import FLAGS, REJECTIONS, Contract, normalize
from .reader import read_path
from .records import FAULT_CODES, ParseFault

COUNTERS = ("rejected", "faults", "flagged", "formats", "kinds")


def _new_stats(path: Path, member: str) -> dict:
    label = path.name if member == path.name else f"{path.name}:{member}"
    return {"file": label, "records": 0, "contracts": 0} | {key: Counter() for key in COUNTERS}


def _show(member: str, position: str, code: str, detail: object) -> None:
    text = detail if isinstance(detail, str) else json.dumps(detail, ensure_ascii=False, default=str)
    print(f"  {member} {position} [{code}] {text[:400]}", file=sys.stderr)


def scan_path(path: Path, source: str, show: str | None = None, limit: int = 5) -> list[dict]:
    """Counts for each data file in ``path``; timing on the first row."""
    results: dict[str, dict] = {}
    started = time.perf_counter()
    shown = 0
    for member, item in read_path(path):
        stats = results.get(member) or results.setdefault(member, _new_stats(path, member))
        if isinstance(item, ParseFault):
            stats["faults"][item.code] += 1
            if show == item.code and shown < limit:
                shown += 1
                _show(member, item.position, item.code, item.reason)
            continue
        stats["records"] += 1
        result = normalize(item, source)
        if isinstance(result, Contract):
            stats["contracts"] += 1
            stats["formats"][result.format] += 1
            stats["kinds"][result.kind] += 1
            stats["flagged"].update(result.flags)
            if show in result.flags and shown < limit:
                shown += 1
                _show(member, item.position, show, item.payload)
        else:
            stats["rejected"][result.reason_code] += 1
            if show == result.reason_code and shown < limit:
                shown += 1
                _show(member, item.position, show, item.payload)
    elapsed = time.perf_counter() - started
    rows = list(results.values())
    for row in rows:
        for key in COUNTERS:
            row[key] = dict(row[key].most_common())
    if rows:
        total = sum(row["records"] for row in rows)
        rows[0]["seconds"] = round(elapsed, 3)
        rows[0]["records_per_second"] = round(total / elapsed) if elapsed else None
        rows[0]["file_megabytes_per_second"] = round(path.stat().st_size / elapsed / 1e6, 2) if elapsed else None
    return rows


def aggregate(path: Path, rows: list[dict]) -> dict:
    """One row for a whole archive."""
    merged = {"file": path.name, "members": len(rows)}
    merged["records"] = sum(row["records"] for row in rows)
    merged["contracts"] = sum(row["contracts"] for row in rows)
    for key in COUNTERS:
        counter: Counter = Counter()
        for row in rows:
            counter.update(row[key])
        merged[key] = dict(counter.most_common())
    for key in ("seconds", "records_per_second", "file_megabytes_per_second"):
        merged[key] = rows[0].get(key) if rows else None
    return merged


def print_text(rows: list[dict]) -> None:
    for row in rows:
        line = f"{row['file']}: {row['records']} enregistrements, {row['contracts']} contrats"
        if row.get("members"):
            line += f", {row['members']} fichiers"
        if row.get("seconds") is not None:
            line += f" ({row['seconds']} s, {row['records_per_second']} enr./s)"
        print(line)
        for code, count in row["rejected"].items():
            print(f"    rejet  {code:<32} {count:>7}  {REJECTIONS.get(code, '')}")
        for code, count in row["faults"].items():
            print(f"    erreur {code:<32} {count:>7}  {FAULT_CODES.get(code, '')}")
        for flag, count in row["flagged"].items():
            print(f"    {flag:<39} {count:>7}  {FLAGS.get(flag, '')}")
        print(f"    formats {row['formats']} types {row['kinds']}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--source", default="scan")
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.add_argument("--aggregate", action="store_true", help="one row per path (archives summed)")
    parser.add_argument("--show", help="print a few records with this flag, rejection or fault code")
    args = parser.parse_args(argv)
    for path in args.paths:
        rows = scan_path(path, args.source, args.show)
        if args.aggregate and len(rows) > 1:
            rows = [aggregate(path, rows)]
        if args.json:
            for row in rows:
                print(json.dumps(row, ensure_ascii=False))
        else:
            print_text(rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
