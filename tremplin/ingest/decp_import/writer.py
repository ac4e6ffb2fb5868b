"""The writing side of the DECP import: entries (``rows``) → database rows.

For each batch: look up the contracts already stored under the batch's uids (one ``uid IN (…)`` query per 900
uids, with their initial holders and modifications), decide for each entry (create, replace, add a holder,
duplicate — rules in ``tremplin.ingest.decp_import``), create the missing organisations (``SIRET → id`` map held
in memory), resolve territories, then write with ``tremplin.core.bulk`` (executemany on SQLite, COPY on
PostgreSQL) and move the file's checkpoint and counts. Batches are committed together every ``commit_size``
records, the checkpoint always in the transaction of the rows it counts: a run stopped at any point resumes
after the last commit; replaying a batch would change nothing anyway (every decision is made against what is
stored).
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models.base import ModelState
from django.utils import timezone

from tremplin.contracts.models import (
    Contract,
    ContractHolder,
    ContractModification,
    RejectedRecord,
    Source,
    SourceFile,
)
from tremplin.contracts.territory import TerritoryLookup, resolve_territory
from tremplin.core import bulk
from tremplin.ingest.decp.records import FORMAT_TABULAR
from tremplin.organisations.models import Organisation

from .producer import DELEGATED, SKIP_ALL, collect_young, undelegate
from .rows import (
    CONTRACT,
    CONTRACT_FIELDS,
    E_BUYER_SIRET,
    E_FIELDS,
    E_FLAGS,
    E_HOLDERS,
    E_IDENTITIES,
    E_MODIFICATIONS,
    E_VERSION,
    F_AMOUNT,
    F_DATE,
    F_FLAGS,
    F_FORMAT,
    F_KEY,
    F_UID,
    FAULT,
    FORMAT_RANK,
    H_SIRET,
    HOLDER_FIELDS,
    MODIFICATION_FIELDS,
    amount_text,
    holder_identity,
    iso,
    make_key,
)

COUNT_KEYS = ("read", "created", "updated", "duplicates", "shared_ids", "rejected", "flagged")
ORGANISATION_NAME_LENGTH = Organisation._meta.get_field("name").max_length
FILE_NAME_LENGTH = SourceFile._meta.get_field("name").max_length
POSITION_LENGTH = RejectedRecord._meta.get_field("position").max_length

# Columns written for a new contract (the producer's fields, then ours) and for a replaced one.
_EXTRA = ("buyer_id", "territory_department", "territory_region", "territory_source", "source_file_id")
INSERT_COLUMNS = ("id", *CONTRACT_FIELDS, *_EXTRA, "created_at", "updated_at")
UPDATE_COLUMNS = tuple(name for name in CONTRACT_FIELDS if name not in ("key", "uid")) + (*_EXTRA, "updated_at")
_UPDATE_SLICE = [index for index, name in enumerate(CONTRACT_FIELDS) if name not in ("key", "uid")]
HOLDER_COLUMNS = ("contract_id", "organisation_id", *HOLDER_FIELDS)
MODIFICATION_COLUMNS = ("contract_id", *MODIFICATION_FIELDS)
REJECTION_COLUMNS = ("source_file_id", "position", "reason_code", "reason", "payload", "created_at")


def empty_counts() -> dict[str, Any]:
    return dict.fromkeys(COUNT_KEYS, 0) | {"rejections": {}, "flags": {}}


class ProducerError(RuntimeError):
    """The reading process failed; the message holds its traceback."""


class ImportInterrupted(RuntimeError):
    """Raised by the test hook ``stop_after_batches``: behaves like a killed import (nothing is marked)."""


@dataclass
class FileReport:
    """One data file (or archive member) of the run."""

    label: str
    source: str
    fingerprint: str
    counts: dict[str, Any] = field(default_factory=empty_counts)
    outcome: str = "imported"  # imported | resumed | skipped (done by the run being resumed, or skip_imported)
    error: str = ""
    seconds: float = 0.0


@dataclass
class Progress:
    label: str
    records: int  # read in this run, all files
    position: int  # bytes of the current path read
    size: int  # bytes of the current path
    elapsed: float


class _State:
    """A contract with a given uid, as stored or as decided in this batch."""

    __slots__ = ("pk", "key", "date", "amount", "format", "ids", "version", "entry", "op", "flags", "holders")

    def __init__(self, pk, key, date, amount, fmt, ids, version, flags, holders):
        self.pk = pk
        self.key = key
        self.date = date
        self.amount = amount
        self.format = fmt
        self.ids = ids  # identities of the initial holders
        self.version = version
        self.flags = flags
        self.holders = holders  # number of holder rows
        self.entry: tuple | None = None  # entry to write (create / replace)
        self.op: str | None = None  # None, "create", "replace", "extend" (holders added to a stored contract)


class Writer:
    """Receives the producer's messages (``handle``) and writes them."""

    def __init__(
        self,
        sources: list[str],
        *,
        archives: tuple[str, ...] = (),
        progress: Callable[[Progress], None] | None = None,
        on_file_done: Callable[[FileReport], None] | None = None,
        stop_after_batches: int | None = None,
        today: date | None = None,
        skip_imported: bool = False,
        commit_size: int = 50_000,
    ):
        self.sources = sources
        self.skip_imported = skip_imported
        self.commit_size = commit_size
        self._transaction: Any = None
        self._uncommitted = 0
        self.today = today or date.today()
        self.progress = progress
        self.on_file_done = on_file_done
        self.stop_after_batches = stop_after_batches
        self.files: list[FileReport] = []
        self.started = time.monotonic()
        self.records = 0
        self.batches = 0
        self._source_rows: dict[str, Source] = {}
        self.run, self.resuming = _run_id(sources, archives)
        self._file: SourceFile | None = None
        self._report: FileReport | None = None
        self._file_started = 0.0
        self._size = 0
        self._fatal = ""
        self.lookup = TerritoryLookup.from_database()
        self._territories: dict[tuple, tuple[str, str, str]] = {}
        self._organisations: dict[str, list] = {}  # SIRET → [id, is_buyer, is_supplier, department, placeholder]
        for siret, pk, is_buyer, is_supplier, department, name in Organisation.objects.values_list(
            "siret", "id", "is_buyer", "is_supplier", "department_id", "name"
        ).iterator(chunk_size=10_000):
            self._organisations[siret] = [pk, is_buyer, is_supplier, department or "", name == siret]
        self._organisation_template = Organisation(siret="", name="")
        self._organisation_fields = [f for f in Organisation._meta.concrete_fields if not f.primary_key]
        # Database values of the template's fields: most new organisations share them (preparing each value
        # through its field for 200,000 organisations would cost seconds).
        self._organisation_defaults = [
            (f.attname, getattr(self._organisation_template, f.attname),
             f.get_db_prep_save(getattr(self._organisation_template, f.attname), connection))
            for f in self._organisation_fields
        ]  # fmt: skip

    # -- messages ---------------------------------------------------------------------------------------------

    def handle(self, message: tuple) -> Any:
        kind = message[0]
        if kind == "batch":
            self._batch(message[1], message[2])
        elif kind == "file":
            return self._start_file(*message[1:])
        elif kind == "end":
            self._end_file()
        elif kind == "error":
            raise ProducerError(message[1])
        return None

    def _source(self, index: int) -> Source:
        name = self.sources[index]
        source = self._source_rows.get(name)
        if source is None:
            source, _created = Source.objects.get_or_create(name=name)
            self._source_rows[name] = source
        return source

    def _start_file(self, index: int, label: str, fingerprint: str, archive: str, size: int) -> int:
        source = self._source(index)
        self._size = size
        self._fatal = ""
        self._file_started = time.monotonic()
        now = timezone.now()
        with transaction.atomic():
            row = SourceFile.objects.select_for_update().filter(source=source, fingerprint=fingerprint).first()
            report = FileReport(label=label, source=source.name, fingerprint=fingerprint)
            if row is None:
                row = SourceFile.objects.create(
                    source=source, name=label[:FILE_NAME_LENGTH], fingerprint=fingerprint, archive=archive,
                    size=size, status=SourceFile.Status.RUNNING, counts=empty_counts(), started_at=now, run=self.run,
                )  # fmt: skip
                skip = 0
            elif row.status != SourceFile.Status.DONE:
                # Left unfinished by a stopped run: go on after its checkpoint.
                report.outcome = "resumed"
                report.counts = empty_counts() | (row.counts or {})
                row.status, row.error, row.archive, row.run = SourceFile.Status.RUNNING, "", archive, self.run
                row.save(update_fields=["status", "error", "archive", "run"])
                skip = row.checkpoint
            elif (self.resuming and row.run == self.run) or self.skip_imported:
                # Done by the run being resumed (or already imported, when asked to skip those): not read again.
                report.outcome = "skipped"
                report.counts = empty_counts() | (row.counts or {})
                skip = SKIP_ALL
            else:
                # Imported before: read again (its counts are replaced; everything shows as duplicates).
                row.name, row.archive, row.size, row.run = label[:FILE_NAME_LENGTH], archive, size, self.run
                row.status, row.checkpoint, row.counts, row.error = SourceFile.Status.RUNNING, 0, empty_counts(), ""
                row.started_at, row.finished_at = now, None
                row.save()
                skip = 0
        self._file, self._report = row, report
        self.files.append(report)
        return skip

    def _end_file(self) -> None:
        row, report = self._file, self._report
        if row is None or report is None:
            return
        if report.outcome != "skipped":
            row.status = SourceFile.Status.DONE
            row.error = self._fatal
            row.finished_at = timezone.now()
            row.counts = report.counts
            row.save(update_fields=["status", "error", "finished_at", "counts"])
        self._commit()
        report.error = row.error
        report.seconds = time.monotonic() - self._file_started
        self._file = self._report = None
        if self.on_file_done:
            self.on_file_done(report)

    def fail(self, error: str) -> None:
        """Roll back the open transaction and mark the current file as interrupted by an error (it will be
        resumed from its last committed checkpoint)."""
        self.abort()
        if self._file is not None:
            SourceFile.objects.filter(pk=self._file.pk).update(status=SourceFile.Status.FAILED, error=error[:5000])

    # -- one batch --------------------------------------------------------------------------------------------

    def _batch(self, entries: list[tuple], position: int) -> None:
        row, report = self._file, self._report
        assert row is not None and report is not None, "batch outside a file"
        if any(entry[0] == DELEGATED for entry in entries):
            today = self.today
            entries = [undelegate(entry, today) if entry[0] == DELEGATED else entry for entry in entries]
        counts = report.counts
        self._begin()
        states = self._stored_states(entries)
        plan = _Plan()
        for entry in entries:
            self._decide(entry, states, counts, plan)
        counts["read"] += len(entries)
        # First write of the transaction: on SQLite it takes the write lock, which id allocation relies on.
        SourceFile.objects.filter(pk=row.pk).update(checkpoint=row.checkpoint + len(entries), counts=counts)
        self._write(plan, row)
        row.checkpoint += len(entries)
        row.counts = counts
        self.records += len(entries)
        self.batches += 1
        self._uncommitted += len(entries)
        if self.stop_after_batches is not None and self.batches >= self.stop_after_batches:
            raise ImportInterrupted(f"arrêt simulé après {self.batches} lot(s)")
        if self._uncommitted >= self.commit_size:
            self._commit()
        collect_young()
        if self.progress:
            self.progress(Progress(report.label, self.records, position, self._size, time.monotonic() - self.started))

    # -- transactions -----------------------------------------------------------------------------------------
    # Several batches go in one transaction (``commit_size`` records): random inserts into large indexes dirty
    # one page per index and row, and each commit writes every dirty page once (SQLite's log, PostgreSQL's
    # WAL); the more rows a transaction holds, the more of them share pages. The checkpoint is always written
    # in the transaction of the rows it counts, so a stop loses the uncommitted batches and nothing else.

    def _begin(self) -> None:
        if self._transaction is None:
            self._transaction = transaction.atomic()
            self._transaction.__enter__()

    def _commit(self) -> None:
        if self._transaction is not None:
            current, self._transaction = self._transaction, None
            self._uncommitted = 0
            current.__exit__(None, None, None)

    def abort(self) -> None:
        """Roll back the open transaction (the batches since the last commit), as a stopped run loses them."""
        if self._transaction is not None:
            current, self._transaction = self._transaction, None
            self._uncommitted = 0
            error = ImportInterrupted("annulé")
            current.__exit__(ImportInterrupted, error, None)

    def _stored_states(self, entries: list[tuple]) -> dict[str, list[_State]]:
        uids = {entry[E_FIELDS][F_UID] for entry in entries if entry[0] == CONTRACT}
        states: dict[str, list[_State]] = {}
        found = bulk.select_in(
            Contract,
            ["id", "uid", "key", "notification_date", "amount_initial", "format", "publication_date", "content_hash",
             "flags"],
            "uid",
            uids,
        )  # fmt: skip
        if not found:
            return states
        pks = [row[0] for row in found]
        identities: dict[int, set[str]] = {}
        holder_counts: dict[int, int] = {}
        for contract_id, identifier, name, initial in bulk.select_in(
            ContractHolder, ["contract_id", "identifier", "name", "is_initial"], "contract_id", pks
        ):
            holder_counts[contract_id] = holder_counts.get(contract_id, 0) + 1
            if initial:
                identities.setdefault(contract_id, set()).add(holder_identity(identifier, name))
        changes = _modification_summary(pks)
        for pk, uid, key, notified, amount, fmt, published, content_hash, flags in found:
            count, last = changes.get(pk, (0, ""))
            published = iso(published)
            version = (count, last, FORMAT_RANK.get(fmt, 1), published or "", content_hash)
            state = _State(
                pk, key, iso(notified), amount_text(amount), fmt, identities.get(pk, set()), version,
                _flags(flags), holder_counts.get(pk, 0),
            )  # fmt: skip
            states.setdefault(uid, []).append(state)
        return states

    def _decide(self, entry: tuple, states: dict[str, list[_State]], counts: dict, plan: _Plan) -> None:
        tag = entry[0]
        if tag != CONTRACT:
            counts["rejected"] += 1
            code = entry[2]
            counts["rejections"][code] = counts["rejections"].get(code, 0) + 1
            plan.rejections.append(entry)
            if tag == FAULT and entry[4]:
                self._fatal = entry[3]
            return
        fields = entry[E_FIELDS]
        flags = entry[E_FLAGS]
        if flags:
            counts["flagged"] += 1
            by_flag = counts["flags"]
            for flag in flags:
                by_flag[flag] = by_flag.get(flag, 0) + 1
        uid = fields[F_UID]
        same_uid = states.get(uid)
        if same_uid is None:  # the common case: a uid not seen before
            counts["created"] += 1
            state = _State(
                None, fields[F_KEY], fields[F_DATE], fields[F_AMOUNT], fields[F_FORMAT], set(entry[E_IDENTITIES]),
                entry[E_VERSION], flags, len(entry[E_HOLDERS]),
            )  # fmt: skip
            state.op, state.entry = "create", entry
            states[uid] = [state]
            plan.created.append(state)
            return
        date = fields[F_DATE]
        identities = entry[E_IDENTITIES]
        if fields[F_FORMAT] == FORMAT_TABULAR:
            amount = fields[F_AMOUNT]
            holder = identities[0] if identities else None
            group = [s for s in same_uid if s.date == date and s.amount == amount]
            if any(holder is None or holder in s.ids for s in group):
                counts["duplicates"] += 1
                return
            target = next((s for s in group if s.format == FORMAT_TABULAR), None)
            if target is not None:
                counts["updated"] += 1
                self._add_holder(target, entry, holder, plan)
                return
        else:
            wanted = set(identities)
            match = next((s for s in same_uid if s.date == date and s.ids == wanted), None)
            if match is not None:
                version = entry[E_VERSION]
                if version <= match.version:
                    counts["duplicates"] += 1
                    return
                counts["updated"] += 1
                match.version, match.amount, match.format = version, fields[F_AMOUNT], fields[F_FORMAT]
                match.flags = flags
                match.holders = len(entry[E_HOLDERS])
                if match.op == "create":
                    match.entry = entry
                    return
                if match.op == "extend":  # holders added in this batch: the replacement supersedes them
                    plan.extended.remove(match)
                    plan.added_holders = [(s, rows) for s, rows in plan.added_holders if s is not match]
                if match.op != "replace":
                    plan.replaced.append(match)
                match.op, match.entry = "replace", entry
                return
        # A new contract
        counts["created"] += 1
        if same_uid:
            counts["shared_ids"] += 1
        key = fields[F_KEY]
        taken = {s.key for s in same_uid}
        attempt = 0
        while key in taken:  # a hash collision between two identities of one uid: practically never
            attempt += 1
            key = make_key(uid, f"{date}|{sorted(identities)}|{fields[F_AMOUNT]}", attempt)
        if key != fields[F_KEY]:
            entry = (entry[0], (key, *fields[1:]), *entry[2:])
        state = _State(
            None, key, date, fields[F_AMOUNT], fields[F_FORMAT], set(identities), entry[E_VERSION], flags,
            len(entry[E_HOLDERS]),
        )  # fmt: skip
        state.op, state.entry = "create", entry
        same_uid.append(state)
        plan.created.append(state)

    def _add_holder(self, target: _State, entry: tuple, holder: str | None, plan: _Plan) -> None:
        """A tabular row bringing another holder of a contract already seen."""
        if holder is not None:
            target.ids.add(holder)
        flags = list(dict.fromkeys([*target.flags, *entry[E_FLAGS]]))
        if "missing_holder" in flags and entry[E_HOLDERS]:
            flags.remove("missing_holder")
        rows = [(*h[:3], target.holders + i, True, True, h[H_SIRET]) for i, h in enumerate(entry[E_HOLDERS])]
        target.holders += len(rows)
        target.flags = flags
        if target.op in ("create", "replace"):
            old = target.entry
            fields = list(old[E_FIELDS])
            fields[F_FLAGS] = orjson.dumps(flags).decode()
            target.entry = (old[0], tuple(fields), old[E_HOLDERS] + tuple(rows), *old[E_MODIFICATIONS:E_FLAGS],
                            tuple(flags))  # fmt: skip
            return
        if target.op is None:
            target.op = "extend"
            plan.extended.append(target)
        plan.added_holders.append((target, rows))

    # -- writing ----------------------------------------------------------------------------------------------

    def _write(self, plan: _Plan, row: SourceFile) -> None:
        now = bulk.prepared(timezone.now(), Contract._meta.get_field("updated_at"))
        written = plan.created + plan.replaced
        buyers: dict[str, str] = {}
        suppliers: dict[str, str] = {}
        for state in written:
            entry = state.entry
            buyer_siret = entry[E_BUYER_SIRET]
            if buyer_siret and buyer_siret not in buyers:
                buyers[buyer_siret] = entry[E_FIELDS][_BUYER_NAME]
            for holder in entry[E_HOLDERS]:
                siret = holder[H_SIRET]
                if siret and siret not in suppliers:
                    suppliers[siret] = holder[2]
        for _state, rows in plan.added_holders:
            for holder in rows:
                if holder[H_SIRET]:
                    suppliers.setdefault(holder[H_SIRET], holder[2])
        self._ensure_organisations(buyers, suppliers, now)
        organisations = self._organisations
        territories = self._territories

        if plan.created:
            first = _allocate_ids(Contract, len(plan.created))
            for offset, state in enumerate(plan.created, start=first):
                state.pk = offset
        contract_rows = []
        update_rows = []
        holder_rows = []
        modification_rows = []
        file_pk = row.pk
        for state in written:
            entry = state.entry
            fields = entry[E_FIELDS]
            buyer_siret = entry[E_BUYER_SIRET]
            buyer = organisations[buyer_siret] if buyer_siret else None
            department = buyer[3] if buyer else ""
            territory = territories.get((fields[_PLACE_TYPE], fields[_PLACE_CODE], department))
            if territory is None:
                territory = self._territory(fields, department)
            pk = state.pk
            if state.op == "create":
                contract_rows.append((pk, *fields, buyer[0] if buyer else None, *territory, file_pk, now, now))
            else:
                update_rows.append(
                    (*[fields[i] for i in _UPDATE_SLICE], buyer[0] if buyer else None, *territory, file_pk, now, pk)
                )
            for holder in entry[E_HOLDERS]:
                siret = holder[H_SIRET]
                holder_rows.append((pk, organisations[siret][0] if siret else None, *holder[:H_SIRET]))
            if entry[E_MODIFICATIONS]:
                modification_rows.extend((pk, *modification) for modification in entry[E_MODIFICATIONS])
        for state, rows in plan.added_holders:
            for holder in rows:
                siret = holder[H_SIRET]
                holder_rows.append((state.pk, organisations[siret][0] if siret else None, *holder[:H_SIRET]))
        if plan.replaced:
            pks = [state.pk for state in plan.replaced]
            bulk.delete_in(ContractHolder, "contract_id", pks)
            bulk.delete_in(ContractModification, "contract_id", pks)
        bulk.copy_rows(Contract, INSERT_COLUMNS, contract_rows)
        bulk.update_rows(Contract, UPDATE_COLUMNS, update_rows)
        if plan.extended:
            bulk.update_rows(
                Contract,
                ["flags", "updated_at"],
                [(orjson.dumps(state.flags).decode(), now, state.pk) for state in plan.extended],
            )
        bulk.copy_rows(ContractHolder, HOLDER_COLUMNS, holder_rows)
        bulk.copy_rows(ContractModification, MODIFICATION_COLUMNS, modification_rows)
        if plan.rejections:
            rejections = [
                (file_pk, entry[1][:POSITION_LENGTH], entry[2], entry[3], entry[4] if entry[0] != FAULT else "", now)
                for entry in plan.rejections
            ]
            bulk.insert_rows(RejectedRecord, REJECTION_COLUMNS, rejections, ignore_conflicts=True)

    def _territory(self, fields: tuple, buyer_department: str) -> tuple[str, str, str]:
        place_type, place_code = fields[_PLACE_TYPE], fields[_PLACE_CODE]
        key = (place_type, place_code, buyer_department)
        found = self._territories.get(key)
        if found is None:
            territory = resolve_territory(place_type, place_code, buyer_department, self.lookup)
            found = (territory.department, territory.region, territory.source)
            if len(self._territories) < 500_000:
                self._territories[key] = found
        return found

    def _ensure_organisations(self, buyers: dict[str, str], suppliers: dict[str, str], now: Any) -> None:
        """Create the organisations missing by SIRET (valid SIRETs only, named as published), and set the buyer /
        supplier switch on known ones that lack it. Derived fields come from ``Organisation.set_derived_fields``."""
        known = self._organisations
        new: dict[str, list] = {}
        switches: list[tuple] = []
        renames: list[tuple] = []
        for sirets, is_buyer in ((buyers, True), (suppliers, False)):
            for siret, name in sirets.items():
                name = (name or "")[:ORGANISATION_NAME_LENGTH].strip()
                entry = known.get(siret)
                if entry is None:
                    spec = new.get(siret)
                    if spec is None:
                        new[siret] = [name, is_buyer, not is_buyer]
                    else:
                        spec[1] = spec[1] or is_buyer
                        spec[2] = spec[2] or not is_buyer
                        spec[0] = spec[0] or name
                    continue
                index = 1 if is_buyer else 2
                if not entry[index]:
                    entry[index] = True
                    switches.append(entry)
                if entry[4] and name:  # created without a name (2024 format): take the first one published
                    entry[4] = False
                    renames.append((siret, name, entry[0]))
        if new:
            first = _allocate_ids(Organisation, len(new))
            rows = []
            for offset, (siret, (name, is_buyer, is_supplier)) in enumerate(new.items()):
                organisation = self._new_organisation(siret, name or siret, is_buyer, is_supplier, now)
                rows.append((first + offset, *organisation))
                known[siret] = [first + offset, is_buyer, is_supplier, "", not name]
            bulk.copy_rows(Organisation, ["id", *[f.attname for f in self._organisation_fields]], rows)
        if switches:
            bulk.update_rows(
                Organisation, ["is_buyer", "is_supplier", "updated_at"], [(e[1], e[2], now, e[0]) for e in switches]
            )
        for siret, name, pk in renames:
            organisation = self._new_organisation(siret, name, False, False, now)
            values = dict(zip([f.attname for f in self._organisation_fields], organisation, strict=True))
            bulk.update_rows(
                Organisation, ["name", "search_text", "updated_at"], [(values["name"], values["search_text"], now, pk)]
            )

    def _new_organisation(self, siret: str, name: str, is_buyer: bool, is_supplier: bool, now: Any) -> list:
        """Column values of a new organisation: model defaults, our values, then ``set_derived_fields()``."""
        organisation = Organisation.__new__(Organisation)
        organisation.__dict__.update(self._organisation_template.__dict__)
        organisation._state = ModelState()
        organisation.siret, organisation.name = siret, name
        organisation.is_buyer, organisation.is_supplier = is_buyer, is_supplier
        organisation.set_derived_fields()
        values = []
        attributes = organisation.__dict__
        for model_field, (attname, default, prepared) in zip(
            self._organisation_fields, self._organisation_defaults, strict=True
        ):
            if attname in ("created_at", "updated_at"):
                values.append(now)
                continue
            value = attributes[attname]
            if value is default:
                values.append(prepared)
            elif value is None or type(value) in _PLAIN:  # text, switches, ids: already in database form
                values.append(value)
            else:
                values.append(model_field.get_db_prep_save(value, connection))
        return values


