"""Reading source files record by record, each with where it comes from (line number), so that any problem is
reported as « fichier, ligne N : problème » instead of a traceback."""

import csv
import gzip
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

_JSON_SPACE = re.compile(r"\s*")


class SourceError(Exception):
    """A missing, unreadable or malformed source; the message (French) names the file and the line."""

    def __init__(self, source: str, message: str, where: str | None = None):
        self.source, self.where, self.message = source, where, message
        super().__init__(f"{source}, {where} : {message}" if where else f"{source} : {message}")


def line(number: int) -> str:
    return f"ligne {number}"


@contextmanager
def open_text(path: Path) -> Iterator[IO[str]]:
    """Open a UTF-8 text file, gzip-compressed when its name ends in .gz; a missing file is a SourceError."""
    if not path.is_file():
        raise SourceError(str(path), "fichier introuvable")
    try:
        with (
            gzip.open(path, "rt", encoding="utf-8-sig")
            if path.suffix == ".gz"
            else path.open(encoding="utf-8-sig") as stream
        ):
            yield stream
    except (OSError, EOFError, UnicodeDecodeError) as error:  # gzip.BadGzipFile is an OSError
        raise SourceError(path.name, f"fichier illisible ({error})") from error


def iter_csv(path: Path, required: list[str], delimiter: str = ",") -> Iterator[tuple[str, dict[str, str]]]:
    """(« ligne N », row) for each data row of a CSV file having at least the `required` columns."""
    with open_text(path) as stream:
        reader = csv.DictReader(stream, delimiter=delimiter)
        try:
            missing = [column for column in required if column not in (reader.fieldnames or [])]
            if missing:
                raise SourceError(path.name, f"colonnes manquantes : {', '.join(missing)}", line(1))
            for row in reader:
                if None in row or any(value is None for value in row.values()):
                    raise SourceError(path.name, "nombre de colonnes incorrect", line(reader.line_num))
                yield line(reader.line_num), row
        except csv.Error as error:
            raise SourceError(path.name, f"CSV mal formé ({error})", line(reader.line_num)) from error


def iter_json_array(path: Path) -> Iterator[tuple[str, Any]]:
    """(« ligne N », element) for each element of a file holding one JSON array, N being the line where the
    element starts (the @etalab/decoupage-administratif files hold one element per line)."""
    with open_text(path) as stream:
        text = stream.read()
    decoder = json.JSONDecoder()
    position = _JSON_SPACE.match(text).end()
    if text[position : position + 1] != "[":
        raise SourceError(path.name, "un tableau JSON est attendu", line(text.count("\n", 0, position) + 1))
    position, line_number, counted_up_to = position + 1, 1, 0
    while True:
        position = _JSON_SPACE.match(text, position).end()
        line_number += text.count("\n", counted_up_to, position)
        counted_up_to = position
        if text[position : position + 1] == "]":
            return
        try:
            element, position = decoder.raw_decode(text, position)
        except json.JSONDecodeError as error:
            raise SourceError(path.name, f"JSON mal formé ({error.msg})", line(error.lineno)) from error
        yield line(line_number), element
        position = _JSON_SPACE.match(text, position).end()
        separator = text[position : position + 1]
        if separator == ",":
            position += 1
        elif separator != "]":
            where = line(line_number + text.count("\n", counted_up_to, position))
            raise SourceError(path.name, "JSON mal formé (« , » ou « ] » attendu)", where)


def read_json_object(path: Path) -> dict[str, Any]:
    """A file holding one JSON object."""
    with open_text(path) as stream:
        try:
            data = json.load(stream)
        except json.JSONDecodeError as error:
            raise SourceError(path.name, f"JSON mal formé ({error.msg})", line(error.lineno)) from error
    if not isinstance(data, dict):
        raise SourceError(path.name, "un objet JSON est attendu")
    return data
