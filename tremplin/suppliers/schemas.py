"""API schemas of supplier profiles, and the functions that build their data from the models."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.urls import reverse
from ninja import Field, Schema

from tremplin.organisations.schemas import CodeNameOut, LabelOut
from tremplin.suppliers import perimeters
from tremplin.suppliers.models import PerimeterKind, SupplierActivity, SupplierProfile
from tremplin.suppliers.references import References

ServiceType = Literal["PREST", "BUILD", "DISP"]


class ErrorOut(Schema):
    detail: str


class ActivityOut(Schema):
    cpv: str | None = Field(None, description="Code CPV à 8 chiffres.")
    cpv_label: str
    naf: str | None
    naf_label: str
    service_types: list[ServiceType] = Field(
        ..., description="PREST prestation de services, BUILD fabrication et vente de biens, DISP mise à disposition."
    )
    description: str


class PerimeterOut(Schema):
    national: bool
    regions: list[str] = Field(..., description="Codes INSEE des régions.")
    departments: list[str] = Field(..., description="Codes INSEE des départements.")
    radius_km: int | None = Field(None, description="Rayon autour de la commune de l'établissement.")
    text: list[str] = Field(..., description="La zone en français, telle que la page l'affiche.")


class SupplierSummaryOut(Schema):
    siret: str
    name: str
    url: str
    commune: CodeNameOut | None
    department: CodeNameOut | None
    size_category: str
    inclusive_status: str
    prefilled: bool = Field(..., description="Profil pré-rempli d'après les marchés, non vérifié par l'entreprise.")
    activities: list[ActivityOut]
    perimeter: PerimeterOut
    references_count: int = Field(..., description="Nombre de marchés attribués détenus (DECP).")


class SupplierListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[SupplierSummaryOut]


class DivisionOut(Schema):
    code: str
    label: str
    count: int


class BuyerRefOut(Schema):
    siret: str
    name: str
    count: int


class ContractRefOut(Schema):
    key: str
    object: str
    buyer_name: str
    cpv: str
    notification_date: date | None
    amount: float | None = Field(None, description="Montant à la notification, en euros.")
    amount_suspicious: bool


class ReferencesOut(Schema):
    count: int
    total_amount: float | None = Field(
        None, description="Somme des montants à la notification, hors montants signalés comme douteux."
    )
    suspicious_count: int
    last_notification_date: date | None
    buyer_count: int
    cpv_divisions: list[DivisionOut]
    buyers: list[BuyerRefOut] = Field(..., description="Les 10 acheteurs les plus fréquents.")
    recent_contracts: list[ContractRefOut] = Field(..., description="Les 10 marchés les plus récents.")


class SupplierOut(Schema):
    siret: str
    siren: str
    name: str
    url: str
    has_profile: bool
    prefilled: bool
    description: str
    website: str
    commune: CodeNameOut | None
    department: CodeNameOut | None
    region: CodeNameOut | None
    size_category: str
    size_category_label: str
    size_source: str
    declared_size_category: str
    headcount_band: str = Field(..., description="Tranche d'effectif INSEE du répertoire SIRENE.")
    declared_headcount_band: str = Field(..., description="Tranche d'effectif INSEE déclarée par l'entreprise.")
    turnover: int | None = Field(None, description="Chiffre d'affaires déclaré, en euros.")
    turnover_year: int | None
    turnover_band: str
    inclusive_status: str
    inclusive_status_label: str
    is_ess: bool
    is_esus: bool
    labels: list[LabelOut]
    activities: list[ActivityOut]
    perimeter: PerimeterOut
    references: ReferencesOut


class ActivityIn(Schema):
    cpv: str = Field("", description="Code CPV (45210000, 45210000-2…) ; un code CPV ou NAF est obligatoire.")
    naf: str = Field("", description="Code NAF rév. 2 (43.21A…).")
    description: str = Field("", max_length=1000)
    service_types: list[ServiceType] = Field(..., min_length=1)


class PerimeterIn(Schema):
    national: bool = False
    regions: list[str] = Field([], description="Codes INSEE des régions (84…).")
    departments: list[str] = Field([], description="Codes INSEE des départements (69, 2A, 974…).")
    radius_km: int | None = Field(None, description="De 1 à 1000 km autour de la commune de l'établissement.")


class ProfileIn(Schema):
    activities: list[ActivityIn] = []
    perimeter: PerimeterIn = PerimeterIn()
    declared_headcount_band: str = Field("", description="Tranche d'effectif INSEE (00, 01, 02, 03, 11…).")
    turnover: int | None = Field(None, ge=0, description="Chiffre d'affaires en euros ; avec son exercice.")
    turnover_year: int | None = None
    declared_size_category: str | None = Field(None, description='micro, pme, eti, ge ou "" (taille déclarée).')
    inclusive_status: str | None = Field(None, description='EI, ETTI, AI, ACI, EITI, GEIQ, EA, EATT, ESAT ou "".')
    labels: list[str] | None = Field(None, description="Identifiants (slug) des labels.")
    is_ess: bool | None = None
    is_esus: bool | None = None


# ---------- Data ----------


def _code_name(obj) -> dict | None:
    return {"code": obj.code, "name": obj.name} if obj is not None else None


def activity_data(activity: SupplierActivity) -> dict:
    return {
        "cpv": activity.cpv_id,
        "cpv_label": activity.cpv.label if activity.cpv else "",
        "naf": activity.naf_id,
        "naf_label": activity.naf.label if activity.naf else "",
        "service_types": activity.service_types,
        "description": activity.description,
    }


def perimeter_data(profile: SupplierProfile | None) -> dict:
    rows = list(profile.perimeters.all()) if profile is not None else []
    return {
        "national": any(p.kind == PerimeterKind.NATIONAL for p in rows),
        "regions": sorted(p.region_id for p in rows if p.kind == PerimeterKind.REGION),
        "departments": sorted(p.department_id for p in rows if p.kind == PerimeterKind.DEPARTMENT),
        "radius_km": next((p.radius_km for p in rows if p.kind == PerimeterKind.RADIUS), None),
        "text": perimeters.describe(profile),
    }


def summary_data(profile: SupplierProfile, references_count: int) -> dict:
    organisation = profile.organisation
    return {
        "siret": organisation.siret,
        "name": organisation.name,
        "url": profile.get_absolute_url(),
        "commune": _code_name(organisation.commune),
        "department": _code_name(organisation.department),
        "size_category": organisation.size_category,
        "inclusive_status": organisation.inclusive_status,
        "prefilled": profile.prefilled,
        "activities": [activity_data(a) for a in profile.activities.all()],
        "perimeter": perimeter_data(profile),
        "references_count": references_count,
    }


def references_data(references: References) -> dict:
    return {
        "count": references.count,
        "total_amount": references.total_amount,
        "suspicious_count": references.suspicious_count,
        "last_notification_date": references.last_date,
        "buyer_count": references.buyer_count,
        "cpv_divisions": [vars(division) for division in references.divisions],
        "buyers": [{"siret": b.siret, "name": b.name, "count": b.count} for b in references.buyers],
        "recent_contracts": [
            {
                "key": contract.key,
                "object": contract.object,
                "buyer_name": contract.buyer.name if contract.buyer else contract.buyer_name,
                "cpv": contract.cpv,
                "notification_date": contract.notification_date,
                "amount": contract.amount_initial,
                "amount_suspicious": contract.amount_suspicious,
            }
            for contract in references.recent
        ],
    }


def supplier_data(organisation, profile: SupplierProfile | None, references: References) -> dict:
    department = organisation.department
    return {
        "siret": organisation.siret,
        "siren": organisation.siren,
        "name": organisation.name,
        "url": reverse("suppliers:detail", args=[organisation.siret]),
        "has_profile": profile is not None,
        "prefilled": bool(profile and profile.prefilled),
        "description": organisation.description,
        "website": organisation.website,
        "commune": _code_name(organisation.commune),
        "department": _code_name(department),
        "region": _code_name(department.region) if department else None,
        "size_category": organisation.size_category,
        "size_category_label": organisation.get_size_category_display() if organisation.size_category else "",
        "size_source": organisation.size_source,
        "declared_size_category": organisation.declared_size_category,
        "headcount_band": organisation.headcount_band,
        "declared_headcount_band": profile.headcount_band if profile else "",
        "turnover": profile.turnover if profile else None,
        "turnover_year": profile.turnover_year if profile else None,
        "turnover_band": profile.turnover_band if profile else "",
        "inclusive_status": organisation.inclusive_status,
        "inclusive_status_label": organisation.get_inclusive_status_display() if organisation.inclusive_status else "",
        "is_ess": organisation.is_ess,
        "is_esus": organisation.is_esus,
        "labels": [{"slug": label.slug, "name": label.name} for label in organisation.labels.all()],
        "activities": [activity_data(a) for a in profile.activities.all()] if profile else [],
        "perimeter": perimeter_data(profile),
        "references": references_data(references),
    }
