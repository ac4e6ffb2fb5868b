"""Scan notice files and print what the importer would see, without a database.

    python -m tremplin.ingest.notices.scan PATH... [--json] [--aggregate] [--show CODE]

For each data file (archive members included): notices read, their formats and kinds,
rejections by reason, quality flags. ``--aggregate`` prints one row per path (an archive's
members summed); ``--show CODE`` prints a few notices or rejections carrying that flag or
rejection code.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

from .model import FLAGS, REJECTIONS, Notice
from .reader import read_notices

COUNTERS = ("formats", "kinds", "rejected", "flagged")


def _new_row(file: str) -> dict:
    return {"file": file, "notices": 0} | {key: Counter() for key in COUNTERS}


def scan_path(path: Path, show: str | None = None, limit: int = 5) -> list[dict]:
    """One row of counts per data file in ``path``; timing on the first row."""
    rows: dict[str, dict] = {}
    shown = 0
    started = time.perf_counter()
    for item in read_notices(path):
        file = item.raw_ref.file if isinstance(item, Notice) else (item.file or path.name)
        row = rows.get(file) or rows.setdefault(file, _new_row(file))
        if isinstance(item, Notice):
            row["notices"] += 1
            row["formats"][item.format] += 1
            row["kinds"][item.kind] += 1
            row["flagged"].update(item.flags)
            if show in item.flags and shown < limit:
                shown += 1
                print(f"  {item.raw_ref} [{show}] {item.source_id} {item.title or ''}"[:400], file=sys.stderr)
        else:
            row["rejected"][item.reason_code] += 1
            if show == item.reason_code and shown < limit:
                shown += 1
                print(f"  {file}#{item.position} [{show}] {item.reason_fr}"[:400], file=sys.stderr)
    elapsed = time.perf_counter() - started
    result = list(rows.values())
    for row in result:
        for key in COUNTERS:
            row[key] = dict(row[key].most_common())
    if result:
        result[0]["seconds"] = round(elapsed, 3)
    return result


def aggregate(path: Path, rows: list[dict]) -> dict:
    merged = {"file": path.name, "members": len(rows), "notices": sum(row["notices"] for row in rows)}
    for key in COUNTERS:
        counter: Counter = Counter()
        for row in rows:
            counter.update(row[key])
        merged[key] = dict(counter.most_common())
    merged["seconds"] = rows[0].get("seconds") if rows else None
    return merged


def print_text(rows: list[dict]) -> None:
    for row in rows:
        kinds = ", ".join(f"{count} {kind}" for kind, count in row["kinds"].items())
        line = f"{row['file']}: {row['notices']} avis"
        if row.get("members"):
            line += f" ({row['members']} fichiers)"
        if kinds:
            line += f" — {kinds}"
        if row.get("seconds") is not None:
            line += f" [{row['seconds']} s]"
        print(line)
        if row["formats"]:
            print(f"    formats {row['formats']}")
        for code, count in row["rejected"].items():
            print(f"    rejet  {code:<28} {count:>6}  {REJECTIONS.get(code, '')}")
        for flag, count in row["flagged"].items():
            print(f"    {flag:<35} {count:>6}  {FLAGS.get(flag, '')}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--json", action="store_true", help="one JSON object per file")
    parser.add_argument("--aggregate", action="store_true", help="one row per path (archive members summed)")
    parser.add_argument("--show", help="print a few notices or rejections with this flag or rejection code")
    args = parser.parse_args(argv)
    if args.show and args.show not in FLAGS and args.show not in REJECTIONS:
        parser.error(f"unknown code {args.show!r}")
    for path in args.paths:
        if not path.exists():
            print(f"{path}: introuvable", file=sys.stderr)
            continue
        rows = scan_path(path, args.show)
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
