"""Name-based guesses, checked on names published by real buyers and holders in shared/data."""

import csv
import gzip
import json
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings

from tremplin.demo.decp import TABULAR_SAMPLE
from tremplin.demo.naming import clean_name, infer_buyer_type, infer_inclusive_status, normalise
from tremplin.demo.services import FICTIONAL_INCLUSIVE

JSON_2019 = [
    "decp/real/format_2019/decp-rama_2019-03_marches-publics.info.json.gz",
    "decp/real/format_2019/decp-rama_2019-04_data.gouv.fr_aife.json.gz",
    "decp/real/format_2019/decp-rama_2019-04_data.gouv.fr_pes.json.gz",
    "decp/real/format_2019/decp-rama_2019-04_e-marchespublics.json.gz",
]

BUYERS = [
    # tabular 2024 sample (upper case, as SIRENE spells them)
    ("COMMUNE DE FILLIERE (MAIRIE)", "commune"),
    ("COMMUNE D ALBERTVILLE (MAIRIE)", "commune"),
    ("COMMUNE DE SAINT TROPEZ (PORT DE ST TROPEZ)", "commune"),
    ("DEPARTEMENT DE LA SEINE MARITIME", "departement"),
    ("DEPARTEMENT-REGION DE MAYOTTE", "departement"),
    ("REGION BRETAGNE (CONSEIL REGIONAL)", "region"),
    ("COLLECTIVITE DE CORSE", "region"),
    ("COMMUNAUTE D'AGGLOMERATION SEINE EURE", "epci"),
    ("CA QUIMPERLE COMMUNAUTE", "epci"),
    ("CC DU CANTON D'ERSTEIN", "epci"),
    ("METROPOLE TOULON-PROVENCE-MEDITERRANEE", "epci"),
    ("SYNDICAT DEPARTEMENTAL ENERGIES ET ENVIRONNEMENT DE LA GIRONDE", "epci"),
    ("SYNDICAT MIXTE A VOCATION SPORTIVE ET EDUCATIVE DE LA REGION D'OUCQUES", "epci"),
    ("SIVU COMPLEXE SPORTIF JONZIER EPAGNY", "epci"),
    ("SIVOM DU JAILLET", "epci"),
    ("CENTRE HOSPITALIER UNIVERSITAIRE DE NIMES", "etablissement_public_sante"),
    ("CTRE HOSPITALIER INTERCOMMUNAL AGGLOMERATION DE NEVERS", "etablissement_public_sante"),
    ("CHU NANTES (DIRECTION GENERALE)", "etablissement_public_sante"),
    ("GRANDLYON HABITAT - OFFICE PUBLIC DE L'HABITAT", "bailleur_social"),
    ("SOC H L M UN TOIT POUR TOUS", "bailleur_social"),
    ("TOURAINE LOGEMENT E.S.H.", "bailleur_social"),
    (
        "LILLE METROPOLE HABITAT OPH DE LA METROPOLE EUROPEENNE DE LILLE (OPAC LILLE METROPOLE HABITAT)",
        "bailleur_social",
    ),
    ("SEM DE CONSTRUCTION DU DPT DE L AIN (SOCIETE D'ECONOMIE MIXTE DU DEPARTEMENT DE L'AIN)", "entreprise_publique"),
    ("SOCIETE PUBLIQUE LOCALE AVENIR REUNION", "entreprise_publique"),
    ("DIRECTION INTERREGIONALE DES SERVICES PENITENTIAIRES DIJON - GRAND-CENTRE", "etat"),
    ("UNIVERSITE D'ANGERS", "etat"),
    ("CENTRE REGIONAL OEUVRES UNIV SCOLAIRES (CROUS TOULOUSE)", "etat"),
    ("CHAMBRE DE METIERS ET DE L'ARTISANAT DE REGION OCCITANIE", "autre"),
    ("SCE DEPARTEMENTAL INCENDIE ET SECOURS", "autre"),
    ("DOMOFRANCE", "autre"),  # a social landlord whose name does not say so: no guess
    # 2019 files (mixed case, accents)
    ("Ville de Lyon", "commune"),
    ("Mairie de Harnes", "commune"),
    ("BUDG.PRINC. VILLE DE SAINT PAUL", "commune"),
    ("Conseil Départemental de la Mayenne", "departement"),
    ("Région Normandie", "region"),
    ("Orléans Métropole", "epci"),
    ("Communauté de communes Bugey Sud", "epci"),
    ("CHRU CAEN", "etablissement_public_sante"),
    ("HOPITAL NORD OUEST - VILLEFRANCHE SUR SAONE", "etablissement_public_sante"),
    ("ACM HABITAT - OPH Montpellier Méditerranée Métropole", "bailleur_social"),
    ("Ministère des armées - Direction des Approvisionnements en produits de santé des armées", "etat"),
    ("Ministère de l'Intérieur - SGAMI ILE DE FRANCE - Préfecture de Police Paris", "etat"),
    ("Services du Premier ministre - 63 - Direction départementale des territoires", "etat"),
    ("SDIS de la Vendée", "autre"),
]

