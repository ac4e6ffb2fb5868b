"""The reading side of the DECP import: files → records → normalised entries, in batches (no Django).

``produce()`` reads the paths in order (``decp.reader``: files, .gz, .tar(.gz), .zip, any of the formats),
normalises each record and packs it (``rows``); it talks to the writer through a ``channel``:

- ``("file", path_index, name, fingerprint, archive, size)``, then waits for the answer: how many items of
  this data file to skip (the resumption checkpoint), or ``SKIP_ALL`` (already imported by a run that is
  being resumed);
- ``("batch", entries, bytes_read)`` — at most ``batch_size`` entries, in file order;
- ``("end",)`` after the last batch of a data file, ``("done",)`` at the very end.

It runs in the importing process (``DirectChannel``: small imports, tests) or in a child process
(``run_in_process`` through a pipe: the child reads, parses and normalises while the parent writes, which uses
the second core). Memory holds one batch at a time on each side: the pipe blocks the child until the parent
has taken the previous batch.
"""

from __future__ import annotations

import gc
import hashlib
import os
import sys
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, BinaryIO, Protocol

import orjson

from tremplin.ingest.decp.normalize import Contract, normalize
from tremplin.ingest.decp.reader import read_path
from tremplin.ingest.decp.records import ParseFault, RawRecord
from tremplin.ingest.decp.sources import _strip_suffix

from .rows import pack_contract, pack_fault, pack_rejection

SKIP_ALL = -1
DELEGATED = "D"
HASH_CHUNK = 4 * 1024 * 1024


class Channel(Protocol):
    def send(self, message: tuple) -> None: ...

    def ask(self, message: tuple) -> Any: ...

    def control(self, share: float) -> float: ...


@dataclass(frozen=True)
class Job:
    """What to read: the paths, in order, and how."""

    paths: tuple[str, ...]
    archives: tuple[str, ...] = ()  # SHA-256 of each path, when the caller computed them already
    batch_size: int = 5000
    today: date | None = None


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def member_label(path: Path, member: str) -> str:
    """How a data file is named in reports: the file name, or ``archive:member`` inside an archive."""
    if member in (path.name, _strip_suffix(path.name)):
        return path.name
    return f"{path.name}:{member}"


def member_fingerprint(archive: str, path: Path, member: str, occurrence: int) -> str:
    """The plain file's own SHA-256; for a member of an archive or a compressed file, SHA-256 of the archive's
    SHA-256 and the member name (and its rank when an archive repeats a name)."""
    if member == path.name:
        return archive
    text = f"{archive}\0{member}" + (f"\0{occurrence}" if occurrence else "")
    return hashlib.sha256(text.encode()).hexdigest()


class _Position:
    """The byte position reached in the file given on the command line (for progress and ETA)."""

    def __init__(self) -> None:
        self.handle: BinaryIO | None = None

    def opened(self, handle: BinaryIO) -> None:
        self.handle = handle

    def tell(self) -> int:
        try:
            return self.handle.tell() if self.handle is not None and not self.handle.closed else 0
        except (OSError, ValueError):
            return 0


@contextmanager
def young_gc_only() -> Iterator[None]:
    """Run the cyclic garbage collector by hand on the young generations only (``collect_young()`` after each
    batch), never on the old one. The long-lived maps of an import (memos, organisations: hundreds of thousands
    of containers) are otherwise scanned again and again by automatic full collections — a fifth of the
    import's time. Records and batches hold no reference cycles; whatever survives is collected normally after
    the import."""
    if not gc.isenabled():
        yield
        return
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def collect_young() -> None:
    if not gc.isenabled():
        gc.collect(1)


def produce(job: Job, channel: Channel) -> None:
    """Read, normalise and send every record of ``job`` (see the module docstring)."""
    with young_gc_only():
        _produce(job, channel)


