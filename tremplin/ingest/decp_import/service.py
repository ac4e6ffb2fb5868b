"""``import_decp()``: run the producer (reading, normalising) and the writer (database) over some paths."""

from __future__ import annotations

import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from django.db import DatabaseError

from tremplin.contracts.models import Contract, ContractHolder
from tremplin.core import bulk

from .producer import DirectChannel, Job, file_sha256, produce, young_gc_only
from .writer import COUNT_KEYS, FileReport, ImportInterrupted, ProducerError, Progress, Writer, empty_counts

# Inputs larger than this are read by a child process (the second core); smaller ones in-process, which
# starts faster (spawning the reader costs ~0.3 s).
PROCESS_THRESHOLD = 32 * 1024 * 1024
_EXTENSIONS = re.compile(r"(\.(json|xml|csv|txt|gz|tgz|tar|zip|bz2))+$", re.IGNORECASE)


def default_source_name(path: Path) -> str:
    """``--source`` by default: the file name without its data and archive extensions
    (``decp-2022.xml.gz`` → ``decp-2022``; ``marches-publics.info.json.gz`` → ``marches-publics.info``)."""
    return _EXTENSIONS.sub("", path.name) or path.name


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    seconds: float = 0.0
    snapshot: dict | None = None
    indexes_created: list[str] = field(default_factory=list)

    def total(self) -> dict[str, Any]:
        """Counts of every file of the run (skipped ones — done by the run being resumed — included)."""
        total = empty_counts()
        for report in self.files:
            for key in COUNT_KEYS:
                total[key] += report.counts.get(key, 0)
            for group in ("rejections", "flags"):
                for code, count in report.counts.get(group, {}).items():
                    total[group][code] = total[group].get(code, 0) + count
        return total

    def summary(self) -> dict[str, int]:
        """The ``--json`` line: read, created, updated, duplicates, shared_ids, rejected, flagged."""
        total = self.total()
        return {key: total[key] for key in COUNT_KEYS}


def import_decp(
    paths: Sequence[str | Path],
    *,
    source: str | None = None,
    batch_size: int = 5000,
    workers: int | None = None,
    progress: Callable[[Progress], None] | None = None,
    on_file_done: Callable[[FileReport], None] | None = None,
    snapshot: bool = True,
    today: date | None = None,
    stop_after_batches: int | None = None,
    defer_indexes: bool = False,
    skip_imported: bool = False,
    commit_size: int = 50_000,
) -> ImportReport:
    """Import DECP files (see ``tremplin.ingest.decp_import``). ``workers``: 0 reads in this process, 1 in a
    child process; None chooses by total size. ``snapshot``: rebuild the observatory snapshot afterwards.
    ``stop_after_batches`` (tests) raises ``ImportInterrupted`` after that many committed batches, leaving the
    files as a killed run would. ``defer_indexes``: drop the read-only indexes (``DEFERRED_INDEXES``) during
    the import and build them at the end — for large first loads. ``skip_imported``: data files already fully
    imported (same source, same fingerprint) are not imported again (their previous counts are reported).
    ``commit_size``: records per transaction (several batches; see ``Writer``)."""
    paths = [Path(p) for p in paths]
    for path in paths:
        if not path.is_file():
            raise FileNotFoundError(f"Fichier introuvable : {path}")
    sources = [source or default_source_name(path) for path in paths]
    if workers is None:
        workers = 1 if sum(path.stat().st_size for path in paths) > PROCESS_THRESHOLD else 0
    today = today or date.today()
    archives = tuple(file_sha256(path) for path in paths)
    job = Job(tuple(str(path) for path in paths), archives, batch_size=max(1, batch_size), today=today)
    writer = Writer(
        sources,
        archives=archives,
        progress=progress,
        on_file_done=on_file_done,
        stop_after_batches=stop_after_batches,
        today=today,
        skip_imported=skip_imported,
        commit_size=max(1, commit_size),
    )
    started = time.monotonic()
    report = ImportReport(files=writer.files)
    with bulk.fast_writes(), young_gc_only():
        if defer_indexes:
            for model, names in DEFERRED_INDEXES:
                bulk.drop_field_indexes(model, names)
        try:
            if workers:
                _run_with_child(job, writer)
            else:
                produce(job, DirectChannel(writer.handle))
        except ImportInterrupted:
            writer.abort()  # a simulated kill: the uncommitted batches are lost, nothing is marked
            raise
        except BaseException as exc:
            try:
                writer.fail(f"{type(exc).__name__}: {exc}")
                restore_indexes()
            except DatabaseError:  # the database itself failed: the file stays "running", and is resumed
                pass
            raise
        report.indexes_created = restore_indexes()
    report.seconds = time.monotonic() - started
    if snapshot:
        report.snapshot = refresh_observatory()
    return report


