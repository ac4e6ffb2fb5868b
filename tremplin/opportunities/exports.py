"""Exports of forecasts: APProch-style JSON and OCDS planning release packages (database → pure mappers)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from tremplin.opportunities import approch, ocds
from tremplin.opportunities.models import Forecast, Lot
from tremplin.opportunities.services import forecast_data
from tremplin.referentials.models import CpvCode, Department

DEFAULT_OCDS_PREFIX = "ocds-tremplin-"


def ocds_prefix() -> str:
    return getattr(settings, "OCDS_PREFIX", None) or DEFAULT_OCDS_PREFIX


def with_relations(queryset: QuerySet) -> QuerySet:
    return queryset.select_related("buyer__commune", "cpv").prefetch_related(
        "cpv_secondary", "departments", "communes", Prefetch("lots", queryset=Lot.objects.order_by("number"))
    )


def approch_payload(forecast: Forecast) -> dict:
    meta = approch.Meta(
        external_id=str(forecast.pk),
        url=settings.SITE_URL + forecast.get_absolute_url(),
        siret=forecast.buyer.siret,
        buyer_name=forecast.buyer.name,
        created_at=forecast.created_at.isoformat(),
        updated_at=forecast.updated_at.isoformat(),
    )
    return approch.to_payload(forecast_data(forecast), meta)


def _buyer_address(organisation) -> dict:
    return {
        "streetAddress": organisation.address,
        "postalCode": organisation.postcode,
        "locality": organisation.commune.name if organisation.commune_id else "",
        "countryName": "France",
    }


def ocds_releases(forecasts: list[Forecast]) -> list[dict]:
    """Planning releases of already fetched forecasts (`with_relations`); drafts are skipped."""
    forecasts = [forecast for forecast in forecasts if not forecast.is_draft]
    datas = {forecast.pk: forecast_data(forecast) for forecast in forecasts}
    cpv_codes = {
        code for data in datas.values() for code in [data.cpv, *data.cpv_secondary, *(lot.cpv for lot in data.lots)]
    }
    cpv_labels = dict(CpvCode.objects.filter(pk__in=cpv_codes - {""}).values_list("pk", "label"))
    communes = {commune.pk: (commune.name, commune.department_id) for f in forecasts for commune in f.communes.all()}
    department_codes = {code for data in datas.values() for code in data.departments} | {
        department for _, department in communes.values()
    }
    departments = {d.pk: str(d) for d in Department.objects.filter(pk__in=department_codes)}
    releases = []
    for forecast in forecasts:
        context = ocds.Context(
            forecast_id=forecast.pk,
            ocid_prefix=ocds_prefix(),
            updated_at=forecast.updated_at,
            url=settings.SITE_URL + forecast.get_absolute_url(),
            buyer_siret=forecast.buyer.siret,
            buyer_name=forecast.buyer.name,
            buyer_address=_buyer_address(forecast.buyer),
            cpv_labels=cpv_labels,
            department_names=departments,
            commune_places=communes,
        )
        releases.append(ocds.planning_release(datas[forecast.pk], context))
    return releases


def ocds_package(forecasts: list[Forecast], uri: str) -> dict:
    return ocds.package(ocds_releases(forecasts), uri, settings.SITE_URL, timezone.now())
