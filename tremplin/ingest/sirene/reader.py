"""Streaming reader for the SIRENE stock files: plain, gzip or zip; which file it is comes from its header.

The national files hold ~40 M establishment and ~28 M legal unit rows, and we care about a few thousand of them.
Nothing is held in memory but the current record: each physical line is read as bytes and checked on its first 9
bytes (the SIREN, first column of both files) against the set of SIRENs we want; only those lines are decoded and
go through the CSV parser. A line whose quotes are unbalanced continues on the next ones (a quoted field with a
line break), so records stay aligned with the file's line numbers.
"""

import csv
import gzip
import io
import time
import zipfile
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from tremplin.ingest.sirene import columns as col


class SireneFormatError(ValueError):
    """A file that is not a SIRENE stock file, or lacks columns we need; the message is in French."""


class FileKind(StrEnum):
    ESTABLISHMENTS = "etablissements"
    LEGAL_UNITS = "unites_legales"

    @property
    def label(self) -> str:
        return {"etablissements": "établissements", "unites_legales": "unités légales"}[self.value]


BUFFER = 1 << 20
MAX_RECORD_LINES = 50  # a quoted field spanning more lines is a broken file: give up on that record
REQUIRED = {FileKind.ESTABLISHMENTS: col.ESTABLISHMENT_REQUIRED, FileKind.LEGAL_UNITS: col.LEGAL_UNIT_REQUIRED}
OPTIONAL = {FileKind.ESTABLISHMENTS: col.ESTABLISHMENT_OPTIONAL, FileKind.LEGAL_UNITS: col.LEGAL_UNIT_OPTIONAL}


def detect_kind(header: list[str]) -> FileKind:
    names = set(header)
    if col.ESTABLISHMENT_MARKER in names and "siret" in names:
        kind = FileKind.ESTABLISHMENTS
    elif col.LEGAL_UNIT_MARKER in names:
        kind = FileKind.LEGAL_UNITS
    else:
        raise SireneFormatError(
            "En-tête non reconnu : ni StockEtablissement (colonne etatAdministratifEtablissement) "
            "ni StockUniteLegale (colonne categorieJuridiqueUniteLegale)."
        )
    missing = [name for name in REQUIRED[kind] if name not in names]
    if missing:
        raise SireneFormatError(f"Fichier {kind.label} incomplet : colonnes absentes : {', '.join(missing)}.")
    return kind


