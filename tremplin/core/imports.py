"""What the line-by-line file imports share (purchase programme, invoice ledger, emission factors): decoding an
upload, the header names, the delimiter, and a line or a file with its errors, shown in the preview before
anything is saved (`core/includes/csv_preview.html`)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from tremplin.core.text import search_key

ENCODINGS = ("utf-8-sig", "cp1252")  # what spreadsheets save: UTF-8 (with or without BOM), or Windows' Latin-1
UNREADABLE_ENCODING = "Encodage du fichier illisible : enregistrez-le en CSV UTF-8."


@dataclass(frozen=True)
class Column:
    """A column of an import file, as the template and the help table show it."""

    name: str
    description: str
    required: bool = False
    example: str = ""


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """A downloadable template: `;`-separated (what French spreadsheets open directly), CRLF line ends."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def decode_text(raw: bytes) -> str | None:
    """The file's text, or None when no usual encoding reads it (the caller says ``UNREADABLE_ENCODING``)."""
    for encoding in ENCODINGS:
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return None


def header_name(raw: str) -> str:
    """ "Montant TTC (€)" → "montant_ttc": accents, case and punctuation ignored."""
    return search_key(raw).replace(" ", "_")


def guess_delimiter(first_line: str) -> str:
    return max((";", ",", "\t"), key=first_line.count)


@dataclass
class ImportLine:
    number: int  # the line number in the file, the header being line 1
    cells: dict[str, str]
    errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(f"{column} : {message}" if column else message)


@dataclass
class ImportBatch:
    lines: list = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)

    @property
    def valid(self) -> list:
        return [line for line in self.lines if line.ok]

    @property
    def invalid(self) -> list:
        return [line for line in self.lines if not line.ok]
