"""The row → changes mapping, without the database."""

from datetime import date

import pytest

from tremplin.ingest.sirene import enrich
from tremplin.ingest.sirene.columns import ESTABLISHMENT_COLUMNS, LEGAL_UNIT_COLUMNS
from tremplin.organisations.models import BuyerType

LOOKUPS = enrich.Lookups(
    communes={"75056": "75", "75102": "75", "69123": "69", "42218": "42"}, naf_codes={"62.01Z", "41.20A"}
)


def est_row(**values) -> dict:
    row = dict.fromkeys(ESTABLISHMENT_COLUMNS, "")
    row |= {"siren": "007998198", "nic": "01017", "siret": "00799819801017", "statutDiffusionEtablissement": "O"}
    row |= {"etatAdministratifEtablissement": "A", "nomenclatureActivitePrincipaleEtablissement": "NAFRev2"}
    return row | values


def ul_row(**values) -> dict:
    row = dict.fromkeys(LEGAL_UNIT_COLUMNS, "")
    row |= {"siren": "007998198", "statutDiffusionUniteLegale": "O", "etatAdministratifUniteLegale": "A"}
    return row | {"nomenclatureActivitePrincipaleUniteLegale": "NAFRev2"} | values


def state(**values) -> dict:
    current = {
        "siret": "00799819801017",
        "name": "Alpha",
        "address": "",
        "postcode": "",
        "commune": "",
        "department": "",
        "naf": "",
        "buyer_type": "",
        "headcount_band": "",
        "establishment_headcount_band": "",
        "company_category": "",
        "legal_category": "",
        "is_ess": False,
        "is_closed": False,
        "closed_on": None,
        "sirene_values": {},
    }
    return current | values


def plan_est(current=None, **values):
    return enrich.plan_establishment(enrich.EstablishmentFacts.from_row(est_row(**values)), current or state(), LOOKUPS)


def plan_ul(current=None, **values):
    return enrich.plan_legal_unit(enrich.LegalUnitFacts.from_row(ul_row(**values)), current or state(), LOOKUPS)


@pytest.mark.parametrize(
    ("parts", "expected"),
    [
        (("12", "B", "AV", "DE L OPERA"), "12 BIS AVENUE DE L OPERA"),
        (("3", "", "ALL", "DES TILLEULS"), "3 ALLEE DES TILLEULS"),
        (("", "", "LD", "LES COMBES"), "LIEU-DIT LES COMBES"),
        (("7", "X", "CHS", "DU PORT"), "7 X CHAUSSEE DU PORT"),
        (("1", "", "ZAC", "DES PINS"), "1 ZAC DES PINS"),  # not in the documented list: kept as is
        (("", "", "", ""), ""),
    ],
)
def test_street_line(parts, expected):
    assert enrich.street_line(*parts) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("7111", BuyerType.ETAT),
        ("7113", BuyerType.ETAT),
        ("7120", BuyerType.ETAT),
        ("7172", BuyerType.ETAT),
        ("7190", BuyerType.ETAT),
        ("7383", BuyerType.ETAT),
        ("7389", BuyerType.ETAT),
        ("7210", BuyerType.COMMUNE),
        ("7312", BuyerType.COMMUNE),
        ("7220", BuyerType.DEPARTEMENT),
        ("7230", BuyerType.REGION),
        ("7343", BuyerType.EPCI),
        ("7344", BuyerType.EPCI),
        ("7346", BuyerType.EPCI),
        ("7348", BuyerType.EPCI),
        ("7353", BuyerType.EPCI),
        ("7355", BuyerType.EPCI),
        ("7364", BuyerType.ETABLISSEMENT_PUBLIC_SANTE),
        ("7371", BuyerType.BAILLEUR_SOCIAL),
        ("4110", BuyerType.ENTREPRISE_PUBLIQUE),
        ("4130", BuyerType.ENTREPRISE_PUBLIQUE),
    ],
)
def test_buyer_type_from_legal_category(code, expected):
    assert plan_ul(categorieJuridiqueUniteLegale=code).changes["buyer_type"] == expected


