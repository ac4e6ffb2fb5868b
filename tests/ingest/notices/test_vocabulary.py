"""Code lists, geography and the small parsing helpers."""

import json
import unicodedata
from datetime import date, time
from pathlib import Path

import pytest

from tremplin.ingest.decp.vocabulary import PROCEDURES, fold
from tremplin.ingest.notices import nuts_fr
from tremplin.ingest.notices.common import clean_cpv, clean_text, french_siret, parse_date, parse_time
from tremplin.ingest.notices.geo import department_tz, nuts_place, postcode_department
from tremplin.ingest.notices.nuts_fr import NUTS3_FR
from tremplin.ingest.notices.vocabulary import DECP_PROCEDURES, EFORMS_SUBTYPES

from .conftest import GEO


def test_procedure_labels_match_the_decp_list():
    assert set(DECP_PROCEDURES) <= set(PROCEDURES.values())


def test_eforms_subtypes_cover_1_to_40():
    assert {str(n) for n in range(1, 41)} <= set(EFORMS_SUBTYPES)


@pytest.mark.skipif(not GEO.is_dir(), reason="shared geography data not found")
def test_nuts_table_matches_department_names():
    """The generated table: each NUTS label (the comment of its line) is the name of the
    department it maps to in the COG 2026 list, and the region is that department's."""
    departments = {d["code"]: d for d in json.loads((GEO / "departements.json").read_text())}
    labels = {}
    for line in Path(nuts_fr.__file__).read_text(encoding="utf-8").splitlines():
        if line.strip().startswith('"FR'):
            code = line.split('"')[1]
            labels[code] = line.split("#", 1)[1].strip()
    assert set(labels) == set(NUTS3_FR)
    aliases = {"cote du nord": "cotes d armor", "reunion": "la reunion"}
    for code, (department, region) in NUTS3_FR.items():
        name = fold(labels[code]).removesuffix(" fr")
        assert fold(departments[department]["nom"]) == aliases.get(name, name), code
        assert departments[department]["region"] == region, code
    # every current department (101) has a 2016/2021 NUTS 3 code
    covered = {dep for code, (dep, _) in NUTS3_FR.items() if not code[2].isdigit() or code.startswith("FR10")}
    assert covered == {c for c, d in departments.items() if d["zone"] in ("metro", "drom")}


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("FRK26", ("69", "84")),
        ("FR825", ("83", "93")),  # NUTS 2013 (BOAMP 2017)
        ("FRL05", ("83", "93")),  # NUTS 2016
        ("FRK2", (None, "84")),  # Rhône-Alpes: several departments, one region
        ("FR8", (None, None)),  # Méditerranée: three regions
        ("FRY1", ("971", "01")),
        ("FR10", (None, "11")),
        ("DE212", (None, None)),
        (" frk 26", ("69", "84")),
        (None, (None, None)),
    ],
)
def test_nuts_place(code, expected):
    assert nuts_place(code) == expected


@pytest.mark.parametrize(
    ("postcode", "department"),
    [("75639", "75"), ("Paris cedex 13 75639", "75"), ("20000", "2A"), ("20200", "2B"), ("97110", "971"),
     ("01000", "01"), ("CH 3003", None), ("9999", None), (None, None)],
)  # fmt: skip
def test_postcode_department(postcode, department):
    assert postcode_department(postcode) == department


def test_department_tz():
    assert department_tz("974") == "Indian/Reunion" and department_tz("75") == department_tz(None) == "Europe/Paris"


def test_dates_and_times():
    assert parse_date("2024-01-22Z") == (date(2024, 1, 22), None, "+00:00")
    assert parse_date("2024-03-04+02:00") == (date(2024, 3, 4), None, "+02:00")
    assert parse_date("20180915") == (date(2018, 9, 15), None, None)
    assert parse_date("2017-02-07T12:00:00+01:00") == (date(2017, 2, 7), time(12), "+01:00")
    assert parse_date("2021-02-30") == (None, None, None)
    assert parse_date("0222-04-29") == (None, None, None)
    assert parse_time("12:00:00+02:00") == (time(12), "+02:00")
    assert parse_time("17h30") == (time(17, 30), None)
    assert parse_time("25:00") == (None, None)


def test_identifiers_and_codes():
    assert french_siret(" 17870005000010", "FR") == ("17870005000010", "17870005000010", set())
    assert french_siret("175 900 034 00026", "FR")[0] == "17590003400026"
    assert french_siret("21790131700013", "FR")[2] == {"siret_checksum"}
    assert french_siret("552 049 447", "FR")[2] == {"siret_malformed"}
    assert french_siret("BE0248.399.380", "BE") == (None, "BE0248.399.380", set())
    assert clean_cpv("71000000-8") == ("71000000", False)
    assert clean_cpv("7100") == (None, True)
    assert clean_cpv("") == (None, False)


def test_clean_text_decodes_double_escaped_entities():
    assert clean_text("a&amp;#768; même") == unicodedata.normalize("NFC", "à même")
    assert clean_text("d&#039;eau  potable\r\n\r\n suite ") == "d'eau potable\nsuite"
    assert clean_text("   ") is None
