"""API schemas of forecasts and fairs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.conf import settings
from django.urls import reverse
from ninja import Field, Schema

from tremplin.opportunities import rules
from tremplin.opportunities.models import Fair, Forecast, Registration


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(..., description="Messages par champ (« lots » pour les lots).")


class CodeLabelOut(Schema):
    code: str
    label: str


class CodeNameOut(Schema):
    code: str
    name: str


class BuyerOut(Schema):
    siret: str
    name: str


class ContactOut(Schema):
    name: str
    email: str
    phone: str


class LotOut(Schema):
    number: int
    title: str
    cpv: CodeLabelOut | None
    estimated_amount: float | None
    reservation: str


class ForecastSummaryOut(Schema):
    id: int
    url: str
    status: str
    status_label: str
    title: str
    buyer: BuyerOut
    category: str
    cpv: str
    estimated_amount: float | None
    publication_target_date: date | None
    publication_quarter: str
    offer_deadline: date | None
    reserved_articles: list[str] = Field(..., description="Réservations de la prévision ou de l'un de ses lots.")

    @staticmethod
    def resolve_url(obj: Forecast) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    @staticmethod
    def resolve_status_label(obj: Forecast) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_cpv(obj: Forecast) -> str:
        return obj.cpv_id or ""

    @staticmethod
    def resolve_reserved_articles(obj: Forecast) -> list[str]:
        return obj.reserved_list


class ForecastListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[ForecastSummaryOut]


class ForecastOut(ForecastSummaryOut):
    description: str
    category_label: str
    cpv_detail: CodeLabelOut | None
    cpv_secondary: list[CodeLabelOut]
    max_duration_months: int | None
    procedure_type: str
    procedure_label: str
    procedure_details: str
    departments: list[CodeNameOut]
    communes: list[CodeNameOut]
    keywords: list[str]
    contact: ContactOut
    messaging_enabled: bool
    consultation_url: str
    social_considerations: bool
    social_kinds: list[str]
    environmental_considerations: bool
    environmental_kinds: list[str]
    considerations_details: str
    reservations: list[str] = Field(..., description="Réservations du marché entier (les lots portent les leurs).")
    lots: list[LotOut]
    source: str
    published_at: datetime | None
    updated_at: datetime

    @staticmethod
    def resolve_category_label(obj: Forecast) -> str:
        return rules.CATEGORIES.get(obj.category, "")

    @staticmethod
    def resolve_cpv_detail(obj: Forecast):
        return {"code": obj.cpv.code, "label": obj.cpv.label} if obj.cpv_id else None

    @staticmethod
    def resolve_cpv_secondary(obj: Forecast):
        return [{"code": c.code, "label": c.label} for c in obj.cpv_secondary.all()]

    @staticmethod
    def resolve_procedure_label(obj: Forecast) -> str:
        return rules.PROCEDURES.get(obj.procedure_type, "")

    @staticmethod
    def resolve_communes(obj: Forecast):
        return list(obj.communes.all())

    @staticmethod
    def resolve_contact(obj: Forecast):
        return {"name": obj.contact_name, "email": obj.contact_email, "phone": obj.contact_phone}

    @staticmethod
    def resolve_lots(obj: Forecast):
        return [
            {
                "number": lot.number,
                "title": lot.title,
                "cpv": {"code": lot.cpv.code, "label": lot.cpv.label} if lot.cpv_id else None,
                "estimated_amount": lot.estimated_amount,
                "reservation": lot.reservation,
            }
            for lot in obj.lots.all()
        ]


class LotIn(Schema):
    number: int = Field(..., ge=1, le=999)
    title: str
    cpv: str = ""
    estimated_amount: Decimal | None = None
    reservation: str = Field("", description="Vide, L2113-12 (EA, ESAT), L2113-13 (SIAE) ou L2113-15 (ESS).")


class ForecastIn(Schema):
    title: str
    description: str = ""
    category: str = Field("", description="travaux, fournitures ou services.")
    cpv: str = Field("", description="Code CPV principal (8 chiffres, avec ou sans clé).")
    cpv_secondary: list[str] = []
    estimated_amount: Decimal | None = Field(None, description="Montant estimé en euros hors taxes.")
    max_duration_months: int | None = None
    publication_target_date: date | None = None
    publication_quarter: str = Field("", description="Par exemple 2026-T3, si la date n'est pas connue.")
    offer_deadline: date | None = None
    procedure_type: str = Field("", description="Code : " + ", ".join(rules.PROCEDURES) + ".")
    procedure_details: str = ""
    departments: list[str] = []
    communes: list[str] = Field([], description="Codes INSEE.")
    keywords: list[str] = []
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    messaging_enabled: bool = False
    consultation_url: str = ""
    social_considerations: bool = False
    social_kinds: list[str] = Field([], description="Codes : " + ", ".join(rules.SOCIAL_KINDS) + ".")
    environmental_considerations: bool = False
    environmental_kinds: list[str] = Field([], description="Codes : " + ", ".join(rules.ENVIRONMENTAL_KINDS) + ".")
    considerations_details: str = ""
    reservations: list[str] = []
    lots: list[LotIn] = []


class ForecastCreateIn(ForecastIn):
    buyer_siret: str = Field(..., description="SIRET de l'organisation acheteuse (vous y êtes agent acheteur).")


class TransitionIn(Schema):
    status: str = Field(..., description="published, in_consultation, awarded ou abandoned.")


class ImportItemOut(Schema):
    id: int
    url: str
    created: bool


class ImportOut(Schema):
    created: int
    updated: int
    items: list[ImportItemOut]


class FairOut(Schema):
    id: int
    url: str
    ics_url: str
    title: str
    description: str
    organiser: BuyerOut
    starts_at: datetime
    ends_at: datetime
    venue: str
    address: str
    commune: CodeNameOut | None
    capacity: int | None
    registration_required: bool
    registration_deadline: datetime | None
    cancelled: bool
    confirmed_count: int
    waiting_count: int
    forecasts: list[ForecastSummaryOut]

    @staticmethod
    def resolve_url(obj: Fair) -> str:
        return settings.SITE_URL + obj.get_absolute_url()

    @staticmethod
    def resolve_ics_url(obj: Fair) -> str:
        return settings.SITE_URL + reverse("opportunities:fair_ics", args=[obj.pk])

    @staticmethod
    def resolve_cancelled(obj: Fair) -> bool:
        return obj.is_cancelled

    @staticmethod
    def resolve_confirmed_count(obj: Fair) -> int:
        return obj.registrations.filter(status=rules.CONFIRMED).count()

    @staticmethod
    def resolve_waiting_count(obj: Fair) -> int:
        return obj.registrations.filter(status=rules.WAITING).count()

    @staticmethod
    def resolve_forecasts(obj: Fair):
        return list(obj.forecasts.public().select_related("buyer"))


class RegistrationIn(Schema):
    siret: str = Field(..., description="SIRET de l'entreprise à inscrire (vous en êtes membre).")


class RegistrationOut(Schema):
    id: int
    fair_id: int
    organisation: BuyerOut
    status: str
    status_label: str
    waiting_position: int | None
    requested_at: datetime
    promoted_at: datetime | None
    cancelled_at: datetime | None

    @staticmethod
    def resolve_status_label(obj: Registration) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_waiting_position(obj: Registration) -> int | None:
        from tremplin.opportunities.fairs import waiting_position

        return waiting_position(obj)


class CancellationOut(Schema):
    registration: RegistrationOut
    promoted: list[RegistrationOut]