HOLDERS = [
    ("UNAPEI 66 (ESAT L ENVOL)", "ESAT"),
    ("ATOS JACQUAIRES INSERTION SERVICES 87", ""),  # "insertion" alone does not say which structure type
    ("ASSOCIATION LIMOUSINE EMPLOIS ACTIVITES SERVICES", ""),
    ("ATELIER DU BOIS", ""),
    ("ALU CONCEPT HABITAT", ""),
]


@cache
def published_names() -> frozenset[str]:
    """Every buyer and holder name in the samples the table above quotes, cleaned."""
    data_dir = Path(settings.TREMPLIN_DATA_DIR)
    names = set()
    with gzip.open(data_dir / TABULAR_SAMPLE, "rt", encoding="utf-8", newline="") as stream:
        for row in csv.DictReader(stream):
            names.update((row["acheteur_nom"], row["titulaire_nom"]))
    for relative in JSON_2019:
        with gzip.open(data_dir / relative, "rt", encoding="utf-8") as stream:
            for record in json.load(stream)["marches"]:
                names.add((record.get("acheteur") or {}).get("nom") or "")
                names.update(holder.get("denominationSociale") or "" for holder in record.get("titulaires") or [])
    return frozenset(clean_name(name) for name in names)


@pytest.mark.parametrize(("name", "expected"), BUYERS)
def test_buyer_type_from_real_names(name, expected):
    assert infer_buyer_type(name) == expected


@pytest.mark.parametrize(("name", "expected"), HOLDERS)
def test_inclusive_status_only_when_the_name_states_it(name, expected):
    assert infer_inclusive_status(name) == expected


def test_the_tables_quote_real_published_names():
    quoted = {name for name, _ in BUYERS + HOLDERS}
    assert quoted - published_names() == set()


def test_fictional_inclusive_suppliers_are_named_after_their_status():
    for name, status in FICTIONAL_INCLUSIVE:
        assert "(démo)" in name
        assert infer_inclusive_status(name) == status


def test_unknown_or_empty_names():
    assert infer_buyer_type("") == "autre"
    assert infer_buyer_type(None) == "autre"
    assert infer_inclusive_status(None) == ""


def test_names_are_cleaned_and_normalised():
    assert clean_name("  SARL  LUCAS ANGERS ") == "SARL LUCAS ANGERS"
    assert normalise("Communauté d'agglomération") == "COMMUNAUTE D AGGLOMERATION"
    # "VILLE" inside a word, "COMMUNES" and "COMMUNAUTE" are not "a commune"
    assert infer_buyer_type("COMMUNAUTE DE COMMUNES DU PAYS DE VILLERSEXEL") == "epci"