@pytest.mark.parametrize("code", ["5710", "5499", "1000", "9220", "7225", "7229", "7361", "7331", "4140", "4150"])
def test_no_buyer_type_for_other_or_ambiguous_categories(code):
    plan = plan_ul(categorieJuridiqueUniteLegale=code)
    assert plan.changes["legal_category"] == code
    assert "buyer_type" not in plan.changes


def test_buyer_type_is_only_inferred_when_blank_or_inferred_before():
    assert "buyer_type" not in plan_ul(state(buyer_type="autre"), categorieJuridiqueUniteLegale="7210").changes
    # Inferred by an earlier import (7230 region), then the unit's category changed: follow it.
    earlier = state(buyer_type="region", sirene_values={"buyer_type": "region"})
    assert plan_ul(earlier, categorieJuridiqueUniteLegale="7220").changes["buyer_type"] == "departement"


@pytest.mark.parametrize(
    ("name", "placeholder"),
    [
        ("", True),
        ("00799819801017", True),
        ("007 998 198", True),
        ("SIREN 007998198", True),
        ("Inconnu", True),
        ("[ND]", True),
        ("Alpha Conseil", False),
        ("3F", False),
    ],
)
def test_placeholder_names(name, placeholder):
    assert enrich.is_placeholder_name(name, "00799819801017") is placeholder


def test_siret_problem():
    assert enrich.siret_problem("007998198", "01017", "00799819801017") is None
    assert enrich.siret_problem("007998198", "01018", "00799819801018") == "invalid_siret"  # check digit
    assert enrich.siret_problem("007998198", "01017", "00799819801018") == "invalid_siret"  # nic mismatch
    assert enrich.siret_problem("007998198", "01017", "0079981980101") == "invalid_siret"
    assert enrich.siret_problem("356000000", "00048", "35600000000048") is None  # La Poste's own key


def test_establishment_fills_blank_fields_and_owns_the_facts():
    plan = plan_est(
        trancheEffectifsEtablissement="12",
        numeroVoieEtablissement="8",
        typeVoieEtablissement="RUE",
        libelleVoieEtablissement="DE LA PAIX",
        codePostalEtablissement="75002",
        codeCommuneEtablissement="75102",
        activitePrincipaleEtablissement="62.01Z",
    )
    assert plan.changes == {
        "establishment_headcount_band": "12",
        "naf": "62.01Z",
        "commune": "75102",
        "department": "75",
        "postcode": "75002",
        "address": "8 RUE DE LA PAIX",
    }
    assert plan.sirene_values == {
        "commune": "75102",
        "department": "75",
        "postcode": "75002",
        "address": "8 RUE DE LA PAIX",
    }
    assert plan.warnings == []


def test_establishment_keeps_typed_values_and_follows_its_own():
    current = state(
        address="Bâtiment B, 8 rue de la Paix",
        postcode="75002",
        commune="75102",
        department="75",
        sirene_values={"postcode": "75002", "commune": "75102", "department": "75"},
    )
    plan = plan_est(
        current,
        numeroVoieEtablissement="1",
        typeVoieEtablissement="PL",
        libelleVoieEtablissement="BELLECOUR",
        codePostalEtablissement="69002",
        codeCommuneEtablissement="69382",  # a Lyon district we do not hold → Lyon
    )
    assert plan.changes == {"commune": "69123", "department": "69", "postcode": "69002"}
    assert plan.kept == ["address"]


def test_closed_and_reopened_establishment():
    closed = plan_est(etatAdministratifEtablissement="F", dateDebut="2024-02-29")
    assert closed.changes == {"is_closed": True, "closed_on": date(2024, 2, 29)}
    reopened = plan_est(state(is_closed=True, closed_on=date(2024, 2, 29)), etatAdministratifEtablissement="A")
    assert reopened.changes == {"is_closed": False, "closed_on": None}


def test_unknown_codes_are_warnings_not_failures():
    plan = plan_est(
        codeCommuneEtablissement="97499", activitePrincipaleEtablissement="70.10Z", codePostalEtablissement="97400"
    )
    assert plan.warnings == ["unknown_naf", "unknown_commune"]
    assert plan.changes == {"postcode": "97400"}


def test_other_nomenclatures_are_ignored():
    plan = plan_est(activitePrincipaleEtablissement="72.2A", nomenclatureActivitePrincipaleEtablissement="NAFRev1")
    assert "naf" not in plan.considered and plan.warnings == []


