"""Pure guesses from the names organisations publish in DECP: buyer type and inclusive-economy status.

Names are matched on a normalised form (no accents, upper case, punctuation turned into spaces), so that
"Conseil Départemental de la Mayenne" and "CONSEIL DEPARTEMENTAL DE LA MAYENNE" read the same. Rules are
tried in order and the first match wins: a name that *starts* with "COMMUNE DE", "DEPARTEMENT DE" or
"REGION" is the strongest signal; then come the more specific keywords (a social landlord or a hospital
often carries a territory's name: "HABITAT DU GARD", "CENTRE HOSPITALIER INTERCOMMUNAL"), and the
territorial ones last."""

import re

from unidecode import unidecode

from tremplin.organisations.models import BuyerType, InclusiveStatus


def clean_name(raw: str | None) -> str:
    """A name as published, trimmed and with runs of spaces collapsed."""
    return " ".join((raw or "").split())


def normalise(name: str | None) -> str:
    """Upper-case ASCII words separated by single spaces: "Communauté d'agglo" -> "COMMUNAUTE D AGGLO"."""
    return " ".join(re.sub(r"[^A-Z0-9]+", " ", unidecode(name or "").upper()).split())


def _rule(kind: str, pattern: str) -> tuple[str, re.Pattern]:
    return kind, re.compile(pattern)


BUYER_TYPE_RULES = [
    _rule(BuyerType.COMMUNE, r"^(COMMUNE|VILLE|MAIRIE)\b"),
    _rule(BuyerType.DEPARTEMENT, r"^(DEPARTEMENT|CONSEIL DEPARTEMENTAL|CONSEIL GENERAL)\b"),
    _rule(BuyerType.REGION, r"^(REGION|CONSEIL REGIONAL)\b"),
    # Consular chambers are State public bodies of their own kind, whatever territory they name.
    _rule(BuyerType.AUTRE, r"\bCHAMBRE (DE|D|DES) (METIERS|COMMERCE|AGRICULTURE)\b"),
    _rule(BuyerType.BAILLEUR_SOCIAL, r"\b(HABITATS?|HABITATIONS?|OPH|OPAC|HLM|H L M|LOGEMENTS?|LOYER MODERE)\b"),
    _rule(
        BuyerType.ETABLISSEMENT_PUBLIC_SANTE,
        r"\b(C(EN)?TRE HOSPITALIER|GROUPE HOSPITALIER|CHU|CHRU|CHR|HOPITAL|HOPITAUX|ASSISTANCE PUBLIQUE)\b",
    ),
    _rule(
        BuyerType.ENTREPRISE_PUBLIQUE,
        r"\b(SEM|S E M|SAEML?|SEML|ECONOMIE MIXTE|SPLA?|SOCIETE PUBLIQUE LOCALE|SNCF|RATP|EDF|LA POSTE)\b",
    ),
    _rule(
        BuyerType.ETAT,
        r"\b(MINISTERES?|PREMIER MINISTRE|PREFECTURE|SGAMI|DIRECTION (INTER)?REGIONALE|DIRECTION DEPARTEMENTALE"
        r"|RECTORAT|UNIVERSITE|CROUS|CENTRE REGIONAL (DES )?OEUVRES|ARMEES|GENDARMERIE)\b",
    ),
    _rule(
        BuyerType.EPCI,
        r"^(CA|CC|CU|SM|SIVU|SIVOM|EPT)\b"
        r"|\b(COMMUNAUTES?|AGGLOMERATION|AGGLO|METROPOLE|SYNDICAT|SIVU|SIVOM|SIVOS|SMICTOM|SICTOM|PETR)\b",
    ),
    _rule(BuyerType.REGION, r"\b(REGION|CONSEIL REGIONAL|COLLECTIVITE TERRITORIALE|COLLECTIVITE DE CORSE)\b"),
    _rule(BuyerType.DEPARTEMENT, r"\b(DEPARTEMENT|CONSEIL DEPARTEMENTAL|COLLECTIVITE EUROPEENNE D ALSACE)\b"),
    _rule(BuyerType.COMMUNE, r"\b(COMMUNE|VILLE|MAIRIE)\b"),
]


def infer_buyer_type(name: str | None) -> str:
    """The BuyerType key a buyer's published name suggests; "autre" when nothing is recognised."""
    text = normalise(name)
    for kind, pattern in BUYER_TYPE_RULES:
        if pattern.search(text):
            return str(kind)
    return str(BuyerType.AUTRE)


# Only phrases that name one structure type. A bare "INSERTION" says nothing about which one (EI, ACI, ETTI…)
# nor that the structure is approved, so it is not enough.
INCLUSIVE_RULES = [
    _rule(InclusiveStatus.EATT, r"\b(EATT|ENTREPRISE ADAPTEE DE TRAVAIL TEMPORAIRE)\b"),
    _rule(InclusiveStatus.EA, r"\bENTREPRISE ADAPTEE\b"),
    _rule(InclusiveStatus.ESAT, r"\b(ESAT|ETABLISSEMENT ET SERVICE D AIDE PAR LE TRAVAIL)\b"),
    _rule(InclusiveStatus.ETTI, r"\b(ETTI|ENTREPRISE DE TRAVAIL TEMPORAIRE D INSERTION)\b"),
    _rule(InclusiveStatus.ACI, r"\b(ATELIERS? ET )?CHANTIERS? D INSERTION\b"),
    _rule(InclusiveStatus.EI, r"\bENTREPRISE D INSERTION\b"),
    _rule(InclusiveStatus.AI, r"\bASSOCIATION INTERMEDIAIRE\b"),
    _rule(InclusiveStatus.GEIQ, r"\bGEIQ\b"),
]


def infer_inclusive_status(name: str | None) -> str:
    """The InclusiveStatus key a supplier's name states unambiguously, else ""."""
    text = normalise(name)
    for status, pattern in INCLUSIVE_RULES:
        if pattern.search(text):
            return str(status)
    return ""
