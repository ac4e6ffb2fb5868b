"""Apply SIRENE stock files to our organisations: stream the files, keep only the rows of organisations we hold,
turn each into field changes (`enrich`), write them in batches.

Only the set of our SIRETs and SIRENs (and the small commune and NAF tables) is held in memory. Each batch is
written in its own transaction, one UPDATE of the changed columns per changed organisation, recomputing what
Organisation.save() would derive (department, size category, search key); a run stopped midway is finished by
running it again.
"""

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from tremplin.core.text import search_key
from tremplin.ingest.sirene import enrich
from tremplin.ingest.sirene.reader import BadRow, FileKind, Progress, SireneFile, open_sources
from tremplin.organisations.models import Organisation
from tremplin.organisations.rules import derive_size_category
from tremplin.referentials.models import Commune, NafCode, NafLevel

# Logical field → model attribute.
ATTRIBUTES = {
    "name": "name",
    "address": "address",
    "postcode": "postcode",
    "commune": "commune_id",
    "department": "department_id",
    "naf": "naf_id",
    "buyer_type": "buyer_type",
    "headcount_band": "headcount_band",
    "establishment_headcount_band": "establishment_headcount_band",
    "company_category": "company_category",
    "legal_category": "legal_category",
    "is_ess": "is_ess",
    "is_closed": "is_closed",
    "closed_on": "closed_on",
}
FOREIGN_KEYS = {"commune", "department", "naf"}
LOADED = [
    "id",
    "siret",
    "declared_size_category",
    "size_category",
    "size_source",
    "search_text",
    "updated_at",
    "sirene_updated_at",
    "sirene_values",
    *ATTRIBUTES,  # logical names are the model field names
]

SKIP_LABELS = {
    "invalid_siren": "SIREN illisible en première colonne",
    "invalid_siret": "SIRET invalide",
    "column_count": "nombre de colonnes incorrect",
    "unreadable": "ligne CSV illisible",
}
WARNING_LABELS = {
    "unknown_commune": "code commune inconnu (commune non importée)",
    "unknown_naf": "code NAF inconnu (activité non importée)",
    "partial_diffusion": "diffusion partielle (adresse et noms non importés)",
}
FIELD_LABELS = {
    "name": "raison sociale",
    "address": "adresse",
    "postcode": "code postal",
    "commune": "commune",
    "department": "département",
    "naf": "code NAF",
    "buyer_type": "type d'acheteur",
    "headcount_band": "tranche d'effectif (unité légale)",
    "establishment_headcount_band": "tranche d'effectif (établissement)",
    "company_category": "catégorie d'entreprise",
    "legal_category": "catégorie juridique",
    "is_ess": "ESS",
    "is_closed": "établissement fermé",
    "closed_on": "date de fermeture",
}


@dataclass
class FileReport:
    label: str
    kind: str
    read: int = 0
    matched: int = 0
    updated: int = 0
    unchanged: int = 0
    seconds: float = 0.0
    skipped: Counter = field(default_factory=Counter)
    warnings: Counter = field(default_factory=Counter)
    examples: list[BadRow] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.read / self.seconds if self.seconds > 0 else 0.0


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    fields: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    dry_run: bool = False

    def total(self, name: str) -> int:
        return sum(getattr(report, name) for report in self.files)

    @property
    def changed(self) -> bool:
        return self.total("updated") > 0

    def summary(self) -> dict:
        skipped, warnings = Counter(), Counter()
        for report in self.files:
            skipped.update(report.skipped)
            warnings.update(report.warnings)
        seconds = sum(report.seconds for report in self.files)
        return {
            "read": self.total("read"),
            "matched": self.total("matched"),
            "updated": self.total("updated"),
            "unchanged": self.total("unchanged"),
            "skipped": dict(sorted(skipped.items())),
            "warnings": dict(sorted(warnings.items())),
            "fields": {name: dict(counts) for name, counts in sorted(self.fields.items())},
            "rows_per_second": round(self.total("read") / seconds) if seconds > 0 else 0,
            "dry_run": self.dry_run,
            "files": [
                {
                    "file": report.label,
                    "kind": report.kind,
                    "read": report.read,
                    "matched": report.matched,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "skipped": dict(sorted(report.skipped.items())),
                    "warnings": dict(sorted(report.warnings.items())),
                    "seconds": round(report.seconds, 3),
                }
                for report in self.files
            ],
        }


class OrganisationIndex:
    """Our SIRETs and SIRENs → organisation ids: the only per-organisation data kept for the whole run."""

    def __init__(self, pairs: Iterable[tuple[int, str]]):
        self.by_siret: dict[str, int] = {}
        self.by_siren: dict[str, list[int]] = defaultdict(list)
        for pk, siret in pairs:
            self.by_siret[siret] = pk
            self.by_siren[siret[:9]].append(pk)
        self.sirens = frozenset(self.by_siren)

    @classmethod
    def load(cls) -> "OrganisationIndex":
        return cls(Organisation.objects.values_list("id", "siret").iterator(chunk_size=10_000))


def load_lookups() -> enrich.Lookups:
    return enrich.Lookups(
        communes=dict(Commune.objects.values_list("code", "department_id")),
        naf_codes=frozenset(NafCode.objects.filter(level=NafLevel.SUBCLASS).values_list("code", flat=True)),
    )


def check_files(paths: Iterable[Path]) -> list[tuple[str, FileKind]]:
    """Open every file and read its header (nothing else), so that a wrong file fails before any import."""
    found = []
    for path in paths:
        with open_sources(path) as sources:
            for label, stream in sources:
                found.append((label, SireneFile(label, stream).kind))
    return found


