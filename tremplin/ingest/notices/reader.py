"""One entry point for the notice importers: path → notices.

``read_notices(path)`` opens the path (plain file, ``.gz``, ``.zip``, ``.tar(.gz)``, nested
archives: ``tremplin.ingest.decp.sources.iter_members``), detects the format of each data
file (``detect``) and yields ``Notice`` or ``Rejection`` items, each carrying its file
(``archive.tar.gz:member.xml``) for provenance. A TED, eForms or BOAMP XML/JSON file is one
notice; a BOAMP summary file yields one item per entry, streamed. Nothing raises on bad
input: an unreadable archive, an empty or truncated file, an unknown root element become
rejections; an unexpected error in a parser becomes an ``internal_error`` rejection for
that file and the next file is read.
"""

from __future__ import annotations

import codecs
import io
import tarfile
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from tremplin.ingest.decp.sources import SourceError, iter_members

from .boamp_json import MAX_NOTICE_BYTES, iter_summary, read_notice_json
from .boamp_xml import normalise_tag, parse_boamp
from .common import DocumentError, read_xml
from .detect import FORMAT_EMPTY, detect
from .eforms import parse_eforms
from .model import (
    FORMAT_BOAMP_JSON,
    FORMAT_BOAMP_SUMMARY,
    FORMAT_BOAMP_XML,
    FORMAT_EFORMS,
    FORMAT_TED_R209,
    REJECTIONS,
    Notice,
    RawRef,
    Rejection,
)
from .ted_r209 import parse_ted, prune, rename

READ_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile)
# Bugs must not stop a batch: they become a rejection of the file (and show up in scans).
UNEXPECTED = (ValueError, TypeError, KeyError, AttributeError, IndexError, LookupError, ArithmeticError, RecursionError)


def _reject(file: str, code: str, detail: str | None = None, position: str = "$") -> Rejection:
    reason = REJECTIONS[code] + (f" : {detail}" if detail else "") + "."
    return Rejection(position, code, reason, file)


def read_stream(stream: BinaryIO, file: str) -> Iterator[Notice | Rejection]:
    """Notices (or rejections) of one data file."""
    try:
        detected, stream = detect(stream)
        if detected.format == FORMAT_EMPTY:
            yield _reject(file, "empty_file")
        elif detected.format == FORMAT_BOAMP_SUMMARY:
            yield from iter_summary(_utf8(stream, detected.encoding), file)
        elif detected.format == FORMAT_BOAMP_JSON:
            yield read_notice_json(_utf8(stream, detected.encoding), RawRef(file))
        elif detected.format in (FORMAT_EFORMS, FORMAT_TED_R209, FORMAT_BOAMP_XML):
            yield _read_xml_notice(stream, detected.format, detected.encoding, RawRef(file))
        else:
            yield _reject(file, "unknown_format", detected.detail)
    except DocumentError as exc:
        yield _reject(file, exc.code, exc.reason)
    except READ_ERRORS as exc:
        yield _reject(file, "read_error", str(exc))
    except UNEXPECTED as exc:  # pragma: no cover - a parser bug, reported instead of raised
        yield _reject(file, "internal_error", f"{type(exc).__name__}: {exc}")


def _read_xml_notice(stream: BinaryIO, notice_format: str, encoding: str, raw_ref: RawRef) -> Notice | Rejection:
    if notice_format == FORMAT_EFORMS:
        return parse_eforms(read_xml(stream, encoding), raw_ref)
    if notice_format == FORMAT_TED_R209:
        return parse_ted(read_xml(stream, encoding, rename=rename, prune=prune), raw_ref)
    return parse_boamp(read_xml(stream, encoding, rename=normalise_tag), raw_ref)


def _utf8(stream: BinaryIO, encoding: str) -> BinaryIO:
    """JSON readers want UTF-8 bytes: transcode other encodings (UTF-16 with BOM…)."""
    if codecs.lookup(encoding).name == "utf-8":
        return stream
    text = stream.read(MAX_NOTICE_BYTES).decode(encoding, errors="replace")
    return io.BytesIO(text.encode("utf-8"))


def read_notices(path: str | Path) -> Iterator[Notice | Rejection]:
    """Yield the notices and rejections of every data file in ``path`` (a file, an archive,
    or a directory read recursively in name order, hidden files skipped)."""
    path = Path(path)
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield from read_notices(child)
        return
    errors: list[BaseException] = []
    try:
        members = iter_members(path, errors)
    except OSError as exc:
        yield _reject(path.name, "read_error", str(exc))
        return
    while True:
        try:
            member = next(members)
        except StopIteration:
            return
        except (SourceError, *READ_ERRORS) as exc:
            yield _reject(path.name, "read_error", f"archive illisible ({exc})")
            return
        name, stream = member
        file = path.name if name == path.name else f"{path.name}:{name}"
        seen = len(errors)
        rejected = False
        for item in read_stream(stream, file):
            rejected = rejected or isinstance(item, Rejection)
            yield item
        if len(errors) > seen and not rejected:
            yield _reject(file, "read_error", f"fichier compressé tronqué ou corrompu ({errors[-1]})")
