"""Records exchanged between the DECP parsers and the normaliser.

Parsers yield ``RawRecord`` (one contract as found in the file, in a common JSON-like shape)
or ``ParseFault`` (the file cannot be read further, or holds no record).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

KIND_MARCHE = "marche"
KIND_CONCESSION = "concession"

FORMAT_2019 = "2019"
FORMAT_2024 = "2024"
FORMAT_TABULAR = "tabular"


@dataclass(frozen=True, slots=True)
class RawRecord:
    """One contract as read from a file.

    ``position`` is a stable location string inside the file (``marches[12]``,
    ``marches.marche[5]``, ``<marche> #17``, ``row 42``). ``payload`` is normally a dict in
    the JSON shape of the format (XML converted to the same shape; 2024 wrapped lists left
    as found). ``notes`` lists repairs made while parsing (see ``parse_json``), which the
    normaliser turns into flags. ``text`` is the record's JSON text when the reader has it
    (JSON records read by the fast path): the importer may hand it to another process to decode
    again, cheaper than pickling ``payload``.
    """

    position: str
    kind: str
    payload: Any
    format: str | None = None
    notes: tuple[str, ...] = ()
    text: str | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True, slots=True)
class ParseFault:
    """A problem that the caller records as a rejection.

    JSON and XML faults (syntax error, unknown format, empty file, unreadable archive
    member) are ``fatal``: they are the last item yielded for the file. A broken CSV row is
    not fatal: the following rows are still read.

    ``reason`` is meant for people (French); ``code`` is stable, for counting.
    """

    position: str
    reason: str
    code: str = "syntax_error"
    fatal: bool = True


# Codes used in ParseFault.code, with a French description for reports.
FAULT_CODES = {
    "syntax_error": "Erreur de syntaxe : la suite du fichier ne peut pas être lue",
    "unknown_format": "Format de fichier non reconnu",
    "empty_file": "Fichier vide ou sans aucun marché",
    "read_error": "Fichier ou archive illisible (corrompu ou tronqué)",
    "record_too_large": "Enregistrement trop volumineux",
    "forbidden_markup": "Balisage XML interdit (DOCTYPE ou entités)",
}


# Top-level keys that only exist in the 2024 format (arrêtés du 22 décembre 2022).
KEYS_2024 = frozenset(
    {
        "considerationsSociales",
        "considerationsEnvironnementales",
        "techniques",
        "modalitesExecution",
        "offresRecues",
        "marcheInnovant",
        "ccag",
        "typeGroupementOperateurs",
        "sousTraitanceDeclaree",
        "attributionAvance",
        "tauxAvance",
        "typesPrix",
        "origineUE",
        "origineFrance",
        "actesSousTraitance",
        "modificationsActesSousTraitance",
        "idAccordCadre",
    }
)


def guess_format(payload: Any) -> str:
    """2019 or 2024, from the fields a record carries (used when the envelope does not
    tell: XML, bare JSON lists, single records)."""
    if isinstance(payload, dict) and not KEYS_2024.isdisjoint(payload):
        return FORMAT_2024
    return FORMAT_2019
