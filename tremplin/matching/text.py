"""French-aware text relevance for matching: words folded (case, accents, punctuation), stop words dropped, then
reduced to their stem with Snowball's French stemmer, so that "menuiseries" ≈ "menuiserie" and
"électricité" ≈ "electricite". Pure functions, no ORM."""

from __future__ import annotations

import re
from functools import lru_cache

import snowballstemmer

from tremplin.core.text import search_key

MIN_WORD_LENGTH = 3  # "de", "la", "et"… and most abbreviations carry no meaning for matching

STOP_WORDS = frozenset(
    """
    les des une aux par pour sur dans avec sans sous chez entre vers est son ses leur leurs nos vos notre votre
    cette ces cet qui que quoi dont ont sont etre avoir fait faire tous tout toute toutes plus moins tres
    autre autres ainsi comme mais donc car afin lors selon hors via ceux celle celles celui the and for
    marche marches lot lots accord cadre objet prestation prestations travaux fourniture fournitures service
    services divers diverse diverses relatif relatifs relative relatives concernant annee annees mise place
    ensemble realisation execution besoin besoins ville commune departement region etc
    apres avant pendant depuis durant chaque plusieurs notamment compris incluant inclus present presente
    suivant suivants suivantes tel telle tels telles general generale generaux generales
    remporte remportes remportee remportees
    consultation procedure avis offre offres candidat candidats candidature acheteur acheteurs pouvoir adjudicateur
    titulaire titulaires attributaire contrat contrats montant duree mois jour jours date delai article cpv code
    public publique publics publiques type nature tranche tranches option options reconduction reconductible
    periode lieu bon bons commande commandes entreprise entreprises societe operation operations projet projets
    produits produit base article articles element elements materiel materiels equipement equipements
    systeme systemes appareil appareils accessoire accessoires piece pieces assimile assimiles connexe connexes
    associe associes similaire similaires autres activite activites secteur domaine
    """.split()
)
"""Folded words too common in procurement texts to say anything about a need ("marché", "prestations",
"travaux"…), filler ("après", "notamment"), and the generic words of CPV labels ("produits", "matériel",
"équipements", "services"…); they neither match nor score."""

GENERATED_DESCRIPTION = re.compile(r"^\s*d['’]apres \d+ marches? remportes?\.?\s*$")
"""The description the demo gives pre-filled activities ("D'après 14 marchés remportés."), folded: it says how
many contracts were won, not what the supplier does."""


def is_generated(description: str | None) -> bool:
    """Whether a description is the demo's generated boilerplate (``suppliers.demo``), to keep out of queries.

    >>> is_generated("D'après 14 marchés remportés."), is_generated("Pose de sols souples")
    (True, False)
    """
    folded = (description or "").strip().lower()
    for accented, plain in (("è", "e"), ("é", "e")):
        folded = folded.replace(accented, plain)
    return bool(GENERATED_DESCRIPTION.match(folded))


def meaningful(descriptions) -> list[str]:
    """The non-empty descriptions that are not the demo's boilerplate."""
    return [d for d in descriptions if d and not is_generated(d)]


_stemmer = snowballstemmer.stemmer("french")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball French stem of a folded word (accents already removed)."""
    return _stemmer.stemWord(word)


def stems(text: str | None) -> list[str]:
    """The distinct stems of `text`, in order of first appearance, stop words and short words left out.

    >>> stems("Menuiseries extérieures et menuiserie bois")
    ['menuiser', 'exterieur', 'bois']
    """
    seen: dict[str, None] = {}
    for word in search_key(text).split():
        if len(word) < MIN_WORD_LENGTH or word in STOP_WORDS or word.isdigit():
            continue
        seen.setdefault(stem(word), None)
    return list(seen)


def stem_words(text: str | None) -> dict[str, str]:
    """Stem → the first folded word that gave it, to quote matched words back to people."""
    words: dict[str, str] = {}
    for word in search_key(text).split():
        if len(word) < MIN_WORD_LENGTH or word in STOP_WORDS or word.isdigit():
            continue
        words.setdefault(stem(word), word)
    return words