def test_partial_diffusion_establishment():
    current = state(
        address="3 RUE DES ECOLES",
        postcode="42000",
        commune="42218",
        department="42",
        sirene_values={"address": "3 RUE DES ECOLES", "postcode": "42000", "commune": "42218", "department": "42"},
    )
    plan = plan_est(
        current,
        statutDiffusionEtablissement="P",
        numeroVoieEtablissement="[ND]",
        libelleVoieEtablissement="[ND]",
        codePostalEtablissement="42000",
        codeCommuneEtablissement="42218",
        trancheEffectifsEtablissement="01",
    )
    assert plan.changes == {
        "establishment_headcount_band": "01",
        "address": "",
        "postcode": "",
        "commune": "",
        "department": "",
    }
    assert plan.sirene_values == {}
    assert plan.warnings == ["partial_diffusion"]


def test_partial_diffusion_never_fills_blank_address_fields():
    plan = plan_est(statutDiffusionEtablissement="P", codePostalEtablissement="42000", codeCommuneEtablissement="42218")
    assert plan.changes == {} and plan.sirene_values is None


def test_legal_unit_facts():
    plan = plan_ul(
        trancheEffectifsUniteLegale="21",
        categorieEntreprise="PME",
        categorieJuridiqueUniteLegale="5710",
        economieSocialeSolidaireUniteLegale="O",
        activitePrincipaleUniteLegale="62.01Z",
        denominationUniteLegale="ALPHA CONSEIL",
    )
    assert plan.changes == {
        "headcount_band": "21",
        "company_category": "PME",
        "legal_category": "5710",
        "is_ess": True,
        "naf": "62.01Z",
    }
    assert plan.kept == ["name"]  # "Alpha" is a real name


def test_legal_unit_leaves_facts_alone_when_sirene_says_nothing():
    current = state(headcount_band="12", company_category="PME", is_ess=True, naf="41.20A")
    plan = plan_ul(current, economieSocialeSolidaireUniteLegale="N", activitePrincipaleUniteLegale="62.01Z")
    assert plan.changes == {}  # ESS never unset; the unit's APE only fills a blank NAF


def test_name_of_a_diffusible_natural_person():
    plan = plan_ul(
        state(name="00799819801017"),
        categorieJuridiqueUniteLegale="1000",
        prenom1UniteLegale="JEANNE",
        prenomUsuelUniteLegale="JEANNE",
        nomUniteLegale="MARTIN",
        nomUsageUniteLegale="DUPUIS",
    )
    assert plan.changes["name"] == "JEANNE DUPUIS"


def test_partial_natural_person_gives_no_name_and_takes_back_ours():
    facts = dict(statutDiffusionUniteLegale="P", categorieJuridiqueUniteLegale="1000", nomUniteLegale="MARTIN")
    assert "name" not in plan_ul(state(name="00799819801017"), **facts).changes
    imported = state(name="JEANNE MARTIN", sirene_values={"name": "JEANNE MARTIN"})
    assert plan_ul(imported, **facts).changes["name"] == "SIREN 007998198"
    typed = state(name="Martin Paysages", sirene_values={"name": "JEANNE MARTIN"})
    assert "name" not in plan_ul(typed, **facts).changes


def test_same_row_twice_changes_nothing_the_second_time():
    current = state()
    row = dict(codeCommuneEtablissement="75102", codePostalEtablissement="75002", trancheEffectifsEtablissement="03")
    first = plan_est(current, **row)
    after = current | first.changes | {"sirene_values": first.sirene_values}
    second = plan_est(after, **row)
    assert second.changes == {} and second.sirene_values is None


def test_districts_map_to_their_commune():
    assert enrich.DISTRICT_PARENTS["75120"] == "75056"
    assert enrich.DISTRICT_PARENTS["69389"] == "69123"
    assert enrich.DISTRICT_PARENTS["13216"] == "13055"
    assert "75121" not in enrich.DISTRICT_PARENTS and "13217" not in enrich.DISTRICT_PARENTS
    assert LOOKUPS.commune("75102") == "75102" and LOOKUPS.commune("75103") == "75056"
    assert LOOKUPS.commune("13203") is None  # Marseille not in these lookups
