"""Loading reference data from (small) source files: content, idempotence, updates, errors by file and line."""

import copy

import pytest

from tests.referentials.fixtures import naf_path, write_sources
from tremplin.referentials.loaders import load_referentials, load_small_referentials
from tremplin.referentials.models import Commune, CommunePostcode, CpvCode, Department, NafCode, Region
from tremplin.referentials.readers import COORDINATES_FILE, REGIONS_FILE
from tremplin.referentials.samples import SAMPLE_COMMUNES, SAMPLE_COORDINATES, SAMPLE_CPV, SAMPLE_NAF
from tremplin.referentials.sources import SourceError

pytestmark = pytest.mark.django_db

MODELS = [Region, Department, Commune, CommunePostcode, CpvCode, NafCode]


def load(directory):
    return load_referentials(directory, naf_path=naf_path(directory))


def counts():
    return [model.objects.count() for model in MODELS]


def test_samples_load_into_every_table(tmp_path):
    reports = load(write_sources(tmp_path))

    assert counts() == [5, 7, 11, 62, 12, 17]
    assert [(r.table, r.created, r.updated, r.unchanged) for r in reports] == [
        ("Régions", 5, 0, 0),
        ("Départements", 7, 0, 0),
        ("Communes", 11, 0, 0),
        ("Codes postaux", 62, 0, 0),
        ("CPV", 12, 0, 0),
        ("NAF", 17, 0, 0),
    ]
    saint_etienne = Commune.objects.select_related("department__region").get(code="42218")
    assert (saint_etienne.name, saint_etienne.search_text) == ("Saint-Étienne", "saint etienne")
    assert (saint_etienne.department.name, saint_etienne.region.name) == ("Loire", "Auvergne-Rhône-Alpes")
    assert sorted(saint_etienne.postcodes.values_list("postcode", flat=True)) == ["42000", "42100", "42230"]
    assert Commune.objects.get(code="75101").kind == "arrondissement"
    assert Region.objects.get(code="987").zone == "com"
    assert Department.objects.get(code="987").region_id == "987"


def test_cpv_rows_get_level_parent_and_search_text(tmp_path):
    load(write_sources(tmp_path))
    rows = {c.code: (c.check_digit, c.level, c.parent_id) for c in CpvCode.objects.all()}
    assert rows["45000000"] == ("7", 1, None)
    assert rows["45214000"] == ("0", 4, "45210000")
    assert rows["45214210"] == ("5", 5, "45214200")
    assert rows["60112000"] == ("6", 4, "60100000")  # no class 60110000: the group is the parent
    assert CpvCode.objects.get(code="09310000").search_text == "electricite"


def test_naf_rows_chain_sub_class_to_section(tmp_path):
    load(write_sources(tmp_path))
    chain, code = [], "62.01Z"
    while code:
        naf = NafCode.objects.get(code=code)
        chain.append((naf.code, naf.level))
        code = naf.parent_id
    assert chain == [("62.01Z", 5), ("62.01", 4), ("62.0", 3), ("62", 2), ("J", 1)]
    assert NafCode.objects.get(code="43").label == "Travaux de construction spécialisés"  # trailing space dropped


def test_coordinates_first_row_per_commune_and_districts_mean_for_paris(tmp_path):
    coordinates = [
        {"Code_commune_INSEE": "42218", "coordonnees_gps": "45.43,4.38"},
        {"Code_commune_INSEE": "42218", "coordonnees_gps": "45.0,4.0"},
        *SAMPLE_COORDINATES,
    ]
    load(write_sources(tmp_path, coordinates=coordinates))
    places = {c.code: (c.latitude, c.longitude) for c in Commune.objects.all()}
    assert places["42218"] == (45.43, 4.38)
    assert places["75101"] == (48.86263, 2.336293)  # rounded to 6 decimals
    assert places["75056"] == (round((48.86263 + 48.867903) / 2, 6), round((2.336293 + 2.344107) / 2, 6))
    assert places["98735"] == (None, None)  # no coordinates in the file
    assert places["69123"] == (None, None)  # its districts are not in the sample either


def test_a_second_load_changes_nothing_and_says_so(tmp_path):
    write_sources(tmp_path)
    load(tmp_path)
    before = counts()

    reports = load(tmp_path)

    assert counts() == before
    assert not any(report.changed for report in reports)
    assert [str(report) for report in reports] == [
        "Régions : 5 inchangées — rien à faire",
        "Départements : 7 inchangés — rien à faire",
        "Communes : 11 inchangées — rien à faire",
        "Codes postaux : 62 inchangés — rien à faire",
        "CPV : 12 inchangés — rien à faire",
        "NAF : 17 inchangés — rien à faire",
    ]


def test_a_changed_source_updates_only_what_changed(tmp_path):
    load(write_sources(tmp_path))
    cpv = copy.deepcopy(SAMPLE_CPV)
    cpv[2]["libelle_fr"] = "Électricité (nouveau libellé)"
    communes = copy.deepcopy(SAMPLE_COMMUNES)
    châtillon = next(c for c in communes if c["code"] == "92020")
    châtillon["population"], châtillon["codesPostaux"] = 37000, ["92321"]
    communes.append(dict(châtillon, code="92019", nom="Chaville", codesPostaux=["92370"], population=20000))

    reports = {r.table: r for r in load(write_sources(tmp_path, cpv=cpv, communes=communes))}

    assert str(reports["CPV"]) == "CPV : 1 mis à jour, 11 inchangés"
    assert str(reports["Communes"]) == "Communes : 1 créée, 1 mise à jour, 10 inchangées"
    assert str(reports["Codes postaux"]) == "Codes postaux : 2 créés, 1 supprimé, 61 inchangés"
    assert CpvCode.objects.get(code="09310000").search_text == "electricite nouveau libelle"
    assert list(Commune.objects.get(code="92020").postcodes.values_list("postcode", flat=True)) == ["92321"]
    assert Commune.objects.get(code="92020").population == 37000


