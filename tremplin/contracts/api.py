"""Awarded contracts API (public, read-only), mounted at /api/v1/contracts: one contract with its holders,
modifications, flags, territory and provenance, read from the database."""

from __future__ import annotations

import datetime

from django.db.models import Prefetch
from ninja import Router, Schema
from ninja.errors import HttpError

from tremplin.contracts.models import Contract, ContractHolder

router = Router()


class TerritoryOut(Schema):
    department: str
    region: str
    source: str
    source_label: str


class OrganisationRef(Schema):
    siret: str
    name: str
    known: bool
    url: str | None = None


class HolderOut(Schema):
    identifier: str
    id_type: str
    name: str
    position: int
    is_initial: bool
    is_current: bool
    organisation: OrganisationRef | None = None


class ModificationOut(Schema):
    seq: int
    decp_id: str
    notification_date: datetime.date | None = None
    publication_date: datetime.date | None = None
    object: str
    duration_months: int | None = None
    amount: float | None = None
    holders: list = []


class SourceOut(Schema):
    source: str | None = None
    file: str | None = None
    position: str
    format: str


class ContractOut(Schema):
    key: str
    uid: str
    id: str
    kind: str
    url: str
    buyer: OrganisationRef
    nature: str
    object: str
    cpv: str
    procedure: str
    price_form: str
    place: dict
    territory: TerritoryOut
    notification_date: datetime.date | None = None
    publication_date: datetime.date | None = None
    amount_initial: float | None = None
    amount_current: float | None = None
    amount_suspicious: bool
    duration_initial: int | None = None
    duration_current: int | None = None
    offers_received: int | None = None
    techniques: list
    execution_modalities: list
    social_considerations: list
    environmental_considerations: list
    flags: list
    holders: list[HolderOut]
    modifications: list[ModificationOut]
    source: SourceOut


def _organisation(siret: str, name: str, organisation, page: str) -> dict:
    from django.urls import reverse

    url = reverse(page, args=[siret]) if len(siret) == 14 and siret.isdigit() else None
    return {"siret": siret, "name": name, "known": organisation is not None, "url": url}


def contract_detail_queryset():
    holders = ContractHolder.objects.select_related("organisation").order_by("-is_initial", "position", "id")
    return Contract.objects.select_related("buyer", "source_file__source").prefetch_related(
        Prefetch("holders", queryset=holders), "modifications"
    )


def contract_data(contract: Contract) -> dict:
    """The contract as the API returns it (also used by the detail page)."""
    buyer_siret = contract.buyer.siret if contract.buyer else contract.buyer_identifier
    buyer_name = contract.buyer.name if contract.buyer else contract.buyer_name
    return {
        "key": contract.key,
        "uid": contract.uid,
        "id": contract.decp_id,
        "kind": contract.kind,
        "url": contract.get_absolute_url(),
        "buyer": _organisation(buyer_siret, buyer_name, contract.buyer, "observatory:buyer"),
        "nature": contract.nature,
        "object": contract.object,
        "cpv": contract.cpv,
        "procedure": contract.procedure,
        "price_form": contract.price_form,
        "place": {"type": contract.place_type, "code": contract.place_code, "name": contract.place_name},
        "territory": {
            "department": contract.territory_department,
            "region": contract.territory_region,
            "source": contract.territory_source,
            "source_label": contract.get_territory_source_display(),
        },
        "notification_date": contract.notification_date,
        "publication_date": contract.publication_date,
        "amount_initial": contract.amount_initial,
        "amount_current": contract.amount_current,
        "amount_suspicious": contract.amount_suspicious,
        "duration_initial": contract.duration_initial,
        "duration_current": contract.duration_current,
        "offers_received": contract.offers_received,
        "techniques": contract.techniques,
        "execution_modalities": contract.execution_modalities,
        "social_considerations": contract.social_considerations,
        "environmental_considerations": contract.environmental_considerations,
        "flags": contract.flags,
        "holders": [
            {
                "identifier": holder.identifier,
                "id_type": holder.id_type,
                "name": holder.name,
                "position": holder.position,
                "is_initial": holder.is_initial,
                "is_current": holder.is_current,
                "organisation": _organisation(
                    holder.organisation.siret, holder.organisation.name, holder.organisation, "observatory:holder"
                )
                if holder.organisation
                else None,
            }
            for holder in contract.holders.all()
        ],
        "modifications": [
            {
                "seq": modification.seq,
                "decp_id": modification.decp_id,
                "notification_date": modification.notification_date,
                "publication_date": modification.publication_date,
                "object": modification.object,
                "duration_months": modification.duration_months,
                "amount": modification.amount,
                "holders": modification.holders,
            }
            for modification in contract.modifications.all()
        ],
        "source": {
            "source": contract.source_file.source.name if contract.source_file else None,
            "file": contract.source_file.name if contract.source_file else None,
            "position": contract.source_position,
            "format": contract.format,
        },
    }


@router.get(
    "/{key}",
    response={200: ContractOut},
    summary="Un marché attribué",
    description="Le marché (clé Tremplin), ses titulaires, ses modifications, ses anomalies et sa provenance. "
    "404 si la clé est inconnue.",
)
def contract_detail(request, key: str):
    contract = contract_detail_queryset().filter(key=key).first()
    if contract is None:
        raise HttpError(404, "Marché inconnu.")
    return contract_data(contract)