def import_sirene(
    paths: Iterable[Path],
    *,
    dry_run: bool = False,
    batch_size: int = 2000,
    max_examples: int = 5,
    progress: Callable[[Progress], None] | None = None,
    progress_every: int = 1_000_000,
    on_file_done: Callable[[FileReport], None] | None = None,
) -> ImportReport:
    """Read the files in order (any mix of establishment and legal unit tables) and enrich our organisations.
    Every file's header is checked first: SireneFormatError or FileNotFoundError before anything is written."""
    paths = list(paths)
    check_files(paths)
    run = _Run(dry_run, batch_size, max_examples, progress, progress_every)
    for path in paths:
        with open_sources(path) as sources:
            for label, stream in sources:
                file_report = run.import_file(SireneFile(label, stream))
                if on_file_done:
                    on_file_done(file_report)
    return run.report


class _Run:
    def __init__(self, dry_run, batch_size, max_examples, progress, progress_every):
        self.report = ImportReport(dry_run=dry_run)
        self.index = OrganisationIndex.load()
        self.lookups = load_lookups()
        self.dry_run = dry_run
        self.batch_size = batch_size
        self.max_examples = max_examples
        self.progress = progress
        self.progress_every = progress_every

    def import_file(self, source: SireneFile) -> FileReport:
        started = time.monotonic()
        file_report = FileReport(label=source.label, kind=source.kind.value)
        self.report.files.append(file_report)
        establishments = source.kind == FileKind.ESTABLISHMENTS
        batch: list[tuple[int, object]] = []

        def bad(row: BadRow) -> None:
            file_report.skipped[row.reason] += 1
            if len(file_report.examples) < self.max_examples:
                file_report.examples.append(row)

        for number, row in source.candidates(self.index.sirens, bad, self.progress, self.progress_every):
            if establishments:
                facts = enrich.EstablishmentFacts.from_row(row)
                problem = enrich.siret_problem(enrich.clean(row["siren"]), enrich.clean(row["nic"]), facts.siret)
                if problem:
                    bad(BadRow(number, problem, facts.siret or "(vide)"))
                    continue
                pk = self.index.by_siret.get(facts.siret)
                if pk is not None:
                    batch.append((pk, facts))
            else:
                facts = enrich.LegalUnitFacts.from_row(row)
                batch.extend((pk, facts) for pk in self.index.by_siren.get(facts.siren, ()))
            if len(batch) >= self.batch_size:
                self.apply(batch, file_report)
                batch = []
        if batch:
            self.apply(batch, file_report)
        file_report.read = source.rows
        file_report.seconds = time.monotonic() - started
        return file_report

    def apply(self, batch, file_report: FileReport) -> None:
        _apply(batch, self.lookups, self.report, file_report, self.dry_run)


def snapshot(org: Organisation) -> dict[str, object]:
    current: dict[str, object] = {name: getattr(org, attribute) for name, attribute in ATTRIBUTES.items()}
    for name in FOREIGN_KEYS:
        current[name] = current[name] or ""
    current["siret"] = org.siret
    current["sirene_values"] = org.sirene_values or {}
    return current


def _apply(batch, lookups, report: ImportReport, file_report: FileReport, dry_run: bool) -> None:
    organisations = Organisation.objects.only(*LOADED).in_bulk({pk for pk, _ in batch})
    now = timezone.now()
    written: dict[int, set[str]] = defaultdict(set)  # organisation id → attributes to write
    for pk, facts in batch:
        org = organisations.get(pk)
        if org is None:  # deleted since the index was read
            continue
        current = snapshot(org)
        if isinstance(facts, enrich.EstablishmentFacts):
            plan = enrich.plan_establishment(facts, current, lookups)
        else:
            plan = enrich.plan_legal_unit(facts, current, lookups)
        file_report.matched += 1
        file_report.warnings.update(plan.warnings)
        for name in plan.considered:
            if name in plan.changes:
                report.fields[name]["updated"] += 1
            elif name in plan.kept:
                report.fields[name]["kept"] += 1
            else:
                report.fields[name]["unchanged"] += 1
        attributes = written[pk] if (plan.changes or plan.sirene_values is not None) else set()
        for name, value in plan.changes.items():
            attribute = ATTRIBUTES[name]
            setattr(org, attribute, (value or None) if name in FOREIGN_KEYS else value)
            attributes.add(attribute)
        if plan.sirene_values is not None:  # bookkeeping only: not an update of the organisation
            org.sirene_values = plan.sirene_values
            attributes.add("sirene_values")
        if plan.changes:
            file_report.updated += 1
            org.sirene_updated_at = now
            org.updated_at = now
            attributes.update({"sirene_updated_at", "updated_at"})
            if "name" in plan.changes:
                org.search_text = search_key(org.name)[:255]
                attributes.add("search_text")
            if plan.changes.keys() & {"headcount_band", "company_category"}:
                org.size_category, org.size_source = derive_size_category(
                    org.headcount_band, org.company_category, org.declared_size_category
                )
                attributes.update({"size_category", "size_source"})
        else:
            file_report.unchanged += 1
    if written and not dry_run:
        # One plain UPDATE per organisation, of its changed columns only: bulk_update's CASE WHEN statements cost
        # ~5 ms per row to build, ten times more.
        with transaction.atomic():
            for pk, attributes in written.items():
                org = organisations[pk]
                Organisation.objects.filter(pk=pk).update(**{name: getattr(org, name) for name in attributes})
