"""An uploaded table, CSV text or an XLSX workbook told apart by content (not by name), read into rows of text
cells: the text a CSV file would hold, so that one parser and one column definition serve both formats. Also
writes a small XLSX workbook (templates). No database, no request.

Limits (XLSX): the file itself is size-limited by the caller; the archive may hold at most `MAX_ENTRIES` parts
and `MAX_UNCOMPRESSED` bytes once uncompressed (zip-bomb guard, checked on the sizes the archive declares, which
Python's zipfile never exceeds when reading); at most `MAX_COLUMNS` columns are read, and a sheet with content
beyond row `MAX_ROWS` is refused. Workbooks are opened read-only, with the values cached by the spreadsheet
program for formulas (`data_only`); a formula without a cached value is reported on its cell.
"""

from __future__ import annotations

import base64
import binascii
import csv
import datetime
import io
import math
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from tremplin.core.imports import UNREADABLE_ENCODING, decode_text
from tremplin.core.text import search_key

CSV, XLSX = "csv", "xlsx"
ZIP_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx
MAX_UNCOMPRESSED = 20 * 1024 * 1024
MAX_ENTRIES = 500
MAX_ROWS = 10_000
MAX_COLUMNS = 60
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SAVE_AS = "enregistrez-le au format «\u00a0Classeur Excel (.xlsx)\u00a0» ou CSV, puis envoyez ce fichier."


class TableError(ValueError):
    """What is wrong with the whole file, in French, for the person who sent it."""


@dataclass(frozen=True)
class Upload:
    """A checked upload: `content` is the CSV text, or the workbook in base64 (it travels in a form field)."""

    kind: str
    content: str

    @classmethod
    def workbook(cls, raw: bytes) -> Upload:
        return cls(XLSX, base64.b64encode(raw).decode("ascii"))


@dataclass
class Row:
    number: int  # in the file or the sheet, the first line being 1
    cells: list[str]
    problems: dict[int, str] = field(default_factory=dict)  # column index → what is wrong with that cell

    @property
    def empty(self) -> bool:
        return not self.problems and not any(self.cells)


