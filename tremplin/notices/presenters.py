"""A notice as the API returns it (and as the pages phrase some of its values): plain dicts and French text."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tremplin.ingest.notices.model import tzinfo_for
from tremplin.notices.models import Notice

PARIS = "Europe/Paris"


def clock(value) -> str:
    return f"{value:%H} h {value:%M}"


def deadline_text(notice: Notice) -> str:
    """The deadline in French: in Paris time, or in the local time of an overseas or foreign notice that gives its
    time zone by name; the time as published when its time zone is unknown."""
    if notice.deadline_at is not None:
        tz = tzinfo_for(notice.deadline_tz)
        paris = timezone.localtime(notice.deadline_at)
        if isinstance(tz, ZoneInfo) and tz.key != PARIS:
            local, label = notice.deadline_at.astimezone(tz), f"heure locale, {tz.key}"
        elif tz is not None and not isinstance(tz, ZoneInfo) and paris.utcoffset() != tz.utcoffset(None):
            # A UTC offset that is not Paris time at that date (often a summer offset given in winter): the time
            # as published, and what it means in Paris.
            local = notice.deadline_at.astimezone(tz)
            label = f"UTC{notice.deadline_tz} tel que publié, soit {clock(paris)} heure de Paris"
        else:
            local, label = paris, "heure de Paris"
        return f"{date_format(local, 'l j F Y')} à {clock(local)} ({label})"
    if notice.deadline_date is not None:
        text = date_format(notice.deadline_date, "l j F Y")
        if notice.deadline_time is not None:
            text += f" à {clock(notice.deadline_time)} (heure locale)"
        return text
    return ""


def organisation_ref(organisation, name: str, siret: str) -> dict:
    if organisation is None:
        return {"name": name, "siret": siret or None, "url": None}
    return {"name": name or organisation.name, "siret": organisation.siret, "url": organisation.get_absolute_url()}


def notice_ref(notice: Notice | None) -> dict | None:
    if notice is None:
        return None
    return {
        "id": notice.pk,
        "kind": notice.kind,
        "kind_label": notice.get_kind_display(),
        "title": notice.title,
        "publication_date": notice.publication_date,
        "url": notice.get_absolute_url(),
    }


def notice_summary(notice: Notice, now) -> dict:
    return {
        "id": notice.pk,
        "url": notice.get_absolute_url(),
        "api_url": reverse("api-v1:notice_detail", args=[notice.pk]),
        "source": notice.source,
        "source_id": notice.source_id,
        "publication_number": notice.publication_number or None,
        "kind": notice.kind,
        "kind_label": notice.get_kind_display(),
        "title": notice.title,
        "buyer": organisation_ref(notice.buyer, notice.buyer_name, notice.buyer.siret if notice.buyer else ""),
        "cpv": notice.cpv or None,
        "procedure": notice.procedure or None,
        "department": notice.place_department or None,
        "region": notice.place_region or None,
        "publication_date": notice.publication_date,
        "deadline_at": notice.deadline_at,
        "deadline_date": notice.deadline_date,
        "is_open": notice.is_open_at(now),
        "is_reserved": notice.is_reserved,
        "estimated_value": notice.estimated_value,
        "currency": notice.currency or None,
    }


def notice_data(notice: Notice, now) -> dict:
    """Everything about one notice: its lots, award decisions with winners, CPV codes, place, links, flags,
    related notices and provenance."""
    data = notice_summary(notice, now)
    lots = list(notice.lots.all())
    data.update(
        description=notice.description,
        buyer_reference=notice.buyer_reference or None,
        buyer_legal_id=notice.buyer_legal_id or None,
        buyer_country=notice.buyer_country or None,
        contract_nature=notice.contract_nature or None,
        procedure_code=notice.procedure_code or None,
        additional_cpv=notice.additional_cpv,
        cpv_codes=[code.code for code in notice.cpv_codes.order_by("-is_main", "code")],
        descriptors=notice.descriptors,
        place={
            "nuts": notice.place_nuts or None,
            "department": notice.place_department or None,
            "region": notice.place_region or None,
            "postcode": notice.place_postcode or None,
            "town": notice.place_town or None,
            "country": notice.place_country or None,
        },
        deadline={
            "at": notice.deadline_at,
            "date": notice.deadline_date,
            "time": notice.deadline_time,
            "time_zone": notice.deadline_tz or None,
            "text": deadline_text(notice) or None,
        },
        is_cancelled=notice.is_cancelled,
        considerations={
            "social": notice.is_social,
            "environmental": notice.is_environmental,
            "innovative": notice.is_innovative,
            "reserved": notice.is_reserved,
            "details": notice.strategic_details,
        },
        links={
            "notice": notice.notice_url or None,
            "documents": notice.documents_url or None,
            "buyer_profile": notice.buyer_profile_url or None,
        },
        lots=[
            {
                "lot_id": lot.lot_ref or None,
                "title": lot.title,
                "description": lot.description,
                "cpv": lot.cpv or None,
                "additional_cpv": lot.additional_cpv,
                "estimated_value": lot.estimated_value,
                "currency": lot.currency or None,
                "nuts": lot.nuts or None,
                "department": lot.department or None,
                "is_reserved": lot.is_reserved,
            }
            for lot in lots
        ],
        awards=[award_data(award) for award in notice.awards.prefetch_related("winners__organisation")],
        flags=[{"code": code, "label": label} for code, label in notice.flag_labels],
        related_reference=notice.related_reference or None,
        related=notice_ref(notice.related),
        follow_ups=[notice_ref(other) for other in notice.follow_ups.order_by("publication_date", "id")],
        provenance={
            "format": notice.format,
            "version": notice.version or None,
            "form_type": notice.form_type or None,
            "form_subtype": notice.form_subtype or None,
            "file": notice.raw_file,
            "position": notice.raw_position,
            "imported_at": notice.created_at,
            "updated_at": notice.updated_at,
        },
    )
    return data


def award_data(award) -> dict:
    return {
        "lot_id": award.lot_ref or None,
        "title": award.title,
        "awarded": award.awarded,
        "value": award.value,
        "currency": award.currency or None,
        "award_date": award.award_date,
        "tenders_received": award.tenders_received,
        "contract_id": award.contract_id or None,
        "joint": award.joint,
        "winners": [
            {
                "name": winner.name,
                "siret": winner.siret or None,
                "legal_id": winner.legal_id or None,
                "country": winner.country or None,
                "town": winner.town or None,
                "postcode": winner.postcode or None,
                "is_sme": winner.is_sme,
                "organisation": organisation_ref(winner.organisation, winner.name, winner.siret)
                if winner.organisation
                else None,
            }
            for winner in award.winners.all()
        ],
    }


def format_amount(value, currency: str | None = "EUR") -> str:
    """``855 500 €``, ``1 250,50 €``, ``167 733 600 PLN`` (narrow no-break spaces); "" without a value."""
    if value is None:
        return ""
    cents = f"{value:,.2f}".replace(",", "\u202f").replace(".", ",")
    if cents.endswith(",00"):
        cents = cents[:-3]
    symbol = "€" if (currency or "EUR") == "EUR" else currency
    return f"{cents}\u202f{symbol}"
