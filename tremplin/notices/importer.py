"""Import published notices (``tremplin import_boamp`` / ``tremplin import_ted``): parsed notices → our models.

Guarantees, as for every importer of the platform:

- **streaming**: files are read one at a time by ``tremplin.ingest.notices.read_notices`` (a BOAMP summary file
  entry by entry, an archive member by member); writes are committed every ``batch_size`` notices;
- **idempotent**: a notice is identified by (source, key) and copies of it are compared by the rule of
  ``tremplin.notices.rules`` (newer eForms version or complete notice replaces, same content changes nothing, a
  copy of equal rank with another content is a conflict recorded as rejected): importing the same files again
  creates and changes nothing;
- **nothing lost**: a file or record the parser rejects, a notice of the other source, a conflicting copy or a
  notice the database refuses is kept in ``RejectedNotice`` with its reason and the beginning of its raw text;
  once a later import reads it correctly, its rejection is removed;
- the buyer (and each award winner) with a valid SIRET is linked to its ``Organisation``, created when missing
  (``is_buyer`` / ``is_supplier``), through its normal ``save()``;
- a notice that refers to another one (correction, cancellation, award after a call for competition) is linked to
  it when both are imported, whatever the order.

``read`` = ``created`` + ``updated`` + ``unchanged`` + ``rejected``; ``flagged`` counts the notices read (and not
rejected) with at least one quality flag.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from django.db import DatabaseError, transaction
from django.db.models import Q

from tremplin.ingest.notices import REJECTIONS, Rejection, read_notices
from tremplin.ingest.notices import Notice as ParsedNotice
from tremplin.notices import rules
from tremplin.notices.excerpts import read_excerpts
from tremplin.notices.mapping import MappedNotice, map_notice
from tremplin.notices.models import (
    Notice,
    NoticeAward,
    NoticeCpv,
    NoticeLot,
    NoticeWinner,
    RejectedNotice,
    Source,
)
from tremplin.organisations.models import Organisation
from tremplin.organisations.rules import is_valid_siret

COMMANDS = {Source.BOAMP: "import_boamp", Source.TED: "import_ted"}
IMPORT_REJECTIONS = {
    "wrong_source": "Avis d'une autre source",
    "version_conflict": "Autre copie du même avis, de même version mais de contenu différent : la copie déjà "
    "enregistrée est conservée",
    "database_error": "Avis refusé par la base de données",
}
REJECTION_LABELS = {**REJECTIONS, **IMPORT_REJECTIONS}
ORGANISATION_NAME_LENGTH = Organisation._meta.get_field("name").max_length


class SourcePathError(FileNotFoundError):
    """A path given on the command line that does not exist; the message is French."""


@dataclass
class Progress:
    path: str
    files: int
    read: int
    seconds: float


@dataclass
class ImportReport:
    source: str
    read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    flagged: int = 0
    files: int = 0
    organisations_created: int = 0
    links: int = 0
    seconds: float = 0.0
    rejections: Counter = field(default_factory=Counter)
    flags: Counter = field(default_factory=Counter)

    def summary(self) -> dict[str, int]:
        """The ``--json`` line of the commands."""
        keys = ("read", "created", "updated", "unchanged", "rejected", "flagged")
        return {key: getattr(self, key) for key in keys}


@dataclass(frozen=True)
class PendingRejection:
    file: str
    position: str
    code: str
    reason: str


def iter_data_files(path: Path) -> Iterator[Path]:
    """The files of ``path`` in the reader's order (a directory is read recursively in name order, hidden files
    skipped), so that each file's rejections can be completed with its raw text once the file is read."""
    if path.is_dir():
        for child in sorted(path.rglob("*")):
            if child.is_file() and not any(part.startswith(".") for part in child.relative_to(path).parts):
                yield child
    else:
        yield path


class _Batches:
    """One transaction per ``size`` notices: a crash loses at most the current batch, which a re-run redoes."""

    def __init__(self, size: int):
        self.size = max(1, size)
        self.count = 0
        self._atomic = None

    def __enter__(self):
        self._open()
        return self

    def __exit__(self, *exc):
        return self._atomic.__exit__(*exc)

    def _open(self) -> None:
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def tick(self) -> None:
        self.count += 1
        if self.count >= self.size:
            self._atomic.__exit__(None, None, None)
            self.count = 0
            self._open()


