"""Canonical values of the DECP enumerations, and the variants seen in real data.

Lookups go through ``fold`` (no accents, lower case, punctuation as spaces), so "MARCHE",
"marché" and "Marche" all find "Marché"; the tables only list variants that ``fold`` does
not already bring together.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

NATURE_MARCHE = "Marché"
NATURE_PARTENARIAT = "Marché de partenariat"
NATURE_ACCORD_CADRE = "Accord-cadre"
NATURE_SUBSEQUENT = "Marché subséquent"
NATURE_DEFENSE = "Marché de défense ou de sécurité"
NATURE_CONCESSION_TRAVAUX = "Concession de travaux"
NATURE_CONCESSION_SERVICE = "Concession de service"
NATURE_CONCESSION_SERVICE_PUBLIC = "Concession de service public"
NATURE_DSP = "Délégation de service public"


@lru_cache(maxsize=16384)
def fold(value: str) -> str:
    """Comparison key: no accents, lower case, punctuation as spaces, single spaces."""
    decomposed = unicodedata.normalize("NFKD", value)
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return " ".join("".join(c if c.isalnum() else " " for c in ascii_only).split())


def _table(pairs: dict[str, str]) -> dict[str, str]:
    return {fold(key): value for key, value in pairs.items()}


NATURES_MARCHE = _table(
    {
        "Marché": NATURE_MARCHE,
        "Marche public": NATURE_MARCHE,
        "Marché de partenariat": NATURE_PARTENARIAT,
        "Accord-cadre": NATURE_ACCORD_CADRE,
        "Accords-cadres": NATURE_ACCORD_CADRE,
        "Marché subséquent": NATURE_SUBSEQUENT,
        "subsequent": NATURE_SUBSEQUENT,
        "Marché subséquent à un accord-cadre": NATURE_SUBSEQUENT,
        "Marché de défense ou de sécurité": NATURE_DEFENSE,
        "Marché de défense et de sécurité": NATURE_DEFENSE,
        "Marché de sécurité": NATURE_DEFENSE,
        "Marché de défense": NATURE_DEFENSE,
    }
)
NATURES_CONCESSION = _table(
    {
        "Concession de travaux": NATURE_CONCESSION_TRAVAUX,
        "Concession de travaux publics": NATURE_CONCESSION_TRAVAUX,
        "Concession de service": NATURE_CONCESSION_SERVICE,
        "Concession de services": NATURE_CONCESSION_SERVICE,
        "Concession de service public": NATURE_CONCESSION_SERVICE_PUBLIC,
        "Concession de services publics": NATURE_CONCESSION_SERVICE_PUBLIC,
        "Délégation de service public": NATURE_DSP,
        "Délégation de services publics": NATURE_DSP,
        "DSP": NATURE_DSP,
    }
)

_PROC_ADAPTEE = "Procédure adaptée"
_PROC_AOO = "Appel d'offres ouvert"
_PROC_AOR = "Appel d'offres restreint"
_PROC_NEGO = "Procédure avec négociation"
_PROC_SANS_PUB = "Marché passé sans publicité ni mise en concurrence préalable"
_PROC_DIALOGUE = "Dialogue compétitif"
PROCEDURES = _table(
    {
        "Procédure adaptée": _PROC_ADAPTEE,
        "MAPA": _PROC_ADAPTEE,
        "Appel d'offres ouvert": _PROC_AOO,
        "Appel d'offres restreint": _PROC_AOR,
        "Procédure avec négociation": _PROC_NEGO,
        "Procédure concurrentielle avec négociation": _PROC_NEGO,
        "Procédure négociée avec mise en concurrence préalable": _PROC_NEGO,
        "Procédure négociée avec publicité et mise en concurrence préalable": _PROC_NEGO,
        "Marché passé sans publicité ni mise en concurrence préalable": _PROC_SANS_PUB,
        "Marché négocié sans publicité ni mise en concurrence préalable": _PROC_SANS_PUB,
        "Marché public négocié sans publicité ni mise en concurrence préalable": _PROC_SANS_PUB,
        "Procédure négociée sans publicité ni mise en concurrence préalable": _PROC_SANS_PUB,
        "Dialogue compétitif": _PROC_DIALOGUE,
        # Concessions
        "Procédure négociée ouverte": "Procédure négociée ouverte",
        "Procédure non négociée ouverte": "Procédure non négociée ouverte",
        "Procédure négociée restreinte": "Procédure négociée restreinte",
        "Procédure non négociée restreinte": "Procédure non négociée restreinte",
    }
)
PRICE_FORMS = _table(
    {
        "Ferme": "Ferme",
        "Ferme et actualisable": "Ferme et actualisable",
        "Révisable": "Révisable",
        "Unitaire": "Unitaire",
        "Forfaitaire": "Forfaitaire",
        "Mixte": "Mixte",
    }
)
TECHNIQUES = _table(
    {
        "Accord-cadre": "Accord-cadre",
        "Concours": "Concours",
        "Système de qualification": "Système de qualification",
        "Système d'acquisition dynamique": "Système d'acquisition dynamique",
        "Catalogue électronique": "Catalogue électronique",
        "Enchère électronique": "Enchère électronique",
    }
)
MODALITIES = _table(
    {
        "Tranches": "Tranches",
        "Bons de commande": "Bons de commande",
        "Marchés subséquents": "Marchés subséquents",
    }
)
SOCIAL = _table(
    {
        "Clause sociale": "Clause sociale",
        "Critère social": "Critère social",
        "Marché réservé": "Marché réservé",
        "Concession réservée": "Concession réservée",
    }
)
ENVIRONMENTAL = _table(
    {
        "Clause environnementale": "Clause environnementale",
        "Critère environnemental": "Critère environnemental",
    }
)
CCAG = _table(
    {
        "Travaux": "Travaux",
        "Maitrise d'œuvre": "Maîtrise d'œuvre",
        "Maîtrise d'oeuvre": "Maîtrise d'œuvre",
        "Fournitures courantes et services": "Fournitures courantes et services",
        "Marchés industriels": "Marchés industriels",
        "Prestations intellectuelles": "Prestations intellectuelles",
        "Techniques de l'information et de la communication": "Techniques de l'information et de la communication",
    }
)
PRICE_TYPES = _table(
    {
        "Définitif ferme": "Définitif ferme",
        "Définitif actualisable": "Définitif actualisable",
        "Définitif révisable": "Définitif révisable",
        "Provisoire": "Provisoire",
    }
)
GROUPEMENTS = _table({"Conjoint": "Conjoint", "Solidaire": "Solidaire"})
HOLDER_ID_TYPES = _table(
    {
        "SIRET": "SIRET",
        "TVA": "TVA",
        "TVA intracommunautaire": "TVA",
        "TVA_INTRACOMMUNAUTAIRE": "TVA",
        "TAHITI": "TAHITI",
        "RIDET": "RIDET",
        "FRWF": "FRWF",
        "FRW": "FRWF",
        "IREP": "IREP",
        "UE": "UE",
        "HORS-UE": "HORS-UE",
        "HORS_UE": "HORS-UE",
        "Hors UE": "HORS-UE",
    }
)
PLACE_TYPE_WORDS = {
    "postal": "postcode",
    "code postal": "postcode",
    "cp": "postcode",
    "commune": "commune",
    "insee": "commune",
    "code insee": "commune",
    "arrondissement": "arrondissement",
    "canton": "canton",
    "departement": "department",
    "region": "region",
    "pays": "country",
}