@contextmanager
def open_sources(path: Path) -> Iterator[list[tuple[str, BinaryIO]]]:
    """The CSV byte streams inside `path`: the file itself, its gzip content, or each .csv member of a zip. Lines
    are read as bytes (decoding 40 M lines to skip all but a few thousand would double the reading time); only
    the header and the kept rows are decoded, as UTF-8, a stray invalid byte being replaced."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"Fichier introuvable : {path}")
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as archive:
            members = [info for info in archive.infolist() if info.filename.lower().endswith(".csv")]
            if not members:
                raise SireneFormatError(f"{path.name} : aucune table .csv dans l'archive.")
            # ZipExtFile reads lines in Python; a BufferedReader on top reads them in C.
            streams = [
                (f"{path.name}:{info.filename}", io.BufferedReader(archive.open(info), BUFFER)) for info in members
            ]
            try:
                yield streams
            finally:
                for _, stream in streams:
                    stream.close()
        return
    if path.suffix.lower() == ".gz":
        stream = io.BufferedReader(gzip.open(path, "rb"), BUFFER)  # GzipFile too reads lines in Python
    else:
        stream = open(path, "rb", buffering=BUFFER)  # noqa: SIM115
    try:
        yield [(path.name, stream)]
    finally:
        stream.close()


@dataclass
class Progress:
    label: str
    rows: int
    candidates: int
    elapsed: float

    @property
    def rate(self) -> float:
        return self.rows / self.elapsed if self.elapsed > 0 else 0.0


@dataclass
class BadRow:
    line: int
    reason: str
    excerpt: str


class SireneFile:
    """One stock table, read from a byte stream: its header is read on construction (kind detected, required
    columns checked)."""

    def __init__(self, label: str, stream: BinaryIO):
        self.label = label
        self.stream = stream
        self.line_number = 1
        first = decode(stream.readline()).lstrip("\ufeff")
        if not first.strip():
            raise SireneFormatError(f"{label} : fichier vide.")
        try:
            self.header = [name.strip() for name in next(csv.reader([first.rstrip("\r\n")]))]
        except csv.Error as error:
            raise SireneFormatError(f"{label} : en-tête illisible ({error}).") from error
        self.kind = detect_kind(self.header)
        self.index = {name: position for position, name in enumerate(self.header)}
        self.wanted_columns = [
            (name, self.index[name]) for name in REQUIRED[self.kind] + OPTIONAL[self.kind] if name in self.index
        ]
        self.rows = 0
        self.elapsed = 0.0

    def row_dict(self, fields: list[str]) -> dict[str, str]:
        return {name: fields[position] for name, position in self.wanted_columns}

    def candidates(
        self,
        wanted: Iterable[str],
        on_bad: Callable[[BadRow], None],
        progress: Callable[[Progress], None] | None = None,
        progress_every: int = 1_000_000,
    ) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, row) for each record whose SIREN is in `wanted`, parsed and with the right column count.
        Records with no readable SIREN in first position, or (among candidates) a wrong column count or a CSV
        error, go to `on_bad`; every other record is skipped without being decoded nor parsed."""
        keys = frozenset(key.encode() for key in wanted)
        width = len(self.header)
        started = time.monotonic()
        rows = candidates = 0
        lines = iter(self.stream)
        physical = self.line_number
        try:
            # One loop, no inner generator: this runs 40 M times.
            for line in lines:
                physical += 1
                number = physical
                if b'"' in line and line.count(b'"') % 2 and _ends_in_quotes(line):
                    # A quoted field runs over the line break: join the following lines until it closes (a stray
                    # quote inside an unquoted field does not open one, the CSV parser tells them apart).
                    parts = [line]
                    for more in lines:
                        physical += 1
                        parts.append(more)
                        if not _ends_in_quotes(b"".join(parts)) or len(parts) > MAX_RECORD_LINES:
                            break
                    line = b"".join(parts)
                    if len(parts) > MAX_RECORD_LINES:
                        rows += 1
                        on_bad(BadRow(number, "unreadable", f"guillemet jamais refermé ({len(parts)} lignes)"))
                        continue
                if line[9:10] == b",":
                    key = line[:9]
                elif line[:1] == b'"' and line[10:12] == b'",':
                    key = line[1:10]
                elif not line.strip():
                    continue
                else:
                    key = b""
                rows += 1
                if progress is not None and rows % progress_every == 0:
                    progress(Progress(self.label, rows, candidates, time.monotonic() - started))
                if key not in keys:
                    if not key.isdigit():
                        on_bad(BadRow(number, "invalid_siren", _excerpt(decode(line))))
                    continue
                text = decode(line).rstrip("\r\n")
                try:
                    fields = next(csv.reader([text]))
                except csv.Error:
                    on_bad(BadRow(number, "unreadable", _excerpt(text)))
                    continue
                if len(fields) != width:
                    on_bad(BadRow(number, "column_count", f"{len(fields)} colonnes au lieu de {width}"))
                    continue
                candidates += 1
                yield number, self.row_dict(fields)
        finally:
            self.line_number = physical
            self.rows = rows
            self.elapsed = time.monotonic() - started


def _ends_in_quotes(data: bytes) -> bool:
    """Whether a CSV record is still inside a quoted field at the end of `data` (the parser asks for more)."""
    asked = []

    def feed():
        yield decode(data)
        asked.append(True)

    try:
        next(csv.reader(feed()), None)
    except csv.Error:
        return False
    return bool(asked)


def decode(data: bytes) -> str:
    return data.decode("utf-8", errors="replace")


def _excerpt(line: str, size: int = 80) -> str:
    line = line.rstrip("\r\n")
    return line if len(line) <= size else line[: size - 1] + "…"
