"""Use cases on purchase forecasts: writing one (pages, API, APProch import, purchase programme), moving it
through its lifecycle. Access is checked here through tremplin.policy, so that pages and API behave alike."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from tremplin import policy
from tremplin.core.text import search_key
from tremplin.opportunities import rules
from tremplin.opportunities.approch import ApprochError, from_payload
from tremplin.opportunities.models import Forecast, Lot, Source, StatusChange
from tremplin.opportunities.programme import Known, Programme
from tremplin.opportunities.rules import ForecastData, LotData
from tremplin.organisations.models import Organisation
from tremplin.referentials.models import Commune, CpvCode, Department


class ForecastError(Exception):
    """A forecast that cannot be written or moved; the message is French, for the user."""


class PermissionDenied(ForecastError):
    pass


class ForecastInvalid(ForecastError):
    """`errors` maps field names ("lots" for the lots, "" for the whole forecast) to French messages."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(" ".join(message for messages in errors.values() for message in messages))


NOT_A_BUYER_AGENT = "Seuls les agents acheteurs de l'organisation peuvent rédiger ses prévisions d'achat."


# ---------------------------------------------------------------- reading


def forecast_data(forecast: Forecast) -> ForecastData:
    """The forecast's values as plain codes (what exports and checks read)."""
    return ForecastData(
        title=forecast.title,
        description=forecast.description,
        category=forecast.category,
        cpv=forecast.cpv_id or "",
        cpv_secondary=sorted(c.pk for c in forecast.cpv_secondary.all()),
        estimated_amount=forecast.estimated_amount,
        max_duration_months=forecast.max_duration_months,
        publication_target_date=forecast.publication_target_date,
        publication_quarter=forecast.publication_quarter,
        offer_deadline=forecast.offer_deadline,
        procedure_type=forecast.procedure_type,
        procedure_details=forecast.procedure_details,
        departments=sorted(d.pk for d in forecast.departments.all()),
        communes=sorted(c.pk for c in forecast.communes.all()),
        keywords=list(forecast.keywords),
        contact_name=forecast.contact_name,
        contact_email=forecast.contact_email,
        contact_phone=forecast.contact_phone,
        messaging_enabled=forecast.messaging_enabled,
        consultation_url=forecast.consultation_url,
        social_considerations=forecast.social_considerations,
        social_kinds=list(forecast.social_kinds),
        environmental_considerations=forecast.environmental_considerations,
        environmental_kinds=list(forecast.environmental_kinds),
        considerations_details=forecast.considerations_details,
        reservations=list(forecast.reservations),
        lots=[
            LotData(lot.number, lot.title, lot.cpv_id or "", lot.estimated_amount, lot.reservation)
            for lot in forecast.lots.all()
        ],
        status=forecast.status,
    )


def reference_errors(data: ForecastData) -> dict[str, list[str]]:
    """Codes that do not exist in the referentials (CPV, departments, communes)."""
    errors: dict[str, list[str]] = {}
    cpv_codes = {data.cpv, *data.cpv_secondary, *(lot.cpv for lot in data.lots)} - {""}
    known_cpv = set(CpvCode.objects.filter(pk__in=cpv_codes).values_list("pk", flat=True))
    if data.cpv and data.cpv not in known_cpv:
        errors["cpv"] = [f"Code CPV inconnu « {data.cpv} »."]
    unknown = [code for code in data.cpv_secondary if code not in known_cpv]
    if unknown:
        errors["cpv_secondary"] = ["Codes CPV inconnus : " + ", ".join(unknown) + "."]
    for lot in data.lots:
        if lot.cpv and lot.cpv not in known_cpv:
            errors.setdefault("lots", []).append(f"Lot {lot.number} : code CPV inconnu « {lot.cpv} ».")
    known = set(Department.objects.filter(pk__in=data.departments).values_list("pk", flat=True))
    if unknown := [code for code in data.departments if code not in known]:
        errors["departments"] = ["Départements inconnus : " + ", ".join(unknown) + "."]
    known = set(Commune.objects.filter(pk__in=data.communes).values_list("pk", flat=True))
    if unknown := [code for code in data.communes if code not in known]:
        errors["communes"] = ["Codes commune INSEE inconnus : " + ", ".join(unknown) + "."]
    return errors