def _produce(job: Job, channel: Channel) -> None:
    today = job.today or date.today()
    share = _Share()
    for index, name in enumerate(job.paths):
        path = Path(name)
        archive = job.archives[index] if job.archives else file_sha256(path)
        size = path.stat().st_size
        position = _Position()
        current: str | None = None
        seen: dict[str, int] = {}
        skip = 0
        batch: list[tuple] = []
        delegated = False
        for member, item in read_path(path, opened=position.opened):
            if member != current:
                if current is not None:
                    if batch:
                        channel.send(("batch", batch, position.tell()))
                        batch = []
                    channel.send(("end",))
                current = member
                occurrence = seen.get(member, 0)
                seen[member] = occurrence + 1
                fingerprint = member_fingerprint(archive, path, member, occurrence)
                label = member_label(path, member) + (f" ({occurrence + 1})" if occurrence else "")
                skip = channel.ask(("file", index, label, fingerprint, archive, size))
            if skip:
                if skip == SKIP_ALL:
                    continue
                skip -= 1
                continue
            if not batch:
                share.wanted = channel.control(share.wanted)
                delegated = share.next_batch()
            if isinstance(item, ParseFault):
                batch.append(pack_fault(item))
            elif delegated:
                batch.append(delegate(item))
            else:
                result = normalize(item, "", today=today)
                batch.append(pack_contract(result) if isinstance(result, Contract) else pack_rejection(result, item))
            if len(batch) >= job.batch_size:
                channel.send(("batch", batch, position.tell()))
                batch = []
                collect_young()
        if current is not None:
            if batch:
                channel.send(("batch", batch, size))
            channel.send(("end",))
    channel.send(("done",))


class _Share:
    """Which batches the producer hands over to the writer un-normalised (``DELEGATED`` entries): a share of
    them, ``wanted``, set by the writer from how long it waits for batches (``service``). Balancing the work
    this way keeps both cores busy whichever side is slower on this machine and these files."""

    def __init__(self) -> None:
        self.wanted = 0.0
        self.batches = 0
        self.delegated = 0

    def next_batch(self) -> bool:
        self.batches += 1
        if self.delegated < self.wanted * self.batches:
            self.delegated += 1
            return True
        return False


def delegate(item: Any) -> tuple:
    """A record the writer will normalise itself: its JSON text when the reader kept it (decoding it again
    costs less than pickling the decoded object), else the decoded payload."""
    text = item.text
    payload = None if text is not None else item.payload
    return (DELEGATED, item.position, item.kind, item.format, item.notes, text, payload)


def undelegate(entry: tuple, today: date) -> tuple:
    """The entry ``pack_contract`` / ``pack_rejection`` gives for a delegated record."""
    _tag, position, kind, fmt, notes, text, payload = entry
    if text is not None:
        payload = orjson.loads(text)
    raw = RawRecord(position, kind, payload, fmt, notes)
    result = normalize(raw, "", today=today)
    return pack_contract(result) if isinstance(result, Contract) else pack_rejection(result, raw)


class DirectChannel:
    """The producer calls the writer directly (one process): nothing to delegate."""

    def __init__(self, handle: Callable[[tuple], Any]):
        self.handle = handle

    def send(self, message: tuple) -> None:
        self.handle(message)

    def ask(self, message: tuple) -> Any:
        return self.handle(message)

    def control(self, share: float) -> float:
        return share


class PipeChannel:
    """The producer in a child process, talking to the writer through a pipe. Besides the answers it asks for,
    the writer may send ``("share", x)`` at any time: the share of batches to delegate."""

    def __init__(self, connection: Any):
        self.connection = connection
        self.share = 0.0

    def send(self, message: tuple) -> None:
        self.connection.send(message)

    def ask(self, message: tuple) -> Any:
        self.connection.send(message)
        while True:
            reply = self.connection.recv()
            if reply[0] == "reply":
                return reply[1]
            self.share = reply[1]

    def control(self, share: float) -> float:
        while self.connection.poll():
            self.share = self.connection.recv()[1]
        return self.share


def child_main(connection: Any) -> None:
    """Entry point of the child process: receives the ``Job``, produces; any exception is sent to the parent
    as ``("error", text)``."""
    try:
        job = connection.recv()
        produce(job, PipeChannel(connection))
    except BaseException:  # noqa: BLE001 - reported to the parent, which raises it
        try:
            connection.send(("error", traceback.format_exc()))
        except (OSError, ValueError):
            pass
    finally:
        connection.close()
        os._exit(0)  # nothing to clean up: skip the interpreter's exit handlers


if __name__ == "__main__":
    from multiprocessing.connection import Connection

    child_main(Connection(int(sys.argv[1])))