class NoticeImporter:
    def __init__(
        self,
        source: str,
        *,
        batch_size: int = 200,
        progress: Callable[[Progress], None] | None = None,
        progress_every: int = 500,
    ):
        if source not in COMMANDS:
            raise ValueError(f"unknown source {source!r}")
        self.source = source
        self.batch_size = batch_size
        self.progress = progress
        self.progress_every = max(1, progress_every)
        self.report = ImportReport(source=source)
        self._started = 0.0
        self._rejected: set[tuple[str, str]] = set()  # (file, position) of the stored rejections

    # ------------------------------------------------------------------ run

    def run(self, paths: Iterable[str | Path]) -> ImportReport:
        paths = [Path(p) for p in paths]
        missing = [str(p) for p in paths if not p.exists()]
        if missing:
            raise SourcePathError(f"Fichier ou dossier introuvable : {', '.join(missing)}.")
        self._started = time.monotonic()
        self._rejected = set(RejectedNotice.objects.values_list("file", "position"))
        with _Batches(self.batch_size) as batches:
            for path in paths:
                for data_file in iter_data_files(path):
                    self._import_file(data_file, batches)
                self._report_progress(str(path))
        self.report.seconds = time.monotonic() - self._started
        return self.report

    def _import_file(self, path: Path, batches: _Batches) -> None:
        pending: list[PendingRejection] = []
        self.report.files += 1
        for item in read_notices(path):
            self.report.read += 1
            if isinstance(item, Rejection):
                pending.append(
                    PendingRejection(item.file or path.name, item.position, item.reason_code, item.reason_fr)
                )
            elif item.source != self.source:
                pending.append(self._wrong_source(item))
            else:
                rejection = self._import_notice(item)
                if rejection is not None:
                    pending.append(rejection)
                batches.tick()
            if self.report.read % self.progress_every == 0:
                self._report_progress(str(path))
        if pending:
            self._record_rejections(path, pending)

    def _report_progress(self, label: str) -> None:
        if self.progress is not None:
            seconds = time.monotonic() - self._started
            self.progress(Progress(label, self.report.files, self.report.read, seconds))

    # ------------------------------------------------------------------ one notice

    def _import_notice(self, parsed: ParsedNotice) -> PendingRejection | None:
        mapped = map_notice(parsed)
        file, position = mapped.fields["raw_file"], mapped.fields["raw_position"]
        stored = (
            Notice.objects.filter(source=self.source, source_id=mapped.key)
            .only("id", "version", "publication_date", "flags", "content_hash", "raw_file", "raw_position")
            .first()
        )
        decision = rules.decide(_copy_of_stored(stored), _copy_of_incoming(mapped))
        if decision == rules.CONFLICT:
            return PendingRejection(file, position, "version_conflict", _conflict_reason(stored, mapped))
        try:
            with transaction.atomic():
                if decision in (rules.CREATE, rules.UPDATE):
                    self._write(stored, mapped)
                if (file, position) in self._rejected:
                    RejectedNotice.objects.filter(file=file, position=position).delete()
        except DatabaseError as error:
            reason = f"{IMPORT_REJECTIONS['database_error']} ({type(error).__name__} : {error})"
            return PendingRejection(file, position, "database_error", reason[:1000])
        self._rejected.discard((file, position))
        if decision == rules.CREATE:
            self.report.created += 1
        elif decision == rules.UPDATE:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        if mapped.flags:
            self.report.flagged += 1
            self.report.flags.update(mapped.flags)
        return None

    def _write(self, stored: Notice | None, mapped: MappedNotice) -> Notice:
        fields = mapped.fields
        buyer = self._organisation(mapped.buyer_siret, fields["buyer_name"], buyer=True, postcode=mapped.buyer_postcode)
        if stored is None:
            notice = Notice(**fields, buyer=buyer)
        else:
            notice = Notice.objects.get(pk=stored.pk)
            for name, value in fields.items():
                setattr(notice, name, value)
            notice.buyer = buyer
            notice.lots.all().delete()
            notice.awards.all().delete()
            notice.cpv_codes.all().delete()
        notice.related = self._find(fields["related_key"], exclude=notice.pk)
        notice.save()
        lots = NoticeLot.objects.bulk_create([NoticeLot(notice=notice, **lot) for lot in mapped.lots])
        lots_by_ref = {lot.lot_ref: lot for lot in lots if lot.lot_ref}
        awards = NoticeAward.objects.bulk_create(
            [NoticeAward(notice=notice, lot=lots_by_ref.get(award["lot_ref"]), **award) for award, _ in mapped.awards]
        )
        winners = []
        for award, (_, award_winners) in zip(awards, mapped.awards, strict=True):
            for winner in award_winners:
                organisation = self._organisation(winner["siret"], winner["name"], buyer=False)
                winners.append(NoticeWinner(award=award, organisation=organisation, **winner))
        NoticeWinner.objects.bulk_create(winners)
        NoticeCpv.objects.bulk_create(
            [NoticeCpv(notice=notice, code=code, is_main=is_main) for code, is_main in mapped.cpv_codes.items()]
        )
        keys = {key for key in (mapped.key, fields["publication_key"]) if key}
        self.report.links += (
            Notice.objects.filter(source=self.source, related__isnull=True, related_key__in=keys)
            .exclude(pk=notice.pk)
            .update(related=notice)
        )
        return notice

    def _find(self, key: str, exclude: int | None) -> Notice | None:
        """The stored notice of this source a reference points to (by key or publication number)."""
        if not key:
            return None
        candidates = Notice.objects.filter(Q(source_id=key) | Q(publication_key=key), source=self.source)
        if exclude is not None:
            candidates = candidates.exclude(pk=exclude)
        return candidates.order_by("id").first()

    def _organisation(self, siret: str, name: str, *, buyer: bool, postcode: str = "") -> Organisation | None:
        if not siret or not is_valid_siret(siret):
            return None
        role = "is_buyer" if buyer else "is_supplier"
        organisation = Organisation.objects.filter(siret=siret).first()
        if organisation is None:
            organisation = Organisation(siret=siret, name=(name or siret)[:ORGANISATION_NAME_LENGTH])
            if len(postcode) == 5 and postcode.isdigit():
                organisation.postcode = postcode
            setattr(organisation, role, True)
            organisation.save()
            self.report.organisations_created += 1
        elif not getattr(organisation, role):
            setattr(organisation, role, True)
            organisation.save()
        return organisation

    # ------------------------------------------------------------------ rejections

    def _wrong_source(self, notice: ParsedNotice) -> PendingRejection:
        other = Source(notice.source)
        reason = (
            f"{IMPORT_REJECTIONS['wrong_source']} ({other.label}) : à importer avec « tremplin {COMMANDS[other]} »."
        )
        return PendingRejection(notice.raw_ref.file, notice.raw_ref.position, "wrong_source", reason)

    def _record_rejections(self, path: Path, pending: list[PendingRejection]) -> None:
        excerpts = read_excerpts(path, {rejection.file for rejection in pending})
        with transaction.atomic():
            for rejection in pending:
                RejectedNotice.objects.update_or_create(
                    file=rejection.file[:500],
                    position=rejection.position[:200],
                    defaults={
                        "source": self.source,
                        "reason_code": rejection.code[:40],
                        "reason": rejection.reason,
                        "excerpt": excerpts.get(rejection.file, ""),
                    },
                )
        self._rejected.update((rejection.file[:500], rejection.position[:200]) for rejection in pending)
        self.report.rejected += len(pending)
        self.report.rejections.update(rejection.code for rejection in pending)


def _copy_of_stored(stored: Notice | None) -> rules.StoredCopy | None:
    if stored is None:
        return None
    rank = rules.Rank.of("summary_only" in stored.flags, stored.version, stored.publication_date)
    return rules.StoredCopy(rank, stored.content_hash, stored.raw_file, stored.raw_position)


def _copy_of_incoming(mapped: MappedNotice) -> rules.StoredCopy:
    fields = mapped.fields
    rank = rules.Rank.of("summary_only" in mapped.flags, mapped.version, fields["publication_date"])
    return rules.StoredCopy(rank, fields["content_hash"], fields["raw_file"], fields["raw_position"])


def _conflict_reason(stored: Notice, mapped: MappedNotice) -> str:
    return (
        f"{IMPORT_REJECTIONS['version_conflict']} ({stored.raw_file}#{stored.raw_position}, "
        f"avis {mapped.key}{f' version {mapped.version}' if mapped.version else ''})."
    )


def import_notices(paths: Iterable[str | Path], source: str, **options) -> ImportReport:
    return NoticeImporter(source, **options).run(paths)