# ---------------------------------------------------------------- writing


def derived_values(data: ForecastData) -> tuple[str, str]:
    """The denormalised columns: the reservations of the forecast and its lots, the search key."""
    text = " ".join([data.title, data.description, " ".join(data.keywords), *(lot.title for lot in data.lots)])
    return " ".join(data.reserved_articles()), search_key(text)


def refresh_derived(forecast: Forecast) -> None:
    """Recompute the denormalised columns after a change made outside save_forecast (the admin)."""
    forecast.reserved_articles, forecast.search_text = derived_values(forecast_data(forecast))
    Forecast.objects.filter(pk=forecast.pk).update(
        reserved_articles=forecast.reserved_articles, search_text=forecast.search_text
    )


def save_forecast(
    user,
    organisation: Organisation,
    data: ForecastData,
    forecast: Forecast | None = None,
    *,
    source: str = Source.PLATFORM,
    external_id: str = "",
    keep_status: bool = True,
) -> Forecast:
    """Create or update a forecast of `organisation` from `data`.

    An update keeps the forecast's status unless `keep_status` is False (imports, which carry one); a new
    forecast takes `data.status` only when `keep_status` is False, else it starts as a draft. A forecast that
    is (or becomes) public must be complete (rules.publication_blockers)."""
    if not policy.can_write_forecasts(user, organisation):
        raise PermissionDenied(NOT_A_BUYER_AGENT)
    if forecast is not None and forecast.buyer_id != organisation.pk:
        raise PermissionDenied(NOT_A_BUYER_AGENT)
    current = forecast.status if forecast else None
    if keep_status:
        data.status = current or rules.DRAFT
    elif current and current != rules.DRAFT and data.status == rules.DRAFT:
        raise ForecastInvalid({"status": ["Une prévision publiée ne redevient pas un brouillon."]})
    if forecast is not None and keep_status and not forecast.is_editable:
        raise ForecastInvalid({"": [f"Une prévision « {forecast.get_status_display()} » ne se modifie plus."]})
    rules.normalise(data)
    errors = rules.forecast_errors(data)
    for name, messages in reference_errors(data).items():
        errors.setdefault(name, []).extend(messages)
    if not errors and data.status != rules.DRAFT:
        if blockers := rules.publication_blockers(data):
            errors[""] = blockers
    if errors:
        raise ForecastInvalid(errors)
    with transaction.atomic():
        return _write(user, organisation, data, forecast, source, external_id)


def _write(user, organisation, data: ForecastData, forecast: Forecast | None, source, external_id) -> Forecast:
    created = forecast is None
    if created:
        forecast = Forecast(buyer=organisation, created_by=user, source=source, external_id=external_id)
    previous_status = None if created else forecast.status
    for name in (
        "title",
        "description",
        "category",
        "estimated_amount",
        "max_duration_months",
        "publication_target_date",
        "publication_quarter",
        "offer_deadline",
        "procedure_type",
        "procedure_details",
        "keywords",
        "contact_name",
        "contact_email",
        "contact_phone",
        "messaging_enabled",
        "consultation_url",
        "social_considerations",
        "social_kinds",
        "environmental_considerations",
        "environmental_kinds",
        "considerations_details",
        "reservations",
        "status",
    ):
        setattr(forecast, name, getattr(data, name))
    forecast.title = forecast.title.strip()
    forecast.cpv_id = data.cpv or None
    forecast.reserved_articles, forecast.search_text = derived_values(data)
    if forecast.status != rules.DRAFT and forecast.published_at is None:
        forecast.published_at = timezone.now()
    forecast.save()
    forecast.cpv_secondary.set(data.cpv_secondary)
    forecast.departments.set(data.departments)
    forecast.communes.set(data.communes)
    forecast.lots.all().delete()
    Lot.objects.bulk_create(
        Lot(
            forecast=forecast,
            number=lot.number,
            title=lot.title.strip(),
            cpv_id=lot.cpv or None,
            estimated_amount=lot.estimated_amount,
            reservation=lot.reservation,
        )
        for lot in data.lots
    )
    if previous_status != forecast.status:
        StatusChange.objects.create(
            forecast=forecast, from_status=previous_status or "", to_status=forecast.status, by=user
        )
    return forecast