def _run_id(sources: list[str], archives: tuple[str, ...]) -> tuple[str, bool]:
    """(run id, resuming?): the id of the stopped run to resume when one of these paths has an unfinished file
    (the same command run again), else a new one."""
    unfinished = (
        SourceFile.objects.filter(source__name__in=set(sources), archive__in=set(archives))
        .exclude(status=SourceFile.Status.DONE)
        .exclude(run="")
        .order_by("-started_at", "-id")
        .values_list("run", flat=True)
        .first()
    )
    if unfinished:
        return unfinished, True
    return uuid.uuid4().hex, False


_PLAIN = (str, bool, int)
_BUYER_NAME = CONTRACT_FIELDS.index("buyer_name")
_PLACE_TYPE = CONTRACT_FIELDS.index("place_type")
_PLACE_CODE = CONTRACT_FIELDS.index("place_code")


@dataclass
class _Plan:
    created: list[_State] = field(default_factory=list)
    replaced: list[_State] = field(default_factory=list)
    extended: list[_State] = field(default_factory=list)
    added_holders: list[tuple[_State, list[tuple]]] = field(default_factory=list)
    rejections: list[tuple] = field(default_factory=list)


def _flags(value: Any) -> list[str]:
    if isinstance(value, str):
        try:
            value = orjson.loads(value)
        except orjson.JSONDecodeError:
            return []
    return list(value) if isinstance(value, list) else []