# Indexes that only serve reading (filters, joins): with ``defer_indexes`` they are dropped during the import
# and built once at the end, which costs far less than updating them row by row (see bench/README.md). The ones
# the import itself reads through (contract key and uid, holders by contract) stay.
DEFERRED_INDEXES = (
    (
        Contract,
        ("cpv", "territory_department", "territory_region", "notification_date", "amount_suspicious", "buyer",
         "source_file"),
    ),
    (ContractHolder, ("organisation",)),
)  # fmt: skip


def restore_indexes() -> list[str]:
    """Create the deferred indexes that are missing (after a deferred import, even one stopped earlier: every
    import ends with this check). Returns "model.field" for each index created."""
    created = []
    for model, names in DEFERRED_INDEXES:
        created += [f"{model._meta.model_name}.{name}" for name in bulk.ensure_field_indexes(model, names)]
    return created


def _run_with_child(job: Job, writer: Writer) -> None:
    """The producer in a child interpreter (``python -m tremplin.ingest.decp_import.producer FD``), talking
    through a socket pair with multiprocessing's framing (pickle). A fresh interpreter rather than
    ``multiprocessing.Process``: no fork of a process holding database connections, no re-import of the
    caller's main module, no Django in the child.

    Balancing: the writer measures how long it waits for the next batch. Waiting means the producer is the
    slower side: it is asked to delegate a larger share of batches (``producer.DELEGATED``: records the writer
    normalises itself); never waiting means the writer is, and the share goes down."""
    parent, child = socket.socketpair()
    command = [sys.executable, "-m", "tremplin.ingest.decp_import.producer", str(child.fileno())]
    process = subprocess.Popen(command, pass_fds=[child.fileno()], stdin=subprocess.DEVNULL)
    child.close()
    connection = Connection(parent.detach())
    try:
        _send(connection, job, process)
        serve(connection, writer, lambda: process.poll())
    finally:
        connection.close()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def serve(connection: Any, writer: Writer, exit_status: Callable[[], int | None] = lambda: None) -> None:
    """The writer's side of the conversation with the reader process, until its ``("done",)``.

    ``("share", x)`` is advice the reader reads between batches: once it has sent its last batch it may be
    gone before the advice is written, so a closed pipe there is not an error — the messages already sent are
    still read, and a reader that really died shows as an end of stream without ``done``."""
    balance = _Balance()
    reader_gone = False
    while True:
        waited = 0.0
        if not connection.poll():
            started = time.monotonic()
            connection.poll(None)
            waited = time.monotonic() - started
        try:
            message = connection.recv()
        except EOFError:
            raise ProducerError("Le processus de lecture s'est arrêté sans prévenir.") from None
        kind = message[0]
        if kind == "done":
            return
        started = time.monotonic()
        reply = writer.handle(message)
        if kind == "file":
            try:
                connection.send(("reply", reply))
            except OSError as exc:  # the reader waits for this answer: it cannot have left normally
                raise ProducerError(f"Le processus de lecture s'est arrêté (code {exit_status()}) : {exc}.") from exc
        elif kind == "batch":
            share = balance.update(waited, time.monotonic() - started)
            if share is not None and not reader_gone:
                try:
                    connection.send(("share", share))
                except OSError:
                    reader_gone = True


def _send(connection: Connection, message: Any, process: subprocess.Popen) -> None:
    try:
        connection.send(message)
    except OSError as exc:  # broken pipe: the reader is gone
        status = process.poll()
        raise ProducerError(f"Le processus de lecture s'est arrêté (code {status}) : {exc}.") from exc


class _Balance:
    """The share of batches the producer should delegate, adjusted every ``WINDOW`` batches."""

    WINDOW = 4
    STEP = 0.05
    MAXIMUM = 0.6

    def __init__(self) -> None:
        self.share = 0.0
        self.waited = self.worked = 0.0
        self.batches = 0

    def update(self, waited: float, worked: float) -> float | None:
        self.waited += waited
        self.worked += worked
        self.batches += 1
        if self.batches < self.WINDOW:
            return None
        idle = self.waited / (self.waited + self.worked) if self.waited + self.worked else 0.0
        self.waited = self.worked = 0.0
        self.batches = 0
        previous = self.share
        if idle > 0.05:
            self.share = min(self.MAXIMUM, self.share + self.STEP)
        elif idle < 0.01:
            self.share = max(0.0, self.share - self.STEP)
        return self.share if self.share != previous else None


def refresh_observatory() -> dict | None:
    """Rebuild the observatory's columnar snapshot (``tremplin.observatory.snapshot.refresh_snapshot``) so that
    its pages show the new contracts at once (they would rebuild it on their next freshness check anyway)."""
    try:
        from tremplin.observatory.snapshot import refresh_snapshot
    except ImportError:  # pragma: no cover - the observatory app is part of the project
        return None
    return refresh_snapshot()