class TransitionRefused(ForecastError):
    pass


def transition(user, forecast: Forecast, target: str) -> Forecast:
    """Move a forecast to `target` (rules.TRANSITIONS), when its state allows it."""
    if not policy.can_edit_forecast(user, forecast):
        raise PermissionDenied("Seuls les agents acheteurs de l'organisation peuvent changer le statut.")
    with transaction.atomic():
        # Lock the row and read the stored status: two agents acting at once must not both move it.
        forecast = Forecast.objects.select_for_update().get(pk=forecast.pk)
        errors = rules.transition_errors(forecast.status, target, forecast_data(forecast))
        if errors:
            raise TransitionRefused(" ".join(errors))
        previous = forecast.status
        forecast.status = target
        if target != rules.DRAFT and forecast.published_at is None:
            forecast.published_at = timezone.now()
        forecast.save(update_fields=["status", "published_at", "updated_at"])
        StatusChange.objects.create(forecast=forecast, from_status=previous, to_status=target, by=user)
    return forecast


# ---------------------------------------------------------------- imports


def import_approch(user, payload) -> tuple[Forecast, bool]:
    """Create or update (same buyer and APProch id) a forecast from an APProch payload. Returns it and whether
    it was created."""
    try:
        data, meta = from_payload(payload)
    except ApprochError as error:
        raise ForecastInvalid({"payload": error.messages}) from error
    organisation = Organisation.objects.filter(siret=meta.siret).first() if meta.siret else None
    if organisation is None or not policy.can_write_forecasts(user, organisation):
        raise PermissionDenied(
            f"purchasingEntity.siret : vous n'êtes pas agent acheteur de l'organisation de SIRET « {meta.siret} » "
            "sur Tremplin."
        )
    existing = None
    if meta.external_id:
        existing = Forecast.objects.filter(
            buyer=organisation, source=Source.APPROCH, external_id=meta.external_id
        ).first()
    forecast = save_forecast(
        user, organisation, data, existing, source=Source.APPROCH, external_id=meta.external_id, keep_status=False
    )
    return forecast, existing is None


def programme_known(organisation: Organisation) -> Known:
    """What a purchase-programme file is checked against."""
    existing = dict(
        Forecast.objects.filter(buyer=organisation, source=Source.PROGRAMME).values_list("external_id", "status")
    )
    return Known(
        cpv=frozenset(CpvCode.objects.values_list("pk", flat=True)),
        departments=frozenset(Department.objects.values_list("pk", flat=True)),
        communes=frozenset(Commune.objects.values_list("pk", flat=True)),
        existing=existing,
    )


def import_programme(user, organisation: Organisation, programme: Programme) -> tuple[int, int]:
    """Save the valid forecasts of a checked programme as drafts. Returns (created, updated)."""
    if not policy.can_write_forecasts(user, organisation):
        raise PermissionDenied(NOT_A_BUYER_AGENT)
    created = updated = 0
    with transaction.atomic():
        for entry in programme.valid:
            existing = Forecast.objects.filter(
                buyer=organisation, source=Source.PROGRAMME, external_id=entry.reference
            ).first()
            save_forecast(
                user, organisation, entry.data, existing, source=Source.PROGRAMME, external_id=entry.reference
            )
            if existing:
                updated += 1
            else:
                created += 1
    return created, updated
