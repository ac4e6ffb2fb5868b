"""Import of emission factors from CSV (command `import_emission_factors` and the staff page).

Format: a header line naming the columns (any order; accents, case and spaces ignored), `;` or `,` as separator,
UTF-8 with or without BOM (Windows-1252 accepted on the page), decimal comma or point. A factor is identified by
(reference_source, valide_du): importing the file again updates those factors, never duplicates them. Lines in
error are reported one by one and not imported; the others are."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction

from tremplin.carbon import rules
from tremplin.carbon.models import EmissionFactor, FactorImport
from tremplin.core.imports import (
    UNREADABLE_ENCODING,
    Column,
    ImportBatch,
    ImportLine,
    csv_text,
    decode_text,
    guess_delimiter,
    header_name,
)
from tremplin.core.parsing import ParseError, parse_decimal
from tremplin.core.parsing import parse_date as core_parse_date
from tremplin.core.text import search_key

MAX_UPLOAD_BYTES = 1024 * 1024
MAX_LINES = 5000


COLUMNS = (
    Column("type", "production, transport ou energie.", True, "transport"),
    Column("nom", "Nom du facteur tel que la source le donne.", True, "Exemple fictif — camion articulé 40 t"),
    Column(
        "unite",
        "Unité du facteur : kg, t, unite, m2, l, m3, kWh, MWh, GJ, t.km, €, k€, km (ou « kgCO2e/kWh »).",
        True,
        "t.km",
    ),
    Column("valeur_kgco2e", "Valeur en kgCO2e par unité (virgule ou point décimal).", True, "0,1"),
    Column("valide_du", "Début de validité (JJ/MM/AAAA ou AAAA-MM-JJ).", True, "01/01/2025"),
    Column("valide_au", "Fin de validité ; vide si le facteur est toujours valide."),
    Column(
        "source",
        "Nom de la source (par ex. « Base Empreinte® V23.6 ») ; sinon l'option --source.",
        False,
        "Exemple fictif",
    ),
    Column(
        "reference_source",
        "Identifiant du facteur dans la source (par ex. l'identifiant de l'élément).",
        True,
        "FICTIF-001",
    ),
    Column("url_source", "Adresse de la source (http ou https)."),
    Column("incertitude_pct", "Incertitude en %, si la source la donne."),
    Column("mode_transport", "Pour un facteur de transport : routier, ferroviaire, fluvial, maritime ou aerien."),
)
COLUMN_NAMES = tuple(column.name for column in COLUMNS)
KIND_ALIASES = {
    "production": rules.KIND_PRODUCTION,
    "transport": rules.KIND_TRANSPORT,
    "energie": rules.KIND_ENERGY,
    "energy": rules.KIND_ENERGY,
}
MODE_ALIASES = {search_key(label): code for code, label in rules.TRANSPORT_MODES.items()} | {
    code: code for code in rules.TRANSPORT_MODES
}
COMPARED = ("kind", "name", "unit", "value", "valid_to", "source_name", "source_url", "uncertainty_percent")
COMPARED += ("transport_mode",)


def template_csv() -> str:
    """The downloadable template: the header and one line whose values are fake (named as such)."""
    return csv_text(COLUMN_NAMES, [[column.example for column in COLUMNS]])


def parse_date(raw: str) -> date:
    try:
        return core_parse_date(raw)
    except ParseError:
        raise ValueError(f"« {raw.strip()} » n'est pas une date (JJ/MM/AAAA, par exemple 01/01/2025).") from None


@dataclass
class Line(ImportLine):
    values: dict = field(default_factory=dict)
    action: str = ""  # "Création", "Mise à jour", "Inchangé" once compared with the database

    @property
    def label(self) -> str:
        reference = self.cells.get("reference_source", "")
        return f"réf. {reference}" if reference else ""


class Batch(ImportBatch):
    pass


def decode(raw: bytes) -> str:
    text = decode_text(raw)
    if text is None:  # pragma: no cover - cp1252 decodes almost anything
        raise ValueError(UNREADABLE_ENCODING)
    return text


def parse_factors(text: str, default_source: str = "", max_lines: int | None = MAX_LINES) -> Batch:
    """Check a factor file line by line (no database access)."""
    try:
        return _parse(text, default_source, max_lines)
    except csv.Error as error:
        return Batch(file_errors=[f"Fichier CSV illisible : {error}."])


def _parse(text: str, default_source: str, max_lines: int | None) -> Batch:
    batch = Batch()
    text = text.lstrip("\ufeff")
    if not text.strip():
        batch.file_errors.append("Le fichier est vide.")
        return batch
    reader = csv.reader(io.StringIO(text), delimiter=guess_delimiter(text.splitlines()[0]))
    header = [header_name(cell) for cell in next(reader)]
    missing = [c.name for c in COLUMNS if c.required and c.name not in header]
    if "source" not in header and not default_source:
        missing.append("source (ou l'option --source)")
    if missing:
        batch.file_errors.append("Colonnes manquantes : " + ", ".join(missing) + ". Partez du modèle de fichier.")
        return batch
    seen: dict[tuple, int] = {}
    for index, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if max_lines is not None and len(batch.lines) >= max_lines:
            batch.file_errors.append(f"Le fichier compte plus de {max_lines} lignes : découpez-le.")
            batch.lines = []
            return batch
        line = Line(index, {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if name})
        _check(line, default_source)
        if line.ok:
            key = (line.values["source_reference"], line.values["valid_from"])
            if key in seen:
                line.error("reference_source", f"même référence et même date de début que la ligne {seen[key]}.")
            else:
                seen[key] = line.number
        batch.lines.append(line)
    if not batch.lines:
        batch.file_errors.append("Le fichier ne contient aucune ligne de facteur après l'en-tête.")
    return batch


def _check(line: Line, default_source: str) -> None:  # noqa: C901 - one check per column, in order
    get = line.cells.get
    values = line.values
    for column in COLUMNS:
        if column.required and not get(column.name):
            line.error(column.name, "obligatoire.")
    kind = KIND_ALIASES.get(search_key(get("type", "")))
    if get("type") and kind is None:
        line.error("type", f"« {get('type')} » inconnu : production, transport ou energie.")
    values["kind"] = kind
    values["name"] = get("nom", "")[:300]
    if get("unite"):
        try:
            values["unit"] = rules.parse_unit(get("unite"))
        except rules.CarbonError as error:
            line.error("unite", str(error))
    if kind and values.get("unit"):
        try:
            rules.check_factor_unit(kind, values["unit"])
        except rules.CarbonError as error:
            line.error("unite", str(error))
    for column, key in (("valeur_kgco2e", "value"), ("incertitude_pct", "uncertainty_percent")):
        if get(column):
            try:
                values[key] = parse_decimal(get(column))
            except ValueError as error:
                line.error(column, str(error))
                continue
            if values[key] < 0:
                line.error(column, "doit être positive ou nulle.")
            elif abs(values[key].as_tuple().exponent) > 8 or values[key] >= Decimal(10) ** 12:
                line.error(column, "valeur hors limites (8 décimales au plus, moins de mille milliards).")
    values.setdefault("uncertainty_percent", None)
    for column, key in (("valide_du", "valid_from"), ("valide_au", "valid_to")):
        values.setdefault(key, None)
        if get(column):
            try:
                values[key] = parse_date(get(column))
            except ValueError as error:
                line.error(column, str(error))
    if values["valid_from"] and values["valid_to"] and values["valid_to"] < values["valid_from"]:
        line.error("valide_au", "la fin de validité précède son début.")
    values["source_name"] = (get("source") or default_source)[:200]
    if not values["source_name"]:
        line.error("source", "obligatoire (colonne source ou option --source).")
    values["source_reference"] = get("reference_source", "")[:200]
    url = get("url_source", "")
    if url and not re.match(r"^https?://\S+$", url):
        line.error("url_source", "adresse invalide (elle commence par http:// ou https://).")
    values["source_url"] = url[:500]
    mode = get("mode_transport", "")
    values["transport_mode"] = MODE_ALIASES.get(search_key(mode), None) if mode else ""
    if values["transport_mode"] is None:
        line.error("mode_transport", f"« {mode} » inconnu : routier, ferroviaire, fluvial, maritime ou aerien.")
    elif values["transport_mode"] and kind and kind != rules.KIND_TRANSPORT:
        line.error("mode_transport", "seulement pour un facteur de transport.")


def compare_with_database(batch: Batch) -> None:
    """Set each valid line's action: creation, update or unchanged."""
    keys = {(line.values["source_reference"], line.values["valid_from"]) for line in batch.valid}
    references = {reference for reference, _ in keys}
    existing = {
        (factor.source_reference, factor.valid_from): factor
        for factor in EmissionFactor.objects.filter(source_reference__in=references)
    }
    for line in batch.valid:
        factor = existing.get((line.values["source_reference"], line.values["valid_from"]))
        if factor is None:
            line.action = "Création"
        elif all(getattr(factor, name) == line.values[name] for name in COMPARED):
            line.action = "Inchangé"
        else:
            line.action = "Mise à jour"


@transaction.atomic
def save_batch(batch: Batch, file_name: str, default_source: str = "", user=None) -> FactorImport:
    """Create or update the valid lines; record the import with the rejected lines."""
    compare_with_database(batch)
    record = FactorImport.objects.create(
        file_name=file_name[:255],
        default_source=default_source[:200],
        imported_by=user,
        rejected=[{"line": line.number, "errors": line.errors} for line in batch.invalid],
    )
    for line in batch.valid:
        key = {"source_reference": line.values["source_reference"], "valid_from": line.values["valid_from"]}
        if line.action == "Inchangé":
            record.unchanged += 1
            continue
        defaults = {name: line.values[name] for name in COMPARED} | {"import_batch": record}
        EmissionFactor.objects.update_or_create(**key, defaults=defaults)
        if line.action == "Création":
            record.created += 1
        else:
            record.updated += 1
    record.save()
    return record
