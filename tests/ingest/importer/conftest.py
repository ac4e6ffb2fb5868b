"""Helpers for the DECP importer tests: small files written in tmp_path, an import helper, and a dump of
everything an import writes (to compare runs)."""

import copy
import json
from datetime import date
from pathlib import Path

import pytest

from tests.factories import make_siret
from tests.ingest.decp.conftest import DATA_DIR, DECP_DIR, base_payload
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.contracts.models import Contract, ContractHolder, ContractModification, RejectedRecord, SourceFile
from tremplin.ingest.decp_import.service import import_decp
from tremplin.organisations.models import Organisation

TODAY = date(2026, 1, 1)
BUYER = make_siret(101)
HOLDER_A = make_siret(202)
HOLDER_B = make_siret(303)
__all__ = ["DATA_DIR", "DECP_DIR", "TODAY", "BUYER", "HOLDER_A", "HOLDER_B"]


def market(contract_id="2024-001", *, date_notified="2024-03-15", holders=(HOLDER_A,), amount=100_000, **extra):
    """A 2019-format market of BUYER (valid SIRETs), then ``extra`` fields."""
    payload = base_payload(
        id=contract_id,
        acheteur={"id": BUYER, "nom": "COMMUNE DE TEST"},
        dateNotification=date_notified,
        datePublicationDonnees=date_notified,
        montant=amount,
        titulaires=[
            {"typeIdentifiant": "SIRET", "id": siret, "denominationSociale": f"ENTREPRISE {siret[:4]}"}
            for siret in holders
        ],
    )
    payload.update(extra)
    return payload


def modification(when, *, amount=None, duration=None, holders=None, number=1):
    item = {
        "objetModification": f"Avenant n° {number}",
        "dateNotificationModification": when,
        "datePublicationDonneesModification": when,
    }
    if amount is not None:
        item["montant"] = amount
    if duration is not None:
        item["dureeMois"] = duration
    item["titulaires"] = [
        {"typeIdentifiant": "SIRET", "id": siret, "denominationSociale": f"ENTREPRISE {siret[:4]}"}
        for siret in holders or ()
    ]
    return item


def write_json(path: Path, records) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"marches": copy.deepcopy(list(records))}, ensure_ascii=False), encoding="utf-8")
    return path


def run_import(*paths, **options):
    options = {"workers": 0, "snapshot": False, "today": TODAY} | options
    return import_decp(list(paths), **options)


@pytest.fixture
def decp_import():
    return run_import


def database_state() -> dict:
    """Everything the importer writes, without ids and timestamps, in a stable order."""

    def rows(queryset, *fields):
        return sorted(tuple(str(value) for value in row) for row in queryset.values_list(*fields))

    contract_fields = [
        f.name if not f.is_relation else f"{f.name}__siret" if f.name == "buyer" else f"{f.name}__fingerprint"
        for f in Contract._meta.concrete_fields
        if f.name not in ("id", "created_at", "updated_at")
    ]
    return {
        "contracts": rows(Contract.objects, *contract_fields),
        "holders": rows(
            ContractHolder.objects,
            "contract__key",
            "organisation__siret",
            "id_type",
            "identifier",
            "name",
            "position",
            "is_initial",
            "is_current",
        ),  # fmt: skip
        "modifications": rows(
            ContractModification.objects,
            "contract__key",
            "seq",
            "decp_id",
            "notification_date",
            "publication_date",
            "object",
            "duration_months",
            "amount",
            "holders",
        ),  # fmt: skip
        "rejections": rows(
            RejectedRecord.objects, "source_file__fingerprint", "position", "reason_code", "reason", "payload"
        ),
        "organisations": rows(
            Organisation.objects, "siret", "siren", "name", "search_text", "is_buyer", "is_supplier", "size_category"
        ),
        "files": rows(SourceFile.objects, "source__name", "name", "fingerprint", "status", "checkpoint", "counts"),
    }
