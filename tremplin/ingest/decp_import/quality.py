"""The data-quality ledger of the DECP imports: per source, what was read and what became of it.

Sums the counts each import keeps per data file (``SourceFile.counts``, replaced when a file is imported again,
so re-importing never inflates them) and labels rejection reasons and flags in French (``FLAGS``,
``REJECTIONS``, ``FAULT_CODES``). Used by ``tremplin decp_quality``, ``GET /api/v1/quality/decp`` and the page
``/qualite-des-donnees/``.

Rejected records are public, raw payload included: the DECP are open data (Licence Ouverte 2.0) published by
the buyers themselves, and a rejected record holds nothing that was not published; showing it lets the
publisher see what to fix.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.db.models import Count, Max

from tremplin.contracts.models import Contract, RejectedRecord, Source, SourceFile
from tremplin.ingest.decp.normalize import FLAGS, REJECTIONS
from tremplin.ingest.decp.records import FAULT_CODES

from .writer import COUNT_KEYS

COUNT_LABELS = {
    "read": "Enregistrements lus",
    "created": "Marchés créés",
    "updated": "Marchés mis à jour",
    "duplicates": "Doublons",
    "shared_ids": "Identifiants partagés (lots)",
    "rejected": "Rejetés",
    "flagged": "Avec anomalies",
}


def reason_label(code: str) -> str:
    return REJECTIONS.get(code) or FAULT_CODES.get(code) or code


def flag_label(code: str) -> str:
    return FLAGS.get(code, code)


def _ranked(counts: dict[str, int], label) -> list[dict[str, Any]]:
    return [
        {"code": code, "label": label(code), "count": count}
        for code, count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
        if count
    ]


def source_quality(source: Source | None = None) -> dict[str, Any]:
    """``{"sources": [...], "totals": {...}}``: for each source (or the one given), its files, the counts of
    ``COUNT_KEYS``, ``imported`` (created + updated + duplicates), rejections by reason and flags by rule (most
    frequent first, with French labels), the contracts it currently provides and its last import."""
    files = SourceFile.objects.select_related("source").order_by("source__name", "name")
    if source is not None:
        files = files.filter(source=source)
    # Contracts each source provides now (a later copy from another source may have replaced some): grouped by
    # file first, which the index on contracts.source_file answers without reading the contracts.
    file_sources = dict(SourceFile.objects.values_list("id", "source_id"))
    contracts: dict[int, int] = defaultdict(int)
    for file_id, count in (
        Contract.objects.filter(source_file__isnull=False)
        .order_by()
        .values_list("source_file_id")
        .annotate(count=Count("id"))
        .values_list("source_file_id", "count")
    ):
        contracts[file_sources.get(file_id)] += count
    last_runs = dict(SourceFile.objects.values_list("source_id").annotate(last=Max("finished_at")).values_list(
        "source_id", "last"))  # fmt: skip
    rows: dict[int, dict[str, Any]] = {}
    rejections: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    flags: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for file in files:
        row = rows.get(file.source_id)
        if row is None:
            row = rows[file.source_id] = {
                "source": file.source.name,
                "source_id": file.source_id,
                "files": 0,
                "files_unfinished": 0,
                **dict.fromkeys(COUNT_KEYS, 0),
            }
        row["files"] += 1
        if file.status != SourceFile.Status.DONE:
            row["files_unfinished"] += 1
        counts = file.counts or {}
        for key in COUNT_KEYS:
            row[key] += int(counts.get(key, 0))
        for code, count in (counts.get("rejections") or {}).items():
            rejections[file.source_id][code] += count
        for code, count in (counts.get("flags") or {}).items():
            flags[file.source_id][code] += count
    sources = []
    totals: dict[str, Any] = {"files": 0, "files_unfinished": 0, **dict.fromkeys(COUNT_KEYS, 0)}
    all_rejections: dict[str, int] = defaultdict(int)
    all_flags: dict[str, int] = defaultdict(int)
    for source_id, row in rows.items():
        row["imported"] = row["created"] + row["updated"] + row["duplicates"]
        row["contracts"] = contracts.get(source_id, 0)
        last = last_runs.get(source_id)
        row["last_import"] = last.isoformat() if last else None
        row["rejections"] = _ranked(rejections[source_id], reason_label)
        row["flags"] = _ranked(flags[source_id], flag_label)
        sources.append(row)
        for key in ("files", "files_unfinished", *COUNT_KEYS):
            totals[key] += row[key]
        for code, count in rejections[source_id].items():
            all_rejections[code] += count
        for code, count in flags[source_id].items():
            all_flags[code] += count
    totals["imported"] = totals["created"] + totals["updated"] + totals["duplicates"]
    totals["contracts"] = sum(row["contracts"] for row in sources)
    totals["rejections"] = _ranked(all_rejections, reason_label)
    totals["flags"] = _ranked(all_flags, flag_label)
    return {"sources": sources, "totals": totals}


def rejected_records(source: Source | None = None, reason: str | None = None):
    """The rejected records (by source, file and order of reading), filtered by source and reason code."""
    records = RejectedRecord.objects.select_related("source_file__source")
    records = records.order_by("source_file__source__name", "source_file__name", "id")
    if source is not None:
        records = records.filter(source_file__source=source)
    if reason:
        records = records.filter(reason_code=reason)
    return records
