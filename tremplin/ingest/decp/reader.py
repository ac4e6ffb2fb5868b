"""One entry point for the importer: path → records.

``read_path(path)`` opens the path (``sources``), sniffs each data file (``detect``) and
dispatches it to the right streaming parser; it yields ``(member_name, item)`` where
``item`` is a ``RawRecord`` or a ``ParseFault``. Read errors (corrupt gzip, truncated
archive) become ``read_error`` faults instead of exceptions, so one bad file never stops a
batch.
"""

from __future__ import annotations

import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from .detect import SYNTAX_CSV, SYNTAX_EMPTY, SYNTAX_JSON, SYNTAX_XML, sniff
from .parse_csv import parse_csv
from .parse_json import parse_json
from .parse_xml import parse_xml
from .records import ParseFault, RawRecord
from .sources import SourceError, iter_members

READ_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile)


def open_records(stream: BinaryIO) -> Iterator[RawRecord | ParseFault]:
    """Sniff ``stream`` and yield its records (then at most one fatal fault)."""
    sniffed, stream = sniff(stream)
    if sniffed.syntax == SYNTAX_JSON:
        yield from parse_json(stream, sniffed.encoding)
    elif sniffed.syntax == SYNTAX_XML:
        yield from parse_xml(stream, sniffed.encoding)
    elif sniffed.syntax == SYNTAX_CSV:
        yield from parse_csv(stream, sniffed.encoding, sniffed.detail)
    elif sniffed.syntax == SYNTAX_EMPTY:
        yield ParseFault("$", "Fichier vide.", "empty_file")
    else:
        yield ParseFault("$", "Format non reconnu (ni JSON, ni XML, ni CSV DECP).", "unknown_format")


def read_stream(stream: BinaryIO) -> Iterator[RawRecord | ParseFault]:
    """``open_records`` with read errors turned into a final ``read_error`` fault."""
    try:
        yield from open_records(stream)
    except READ_ERRORS as exc:
        yield ParseFault("$", f"Lecture interrompue : fichier corrompu ou tronqué ({exc}).", "read_error")


def read_path(
    path: str | Path, opened: Callable[[BinaryIO], None] | None = None
) -> Iterator[tuple[str, RawRecord | ParseFault]]:
    """Yield ``(member_name, record_or_fault)`` for every data file in ``path``.

    A truncated or corrupt compressed stream yields the records read before the damage,
    then a ``read_error`` fault (unless the parser already reported a fatal fault, such as
    the truncated JSON that results). ``opened`` receives the file object of ``path`` (progress).
    """
    path = Path(path)
    errors: list[BaseException] = []
    members = iter_members(path, errors, opened)
    while True:
        try:
            member = next(members)
        except StopIteration:
            return
        except (SourceError, *READ_ERRORS) as exc:
            reason = f"Archive illisible : {exc}."
            if errors:
                reason += f" ({errors[-1]})"
            yield path.name, ParseFault("$", reason, "read_error")
            return
        name, stream = member
        seen = len(errors)
        fatal = False
        for item in read_stream(stream):
            fatal = fatal or (isinstance(item, ParseFault) and item.fatal)
            yield name, item
        if len(errors) > seen and not fatal:
            reason = f"Lecture interrompue : fichier compressé tronqué ou corrompu ({errors[-1]})."
            yield name, ParseFault("$", reason, "read_error")