def _modification_summary(pks: list[int]) -> dict[int, tuple[int, str]]:
    """contract id → (number of modifications, latest modification date as ISO text)."""
    summary: dict[int, tuple[int, str]] = {}
    for contract_id, notified, published in bulk.select_in(
        ContractModification, ["contract_id", "notification_date", "publication_date"], "contract_id", pks
    ):
        count, last = summary.get(contract_id, (0, ""))
        when = iso(notified) or iso(published) or ""
        summary[contract_id] = (count + 1, max(last, when))
    return summary


def _allocate_ids(model: Any, count: int) -> int:
    """The first of ``count`` consecutive primary keys reserved for rows inserted with explicit ids.

    PostgreSQL: taken from the table's sequence (safe with concurrent writers; the block is consecutive because
    the values come from one ``generate_series`` — ids may have gaps, never duplicates). SQLite: after the
    largest id ever used (``sqlite_sequence`` of AUTOINCREMENT tables), which is safe because the caller already
    wrote in this transaction: SQLite lets one writer at a time, until commit."""
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)", [table, pk, count]
            )
            values = [row[0] for row in cursor.fetchall()]
            if values != list(range(values[0], values[0] + count)):
                # Another session interleaved: take a fresh block past every value handed out.
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), nextval(pg_get_serial_sequence(%s, %s)) + %s)",
                    [table, pk, table, pk, count],
                )
                return cursor.fetchone()[0] - count + 1
            return values[0]
        cursor.execute(f"SELECT COALESCE(MAX({bulk.quote(pk)}), 0) FROM {bulk.quote(table)}")
        largest = cursor.fetchone()[0]
        cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
        sequence = cursor.fetchone()
        return max(largest, sequence[0] if sequence else 0) + 1