def read_upload(raw: bytes, name: str = "") -> Upload:
    """Tell CSV text from an XLSX workbook by content; refuse anything else with a French message."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if raw.startswith(OLE2_SIGNATURE):
        raise TableError(
            "Ce classeur est à l'ancien format Excel 97-2003 (.xls) ou protégé par un mot de passe : " + SAVE_AS
        )
    if raw.startswith(ZIP_SIGNATURE):
        _check_archive(raw)
        return Upload.workbook(raw)
    if extension in {"xlsx", "xlsm", "xls", "ods", "numbers"}:
        raise TableError(f"Ce fichier porte l'extension .{extension} mais n'est pas un classeur lisible : {SAVE_AS}")
    if b"\x00" in raw[:4096]:
        raise TableError("Ce fichier n'est ni un fichier CSV ni un classeur Excel (.xlsx).")
    text = decode_text(raw)
    if text is None:
        raise TableError(UNREADABLE_ENCODING)
    return Upload(CSV, text)


def rows(upload: Upload) -> list[Row]:
    """The non-empty rows of the upload (of its first sheet, or of a sheet named `Programme`/`Prévisions`)."""
    if upload.kind == XLSX:
        try:
            raw = base64.b64decode(upload.content, validate=True)
        except (binascii.Error, ValueError) as error:
            raise TableError("Le classeur transmis est illisible : envoyez le fichier à nouveau.") from error
        return xlsx_rows(raw)
    return csv_rows(upload.content)


def csv_rows(text: str) -> list[Row]:
    text = text.lstrip("\ufeff")
    if not text.strip():
        return []
    first = next(line for line in text.splitlines() if line.strip())
    reader = csv.reader(io.StringIO(text), delimiter=max((";", ",", "\t"), key=first.count))
    try:
        found = [Row(number, [cell.strip() for cell in cells]) for number, cells in enumerate(reader, start=1)]
    except csv.Error as error:
        raise TableError(f"Fichier CSV illisible : {error}.") from error
    return [row for row in found if not row.empty]


def _check_archive(raw: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            parts = archive.infolist()
            names = {part.filename for part in parts}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as error:
        raise TableError("Ce fichier compressé est illisible : " + SAVE_AS) from error
    if "xl/workbook.xml" not in names:
        if "content.xml" in names:
            raise TableError("Les classeurs LibreOffice (.ods) ne sont pas lus directement : " + SAVE_AS)
        raise TableError("Ce fichier compressé n'est pas un classeur Excel (.xlsx).")
    if len(parts) > MAX_ENTRIES or sum(part.file_size for part in parts) > MAX_UNCOMPRESSED:
        raise TableError(
            f"Ce classeur dépasse {MAX_UNCOMPRESSED // (1024 * 1024)} Mo une fois décompressé : gardez seulement "
            "la feuille du programme (sans images ni autres feuilles) ou découpez-le."
        )


def xlsx_rows(raw: bytes) -> list[Row]:
    _check_archive(raw)
    try:
        values = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except Exception as error:  # openpyxl raises many kinds (KeyError, XML and zip errors…) on a damaged file
        raise TableError("Classeur illisible : " + SAVE_AS) from error
    try:
        name = pick_sheet(values.sheetnames)
        return _sheet_rows(name, values[name], formulas[name])
    except TableError:
        raise
    except Exception as error:  # a damaged sheet fails while it is read, not when the workbook opens
        raise TableError("Classeur illisible : " + SAVE_AS) from error
    finally:
        values.close()
        formulas.close()


def pick_sheet(names: list[str]) -> str:
    """A sheet named like « Programme » or « Prévisions », or else the first one."""
    for name in names:
        if search_key(name).startswith(("programme", "prevision")):
            return name
    return names[0]


def _sheet_rows(name: str, values, formulas) -> list[Row]:
    if not hasattr(values, "iter_rows"):
        raise TableError(f"La feuille « {name} » ne contient pas de tableau (c'est un graphique).")
    found = []
    pairs = zip(
        values.iter_rows(min_row=1, max_col=MAX_COLUMNS),
        formulas.iter_rows(min_row=1, max_col=MAX_COLUMNS),
        strict=True,
    )
    for number, (value_cells, formula_cells) in enumerate(pairs, start=1):
        row = Row(number, [])
        for index, (cell, formula) in enumerate(zip(value_cells, formula_cells, strict=True)):
            problem = cell_problem(cell, formula)
            if problem:
                row.problems[index] = problem
            row.cells.append("" if problem else cell_text(cell.value))
        while row.cells and not row.cells[-1]:
            row.cells.pop()
        if row.empty:
            continue
        if number > MAX_ROWS:
            raise TableError(f"La feuille « {name} » dépasse {MAX_ROWS} lignes : découpez-la en plusieurs fichiers.")
        found.append(row)
    return found


def cell_problem(cell, formula) -> str:
    if cell.data_type == "e":
        return f"la formule donne une erreur ({cell.value})."
    if cell.value is None and formula.data_type == "f":
        return (
            "formule sans valeur calculée : ouvrez le classeur dans Excel ou LibreOffice, enregistrez-le et "
            "envoyez-le à nouveau (ou remplacez la formule par sa valeur)."
        )
    return ""


def cell_text(value) -> str:
    """A cell's value as the text a CSV export would hold: 15/03/2026, 12500, 0.3, oui/non."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return value.strftime("%d/%m/%Y")
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        # 15 significant digits, as spreadsheets show them: 12500.0 → 12500, 0.1 + 0.2 → 0.3.
        return format(Decimal(f"{value:.15g}").normalize(), "f")
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value).strip()


@dataclass
class Sheet:
    """A sheet to write: a bold, frozen header row, then rows of values (text, numbers, dates)."""

    title: str
    header: list[str]
    rows: list[list] = field(default_factory=list)
    widths: list[int] = field(default_factory=list)
    formats: dict[int, str] = field(default_factory=dict)  # column index → number format of the whole column


def write_xlsx(sheets: list[Sheet]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for sheet in sheets:
        page = book.create_sheet(sheet.title[:31])
        page.append(sheet.header)
        for values in sheet.rows:
            page.append(values)
        for cell in page[1]:
            cell.font = Font(bold=True)
            cell.fill = PatternFill("solid", fgColor="DDE5F0")
            cell.alignment = Alignment(vertical="top", wrap_text=True)
        page.freeze_panes = "A2"
        for index, width in enumerate(sheet.widths, start=1):
            page.column_dimensions[get_column_letter(index)].width = width
        for index, number_format in sheet.formats.items():
            page.column_dimensions[get_column_letter(index + 1)].number_format = number_format  # for typed cells
            for (cell,) in page.iter_rows(min_row=2, min_col=index + 1, max_col=index + 1):
                cell.number_format = number_format
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
