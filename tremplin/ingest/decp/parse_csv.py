"""Streaming reader for the consolidated tabular DECP (decp-processing CSV: one row per
contract × holder, columns in ``decp/schemas/tabular/decp-processing_schema_base.json``).

One record per row: the rows of one contract are **not** adjacent in real files (in the
2024-H2 works extract, 1,009 of the 1,329 uids with several rows have them scattered across
the file; one uid has 252 rows), and
rows sharing a uid may differ in date, amount or duration (several lots or purchase orders
published under one id). Grouping would need the whole file in memory, so each row becomes
a per-holder record and the importer merges by ``uid`` (``normalize.merge_contracts``).

Each row is reshaped to the JSON shape: ``acheteur_*`` columns → ``acheteur`` object,
``titulaire_*`` → one-item ``titulaires`` list, ``lieuExecution_*`` → ``lieuExecution``;
dotted column names (``acheteur.id``) are nested; other columns are kept as they are.
Empty cells are left out. Broken rows (``csv.Error``) give a non-fatal ``ParseFault`` and
reading goes on.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any, BinaryIO

from .records import FORMAT_TABULAR, KIND_CONCESSION, KIND_MARCHE, ParseFault, RawRecord

MAX_FIELD_SIZE = 16 * 1024 * 1024

# Column prefix → key of the nested object; holders are a one-item list.
_PREFIXES = {"acheteur": "acheteur", "titulaire": "titulaires", "lieuExecution": "lieuExecution"}
_LIST_TARGETS = frozenset({"titulaires"})
_RENAMES = {("titulaires", "nom"): "denominationSociale"}


def tabular_payload(row: dict[str, str]) -> dict[str, Any]:
    """Reshape one flat tabular row into the JSON shape."""
    payload: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {}
    for column, cell in row.items():
        if cell is None or column is None:
            continue
        cell = cell.strip()
        if not cell:
            continue
        if "." in column:
            head, _, tail = column.partition(".")
            if head in _PREFIXES:
                target = _PREFIXES[head]
                nested.setdefault(target, {})[_RENAMES.get((target, tail), tail)] = cell
                continue
        head, sep, tail = column.partition("_")
        if sep and head in _PREFIXES:
            target = _PREFIXES[head]
            nested.setdefault(target, {})[_RENAMES.get((target, tail), tail)] = cell
            continue
        payload[column] = cell
    for target, fields in nested.items():
        payload[target] = [fields] if target in _LIST_TARGETS else fields
    return payload


def _next_row(reader) -> list[str]:
    """The next row, read with room for the long fields real files carry. The csv module's field size limit
    is global to the process, so it is raised only for this read and restored at once: code that runs
    between two rows (other parsers, other tests) keeps its own limit."""
    previous = csv.field_size_limit()
    if previous >= MAX_FIELD_SIZE:
        return next(reader)
    csv.field_size_limit(MAX_FIELD_SIZE)
    try:
        return next(reader)
    finally:
        csv.field_size_limit(previous)


def parse_csv(
    stream: BinaryIO, encoding: str = "utf-8", delimiter: str | None = None
) -> Iterator[RawRecord | ParseFault]:
    """Yield one record per data row (``position`` = ``row N``, N counted from 1 after the
    header), and non-fatal faults for broken rows."""
    text = io.TextIOWrapper(stream, encoding=encoding, errors="replace", newline="")
    reader = csv.reader(text, delimiter=delimiter or ",")
    try:
        header = _next_row(reader)
    except StopIteration:
        yield ParseFault("$", "Fichier CSV vide.", "empty_file")
        return
    except csv.Error as exc:
        yield ParseFault("$", f"En-tête CSV illisible ({exc}).", "unknown_format")
        return
    header = [name.strip().lstrip("\ufeff") for name in header]
    width = len(header)
    number = 0
    count = 0
    while True:
        number += 1
        try:
            row = _next_row(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            yield ParseFault(f"row {number}", f"Ligne CSV illisible ({exc}).", "syntax_error", fatal=False)
            continue
        if not row or not any(cell.strip() for cell in row):
            number -= 1
            continue
        if len(row) != width:
            reason = f"Ligne CSV de {len(row)} colonnes au lieu de {width} : ligne ignorée."
            yield ParseFault(f"row {number}", reason, "syntax_error", fatal=False)
            continue
        payload = tabular_payload(dict(zip(header, row, strict=True)))
        nature = str(payload.get("nature", "")).lower()
        kind = KIND_CONCESSION if "concession" in nature or "délégation" in nature else KIND_MARCHE
        count += 1
        yield RawRecord(f"row {number}", kind, payload, FORMAT_TABULAR)
    if count == 0:
        yield ParseFault("$", "Aucune ligne de données dans le fichier CSV.", "empty_file")