def test_rows_missing_from_the_source_are_kept_and_reported(tmp_path):
    load(write_sources(tmp_path))
    communes = [c for c in SAMPLE_COMMUNES if c["code"] != "13001"]

    reports = {r.table: r for r in load(write_sources(tmp_path, communes=communes))}

    assert str(reports["Communes"]) == ("Communes : 10 inchangées, 1 absente de la source et conservée — rien à faire")
    assert Commune.objects.filter(code="13001").exists()  # other tables may point to it
    assert not CommunePostcode.objects.filter(commune_id="13001").exists()  # its postcodes left the source


def _cpv_with(index, **changes):
    rows = copy.deepcopy(SAMPLE_CPV)
    rows[index].update(changes)
    return rows


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (
            {"cpv": _cpv_with(2, code8="4X000000")},
            "cpv_2008_fr.csv, ligne 4 : code CPV invalide « 4X000000 »",
        ),
        (
            {"cpv": _cpv_with(1, niveau="classe")},
            "cpv_2008_fr.csv, ligne 3 : niveau « classe » au lieu de « groupe » pour 09300000",
        ),
        (
            {"cpv": _cpv_with(2, check_digit="8")},
            "cpv_2008_fr.csv, ligne 4 : code « 09310000-5 » différent de « 09310000-8 »",
        ),
        (
            {"cpv": SAMPLE_CPV + SAMPLE_CPV[:1]},
            "cpv_2008_fr.csv, ligne 14 : code CPV « 09000000 » en double (déjà en ligne 2)",
        ),
        (
            {"cpv": [row for row in SAMPLE_CPV if row["code8"] != "45000000"]},
            "cpv_2008_fr.csv, ligne 5 : aucun code parent pour « 45200000 »",
        ),
        (
            {"departments": [{"code": "75", "region": "99", "nom": "Paris", "zone": "metro"}]},
            "departements.json, ligne 2 : région « 99 » inconnue pour le département 75",
        ),
        (
            {"communes": SAMPLE_COMMUNES[:3] + [dict(SAMPLE_COMMUNES[3], departement="2A")]},
            "communes.json.gz, ligne 5 : département « 2A » inconnu pour la commune 92012",
        ),
        (
            {"communes": [dict(SAMPLE_COMMUNES[0], codesPostaux=["7501"])]},
            "communes.json.gz, ligne 2 : codes postaux invalides (['7501']) pour la commune 75056",
        ),
        (
            {"regions": [{"code": "11", "nom": "Île-de-France", "zone": "mars"}]},
            "regions.json, ligne 2 : zone « mars » inconnue",
        ),
        (
            {"regions": [{"code": "11", "nom": "Î" * 101, "zone": "metro"}]},
            "regions.json, ligne 2 : champ « nom » trop long (100 caractères au plus)",
        ),
        (
            {"coordinates": [*SAMPLE_COORDINATES[:2], {"Code_commune_INSEE": "92012", "coordonnees_gps": "48.8 2.3"}]},
            "laposte_hexasmal_2020_codes_postaux_gps.csv.gz, ligne 4 : coordonnées invalides « 48.8 2.3 »",
        ),
        (
            {"coordinates": [{"Code_commune_INSEE": "92012", "coordonnees_gps": "91.5,2.3"}]},
            "laposte_hexasmal_2020_codes_postaux_gps.csv.gz, ligne 2 : coordonnées invalides « 91.5,2.3 »",
        ),
        (
            {"naf": {**SAMPLE_NAF, "62.01Z": {**SAMPLE_NAF["62.01Z"], "classe": None}}},
            "db.json, entrée « 62.01Z » : classe absente ou mal formée",
        ),
        (
            {"naf": {**SAMPLE_NAF, "62.01Z": {**SAMPLE_NAF["62.01Z"], "groupe": {"code": "63.1", "description": "x"}}}},
            "db.json, entrée « 62.01Z » : groupe « 63.1 » invalide ou hors de « 62 »",
        ),
    ],
)
def test_malformed_sources_are_reported_by_file_and_line_and_nothing_is_written(tmp_path, sources, message):
    with pytest.raises(SourceError) as caught:
        load(write_sources(tmp_path, **sources))
    assert str(caught.value).startswith(message)
    assert counts() == [0] * len(MODELS)


@pytest.mark.parametrize("name", [REGIONS_FILE, COORDINATES_FILE])
def test_a_missing_file_is_named(tmp_path, name):
    write_sources(tmp_path)
    (tmp_path / name).unlink()
    with pytest.raises(SourceError, match="fichier introuvable") as caught:
        load(tmp_path)
    assert str(tmp_path / name) in str(caught.value)


def test_small_referentials_are_returned_by_code_and_reloading_them_is_harmless():
    refs = load_small_referentials()
    assert refs.communes["75056"].department.region.name == "Île-de-France"
    assert refs.cpv["45210000"].parent_id == "45200000"
    assert refs.naf["62.01Z"].label == "Programmation informatique"
    assert refs.regions["04"].zone == "drom"
    extra = CommunePostcode.objects.create(postcode="75999", commune=refs.communes["75056"])

    again = load_small_referentials()

    assert CommunePostcode.objects.filter(pk=extra.pk).exists()  # the sample loader never deletes
    assert again.communes.keys() == refs.communes.keys()
    assert counts() == [5, 7, 11, 63, 12, 17]
