"""The beginning of the raw text of rejected files, kept with the rejection so that nothing is lost.

The reader names each data file ``<file name>`` or ``<archive name>:<member>``; ``read_excerpts(path, names)``
opens ``path`` once more and returns the first characters of the named members. It is only called for files
that had a rejection, so a clean import reads each file once."""

from __future__ import annotations

import codecs
import tarfile
import zipfile
import zlib
from pathlib import Path

from tremplin.ingest.decp.sources import SourceError, iter_members

EXCERPT_CHARS = 2000
READ_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError, zipfile.BadZipFile, SourceError, ValueError)


def decode(head: bytes) -> str:
    """Text of the first bytes of a file: UTF-16 with a BOM, else UTF-8 (bad bytes replaced); "" for binary."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = head.decode("utf-16", errors="replace")
    elif b"\x00" in head:
        return ""
    else:
        text = head.decode("utf-8", errors="replace")
    return text.lstrip("\ufeff")[:EXCERPT_CHARS]


def read_excerpts(path: Path, names: set[str]) -> dict[str, str]:
    """First characters of each file of ``path`` named in ``names`` (names as the reader gives them)."""
    found: dict[str, str] = {}
    wanted = set(names)
    try:
        for member, stream in iter_members(path):
            name = path.name if member == path.name else f"{path.name}:{member}"
            if name in wanted:
                found[name] = decode(stream.read(EXCERPT_CHARS * 2))
                wanted.discard(name)
                if not wanted:
                    break
    except READ_ERRORS:
        pass
    if path.name in wanted:  # the file as a whole (an unreadable archive): its first bytes, if they are text
        try:
            with path.open("rb") as handle:
                found[path.name] = decode(handle.read(EXCERPT_CHARS * 2))
        except OSError:
            found[path.name] = ""
    return found
