"""Data-level garbage never raises: every field of a record, replaced by values of the wrong type or shape, still
gives a Contract or a Rejection."""

import io
import itertools

import pytest

from tremplin.ingest.decp.normalize import Contract, Rejection
from tremplin.ingest.decp.reader import open_records
from tremplin.ingest.decp.records import ParseFault

from .conftest import base_payload, norm

WEIRD = [
    None,
    "",
    "   ",
    "NC",
    "test",
    0,
    -1,
    1.5,
    float("nan"),
    float("inf"),
    True,
    10**30,
    "1e999999999",
    [],
    [[]],
    [None, "x", 3],
    {},
    {"a": {"b": [1]}},
    {"titulaire": "id"},
    "\x00\ufffd\u202e",
]
FIELDS = list(base_payload()) + [
    "autoriteConcedante",
    "acheteur.id",
    "valeurGlobale",
    "offresRecues",
    "considerationsSociales",
    "techniques",
    "typesPrix",
    "marcheInnovant",
    "concessionnaires",
    "typeGroupementOperateurs",
    "ccag",
    "dateSignature",
]


@pytest.mark.parametrize("field", FIELDS)
def test_any_field_any_garbage(field):
    for value, kind, fmt in itertools.product(WEIRD, ("marche", "concession"), ("2019", "2024", None)):
        result = norm(base_payload(**{field: value}), kind=kind, fmt=fmt)
        assert isinstance(result, (Contract, Rejection)), (field, value)


@pytest.mark.parametrize("inner", ["acheteur", "lieuExecution", "titulaires", "modifications"])
def test_nested_garbage(inner):
    for value in WEIRD:
        payload = base_payload()
        if inner in ("titulaires", "modifications"):
            payload[inner] = [
                {"id": value, "typeIdentifiant": value, "montant": value, "dateNotificationModification": value}
            ]
        else:
            payload[inner] = {"id": value, "code": value, "typeCode": value, "nom": value}
        assert isinstance(norm(payload), (Contract, Rejection))


def test_deep_nesting_is_a_fault_not_a_crash():
    deep_json = '{"marches": [{"id": "a"}, ' + "[" * 5000 + "]" * 5000 + "]}"
    items = list(open_records(io.BytesIO(deep_json.encode())))
    assert isinstance(items[-1], ParseFault) and len(items) == 2
    deep_xml = "<marches><marche>" + "<a>" * 5000 + "</a>" * 5000 + "</marche></marches>"
    (fault,) = open_records(io.BytesIO(deep_xml.encode()))
    assert isinstance(fault, ParseFault)
    nested = {"id": "A", "acheteur": {"id": "24201005600073"}, "titulaires": []}
    holders = nested["titulaires"]
    for _ in range(2000):
        holders.append([])
        holders = holders[-1]
    assert isinstance(norm(nested), (Contract, Rejection))
