"""Open a path and yield the data files it holds, as binary streams, without loading them.

Handles plain files, ``.gz``, ``.tar`` / ``.tar.gz`` / ``.tgz`` (streamed member by member)
and ``.zip``; archives are recognised by their magic bytes, not by their extension, and
nested archives (a ``.json.gz`` inside a ``.zip``, a ``.zip`` inside a ``.tar.gz``) are
opened too, up to ``MAX_DEPTH`` levels.

Contract with the caller: the stream of a member must be consumed (or abandoned) before the
iterator is advanced; tar archives are read sequentially, so a member's stream stops being
readable once the next member is requested.
"""

from __future__ import annotations

import gzip
import io
import shutil
import tarfile
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path, PurePosixPath
from typing import BinaryIO

GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")  # local file header, empty archive
TAR_MAGIC_OFFSET = 257
HEAD_SIZE = 512
MAX_DEPTH = 4
SPOOL_MAX_MEMORY = 16 * 1024 * 1024
READ_BUFFER = 256 * 1024


class SourceError(Exception):
    """An archive cannot be opened or listed (corrupt, truncated, unsupported)."""


class PrefixedStream(io.RawIOBase):
    """A read-only stream that replays ``head`` and then continues with ``stream``.

    Lets us sniff the first bytes of a non-seekable stream (gzip, tar member) without
    losing them.
    """

    def __init__(self, head: bytes, stream: BinaryIO):
        self._head = memoryview(head)
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._stream.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        return n


class TolerantGzip(io.RawIOBase):
    """A gzip stream that delivers everything it could decompress before a truncation or
    corruption, then ends as if the file ended there, recording the error in ``errors``.

    ``GzipFile.read(n)`` raises without returning the bytes it had decompressed in that
    call, which would lose up to a whole chunk of valid records before the damage.
    """

    def __init__(self, stream: BinaryIO, errors: list[BaseException]):
        self._gzip = gzip.GzipFile(fileobj=stream, mode="rb")
        self._errors = errors
        self._failed = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self._failed:
            return 0
        try:
            data = self._gzip.read1(len(buffer))
        except (EOFError, OSError, zlib.error) as exc:
            self._failed = True
            self._errors.append(exc)
            return 0
        n = len(data)
        buffer[:n] = data
        return n


def read_head(stream: BinaryIO, size: int) -> bytes:
    """Read up to ``size`` bytes, looping over short reads."""
    chunks = []
    remaining = size
    while remaining > 0:
        data = stream.read(remaining)
        if not data:
            break
        chunks.append(data)
        remaining -= len(data)
    return b"".join(chunks)


def peek(stream: BinaryIO, size: int = HEAD_SIZE) -> tuple[bytes, BinaryIO]:
    """Return the first ``size`` bytes and a stream that still starts at byte 0."""
    head = read_head(stream, size)
    return head, io.BufferedReader(PrefixedStream(head, stream), buffer_size=READ_BUFFER)


def is_ignored_member(name: str) -> bool:
    """Archive members that are never data: macOS resource forks, hidden files."""
    parts = PurePosixPath(name).parts
    return any(part == "__MACOSX" or part.startswith(".") for part in parts)


def _strip_suffix(name: str) -> str:
    lower = name.lower()
    if lower.endswith(".tgz"):
        return name[:-4] + ".tar"
    if lower.endswith(".gz"):
        return name[:-3]
    return name


def iter_members(
    path: str | Path,
    errors: list[BaseException] | None = None,
    opened: Callable[[BinaryIO], None] | None = None,
) -> Iterator[tuple[str, BinaryIO]]:
    """Yield ``(member_name, binary_stream)`` for each data file in ``path``.

    ``member_name`` is the file name for a plain file, the name without ``.gz`` for a gzip
    file, and the path inside the archive for archive members. Directories and hidden or
    ``__MACOSX`` members are skipped; empty files are yielded (the parser reports them).
    Raises ``SourceError`` for archives that cannot be read. A truncated or corrupt gzip
    stream ends early instead of raising, and its error is appended to ``errors``.
    ``opened`` receives the file object of ``path`` (its ``tell()`` shows how far reading got).
    """
    path = Path(path)
    errors = [] if errors is None else errors
    with path.open("rb") as fh:
        if opened is not None:
            opened(fh)
        yield from _expand(path.name, fh, seekable=True, depth=0, errors=errors)


def _expand(
    name: str, stream: BinaryIO, *, seekable: bool, depth: int, errors: list[BaseException]
) -> Iterator[tuple[str, BinaryIO]]:
    if seekable:
        head = read_head(stream, HEAD_SIZE)
        stream.seek(0)
    else:
        head, stream = peek(stream, HEAD_SIZE)
    if depth >= MAX_DEPTH:
        yield name, stream
        return
    if head[:2] == GZIP_MAGIC:
        inner = io.BufferedReader(TolerantGzip(stream, errors), buffer_size=READ_BUFFER)
        yield from _expand(_strip_suffix(name), inner, seekable=False, depth=depth + 1, errors=errors)
    elif head[:4] in ZIP_MAGICS:
        yield from _expand_zip(name, stream, seekable=seekable, depth=depth, errors=errors)
    elif len(head) >= TAR_MAGIC_OFFSET + 5 and head[TAR_MAGIC_OFFSET : TAR_MAGIC_OFFSET + 5] == b"ustar":
        yield from _expand_tar(name, stream, depth=depth, errors=errors)
    else:
        yield name, stream


def _expand_tar(
    name: str, stream: BinaryIO, *, depth: int, errors: list[BaseException]
) -> Iterator[tuple[str, BinaryIO]]:
    try:
        archive = tarfile.open(fileobj=stream, mode="r|")
    except tarfile.TarError as exc:
        raise SourceError(f"{name}: archive tar illisible ({exc})") from exc
    with archive:
        try:
            for member in archive:
                if not member.isfile() or is_ignored_member(member.name):
                    continue
                member_stream = archive.extractfile(member)
                if member_stream is None:  # pragma: no cover - isfile() members always have data
                    continue
                yield from _expand(member.name, member_stream, seekable=False, depth=depth + 1, errors=errors)
        except tarfile.TarError as exc:
            raise SourceError(f"{name}: archive tar corrompue ({exc})") from exc


def _expand_zip(
    name: str, stream: BinaryIO, *, seekable: bool, depth: int, errors: list[BaseException]
) -> Iterator[tuple[str, BinaryIO]]:
    spool = None
    if not seekable:
        # zipfile needs random access (the directory is at the end): spill to a temporary
        # file, kept in memory only while small.
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_MAX_MEMORY)
        shutil.copyfileobj(stream, spool, READ_BUFFER)
        spool.seek(0)
        stream = spool
    try:
        try:
            archive = zipfile.ZipFile(stream)
        except zipfile.BadZipFile as exc:
            raise SourceError(f"{name}: archive zip illisible ({exc})") from exc
        with archive:
            for info in archive.infolist():
                if info.is_dir() or is_ignored_member(info.filename):
                    continue
                try:
                    member_stream = archive.open(info)
                except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
                    raise SourceError(f"{name}: membre {info.filename} illisible ({exc})") from exc
                with member_stream:
                    yield from _expand(info.filename, member_stream, seekable=False, depth=depth + 1, errors=errors)
    finally:
        if spool is not None:
            spool.close()
