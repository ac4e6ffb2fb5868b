"""Reading the database into index features (the database stays the only source of truth), and the cheap
"generation" of each source: when it changes, the index is rebuilt."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Avg, BigIntegerField, Case, Count, F, IntegerField, Max, Sum, Value, When
from django.db.models.functions import Cast, Coalesce, Length
from django.urls import reverse
from django.utils import timezone

from tremplin.matching import places, rules
from tremplin.matching.opportunity_index import OpportunityFeatures
from tremplin.matching.supplier_index import SupplierFeatures
from tremplin.matching.text import meaningful, stems
from tremplin.matching.types import FORECAST, LOT, NOTICE

NOTICE_TEXT_CHARS = 1500  # the beginning of a notice's description is enough to say what it is about


class Geography:
    """Departments' regions, names and centres, and postcodes' points, read once per build."""

    def __init__(self):
        from tremplin.referentials.models import Commune, CommunePostcode, Department, Region

        self.region_names = dict(Region.objects.values_list("code", "name"))
        self.regions, self.names = {}, {}
        for code, region, name in Department.objects.values_list("code", "region_id", "name"):
            self.regions[code], self.names[code] = region, name
        self.centres = {
            row["department_id"]: places.EstimatedPoint((row["lat"], row["lon"]))
            for row in Commune.objects.filter(latitude__isnull=False, longitude__isnull=False)
            .values("department_id")
            .annotate(lat=Avg("latitude"), lon=Avg("longitude"))
        }
        self.postcodes: dict[str, tuple[float, float]] = {}
        self.postcode_departments: dict[str, str] = {}  # postcode → the department of its first commune
        rows = CommunePostcode.objects.values_list(
            "postcode", "commune__department_id", "commune__latitude", "commune__longitude"
        )
        for postcode, department, lat, lon in rows.order_by("postcode", "commune_id"):
            self.postcode_departments.setdefault(postcode, department)
            if lat is not None and lon is not None:
                self.postcodes.setdefault(postcode, (lat, lon))
        self.signature = hash(
            (frozenset(self.regions.items()), frozenset(self.names.items()), frozenset(self.centres.items()),
             frozenset(self.postcodes.items()), frozenset(self.postcode_departments.items()),
             frozenset(self.region_names.items()))
        )  # fmt: skip

    def place(self, departments, point=None) -> tuple[tuple[str, ...], tuple[str, ...], object, str]:
        departments = tuple(dict.fromkeys(d for d in departments if d))
        regions = tuple(dict.fromkeys(self.regions[d] for d in departments if d in self.regions))
        if point is None and departments:
            point = self.centres.get(departments[0])
        label = ", ".join(f"{self.names.get(d, d)} ({d})" for d in departments[:3])
        return departments, regions, point, label


def _ts(value) -> float | None:
    return value.timestamp() if value else None


def _amount(value) -> float | None:
    return float(value) if value is not None else None


def forecast_features(forecast, geography: Geography) -> list[OpportunityFeatures]:
    """A forecast as a whole and each of its lots (the caller prefetches lots, departments, communes, CPV)."""
    communes = [c for c in forecast.communes.all()]
    departments = [d.code for d in forecast.departments.all()] + [c.department_id for c in communes]
    point = next(((c.latitude, c.longitude) for c in communes if c.latitude is not None), None)
    departments, regions, point, label = geography.place(departments, point)
    lots = list(forecast.lots.all())
    secondary = tuple(c.code for c in forecast.cpv_secondary.all())
    lot_codes = tuple(lot.cpv_id for lot in lots if lot.cpv_id)
    text = " ".join([forecast.title, forecast.description, " ".join(forecast.keywords or [])])
    common = dict(
        url=forecast.get_absolute_url(),
        buyer_name=forecast.buyer.name,
        deadline=forecast.offer_deadline,
        published_ts=_ts(forecast.published_at),
        departments=departments,
        regions=regions,
        point=point,
        place_label=label,
    )
    main = (forecast.cpv_id,) if forecast.cpv_id else ()
    records = [
        OpportunityFeatures(
            kind=FORECAST,
            pk=forecast.pk,
            title=forecast.title,
            cpv=main,
            secondary_cpv=tuple(dict.fromkeys(c for c in secondary + lot_codes if c not in main)),
            amount=_amount(forecast.estimated_amount),
            reservations=tuple(forecast.reservations or ()),
            stems=tuple(stems(text)),
            extra={"forecast": forecast.pk},
            **common,
        )
    ]
    for lot in lots:
        lot_main = (lot.cpv_id,) if lot.cpv_id else main
        articles = tuple(
            dict.fromkeys([*(forecast.reservations or ()), *([lot.reservation] if lot.reservation else [])])
        )
        records.append(
            OpportunityFeatures(
                kind=LOT,
                pk=lot.pk,
                title=f"{forecast.title} — lot {lot.number} : {lot.title}",
                cpv=lot_main,
                secondary_cpv=tuple(c for c in secondary if c not in lot_main),
                amount=_amount(lot.estimated_amount),
                reservations=articles,
                stems=tuple(stems(f"{lot.title} {text}")),
                extra={"forecast": forecast.pk, "lot_number": lot.number},
                **common,
            )
        )
    return records


def open_forecasts():
    from tremplin.opportunities.models import Forecast

    return (
        Forecast.objects.open()
        .select_related("buyer")
        .prefetch_related("lots", "departments", "communes", "cpv_secondary")
        .order_by("pk")
    )


def notice_deadline_ts(deadline_at, deadline_date) -> float | None:
    if deadline_at:
        return deadline_at.timestamp()
    if deadline_date:
        end = dt.datetime.combine(deadline_date + dt.timedelta(days=1), dt.time.min)
        return timezone.make_aware(end).timestamp()
    return None


def notice_place(row: dict, lot_departments, geography: Geography):
    """A notice's departments, regions, point and label: its place of execution (department, postcode, lots'
    departments; else only its region, from the published region or NUTS code), else — when no place at all is
    published — its buyer's postcode. A place published as the whole of France (NUTS "FR") stays unknown: not
    excluded, not favoured. Nothing in France for a notice executed abroad."""
    from tremplin.ingest.notices.geo import clean_nuts, nuts_place

    if rules.outside_france(row["place_country"], row["buyer_country"]):
        country = (row["place_country"] or row["buyer_country"]).strip().upper()
        return (), (), None, f"hors de France ({country})"
    postcode = (row["place_postcode"] or "").strip()[:5]
    departments = [row["place_department"], geography.postcode_departments.get(postcode), *lot_departments]
    point = geography.postcodes.get(postcode)
    if any(departments) or point is not None:
        return geography.place([d for d in departments if d], point)
    nuts = clean_nuts(row["place_nuts"]) or ""
    region = row["place_region"] or nuts_place(nuts)[1]
    if region:
        return (), (region,), None, geography.region_names.get(region, region)
    if nuts == "FR":
        return (), (), None, "toute la France"
    postcode = (row["buyer_postcode"] or "").strip()[:5]
    department = geography.postcode_departments.get(postcode)
    return geography.place([department] if department else [], geography.postcodes.get(postcode))


def notice_records(queryset, geography: Geography) -> list[OpportunityFeatures]:
    from tremplin.notices.models import NoticeLot

    fields = (
        "pk", "title", "description", "buyer_name", "cpv", "additional_cpv", "place_department", "place_postcode",
        "place_country", "place_region", "place_nuts", "buyer_country", "buyer_postcode", "deadline_at",
        "deadline_date", "estimated_value", "is_reserved", "created_at",
    )  # fmt: skip
    rows = list(queryset.values(*fields))
    lots: dict[int, list] = defaultdict(list)
    # A subquery, not a list of ids: 100,000 ids would pass SQLite's limit of variables.
    for notice_id, cpv, department in NoticeLot.objects.filter(notice__in=queryset.values("pk")).values_list(
        "notice_id", "cpv", "department"
    ):
        lots[notice_id].append((cpv, department))
    records = []
    for row in rows:
        notice_lots = lots.get(row["pk"], [])
        main = (row["cpv"],) if row["cpv"] else ()
        extra_codes = [*(row["additional_cpv"] or []), *(c for c, _d in notice_lots if c)]
        secondary = tuple(dict.fromkeys(c for c in extra_codes if c and c not in main))[:8]
        departments, regions, point, label = notice_place(row, [d for _c, d in notice_lots], geography)
        reserved = row["is_reserved"]
        whole = reserved and len(notice_lots) <= 1
        deadline = row["deadline_date"] or (timezone.localdate(row["deadline_at"]) if row["deadline_at"] else None)
        records.append(
            OpportunityFeatures(
                kind=NOTICE,
                pk=row["pk"],
                title=row["title"] or "(avis sans objet)",
                url=reverse("notices:detail", args=[row["pk"]]),
                buyer_name=row["buyer_name"],
                deadline=deadline,
                deadline_ts=notice_deadline_ts(row["deadline_at"], row["deadline_date"]),
                published_ts=_ts(row["created_at"]),
                cpv=main,
                secondary_cpv=secondary,
                departments=departments,
                regions=regions,
                point=point,
                place_label=label,
                amount=_amount(row["estimated_value"]),
                reservations=(rules.RESERVED_UNSPECIFIED,) if whole else (),
                partly_reserved=bool(reserved and not whole),
                stems=tuple(stems(f"{row['title']} {(row['description'] or '')[:NOTICE_TEXT_CHARS]}")),
                foreign=rules.outside_france(row["place_country"], row["buyer_country"]),
            )
        )
    return records


class OpportunityLoader:
    """Reads the open opportunities (``load_opportunities``), keeping open notices' features between two reads:
    only the notices added or changed since (``updated_at``) are read and stemmed again — stemming the text of
    100,000 notices takes about a minute of CPU, and the index is rebuilt whenever a forecast changes. A change of
    the geography (departments, communes) reads them all again."""

    CHUNK = 500  # ids per query when reading the changed notices

    def __init__(self):
        self._notices: dict[int, tuple[object, OpportunityFeatures]] = {}  # pk → (updated_at, features)
        self._geography: int | None = None

    def reset(self) -> None:
        self._notices, self._geography = {}, None

    def __call__(self) -> list[OpportunityFeatures]:
        geography = Geography()
        records = []
        for forecast in open_forecasts():
            records.extend(forecast_features(forecast, geography))
        return records + self.notices(geography)

    def notices(self, geography: Geography) -> list[OpportunityFeatures]:
        from tremplin.notices.models import Notice

        if geography.signature != self._geography:
            self._notices, self._geography = {}, geography.signature
        versions = dict(Notice.objects.open().values_list("pk", "updated_at"))
        known = self._notices
        stale = [pk for pk, at in versions.items() if pk not in known or known[pk][0] != at]
        if len(stale) > len(versions) // 2:
            fresh = notice_records(Notice.objects.open(), geography)
        else:
            fresh = []
            for start in range(0, len(stale), self.CHUNK):
                fresh += notice_records(Notice.objects.filter(pk__in=stale[start : start + self.CHUNK]), geography)
        # The version read first: a notice changed in between is read again next time.
        fresh_by_pk = {record.pk: record for record in fresh if record.pk in versions}
        self._notices = {
            pk: (at, fresh_by_pk[pk]) if pk in fresh_by_pk else known[pk]
            for pk, at in versions.items()
            if pk in fresh_by_pk or (pk in known and known[pk][0] == at)
        }
        return [features for _at, features in self._notices.values()]


def load_opportunities() -> list[OpportunityFeatures]:
    """The open opportunities' features, all read from the database."""
    return OpportunityLoader()()


def opportunities_generation() -> tuple:
    from tremplin.notices.models import Notice
    from tremplin.opportunities.models import Forecast, Lot

    return (
        tuple(Forecast.objects.aggregate(n=Count("id"), at=Max("updated_at")).values()),
        tuple(Lot.objects.aggregate(n=Count("id"), last=Max("id"), **lots_checksum()).values()),
        tuple(Notice.objects.aggregate(n=Count("id"), at=Max("updated_at")).values()),
    )


def lots_checksum() -> dict:
    """Aggregates over the lots' content (lots have no ``updated_at``): a lot edited in place — its CPV, its
    reservation, its amount, its title — changes one of them, so the index is rebuilt. Each value is weighted by
    the lot's id, so that two lots swapping values change the sums too."""
    from tremplin.opportunities.rules import RESERVATIONS

    reservation = Case(
        *(When(reservation=code, then=Value(position)) for position, code in enumerate(sorted(RESERVATIONS), 1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    cpv = Coalesce(Cast("cpv_id", BigIntegerField()), Value(0))
    amount = Coalesce(Cast("estimated_amount", BigIntegerField()), Value(-1))
    prime = Value(1_000_003)  # keeps the products far from 64-bit overflow
    return {
        "cpv": Sum(cpv % prime * F("id")),
        "reservation": Sum(reservation * F("id")),
        "amount": Sum(amount % prime * F("id")),
        "title": Sum(Length("title") * F("id")),
    }


# ---------- suppliers ----------


def supplier_records(profiles, geography: Geography, won: dict[int, dict[str, int]]) -> list[SupplierFeatures]:
    records = []
    for profile in profiles:
        organisation = profile.organisation
        activities = list(profile.activities.all())
        perimeters = list(profile.perimeters.all())
        commune = organisation.commune
        point = (commune.latitude, commune.longitude) if commune and commune.latitude is not None else None
        department = organisation.department_id or (commune.department_id if commune else "")
        _d, _r, point, _label = geography.place([department] if department else [], point)
        words = [organisation.description, organisation.naf.label if organisation.naf_id else ""]
        for activity in activities:
            words += [*meaningful([activity.description]), activity.cpv.label if activity.cpv_id else ""]
            words.append(activity.naf.label if activity.naf_id else "")
        radius = next((p.radius_km for p in perimeters if p.kind == "radius"), None)
        records.append(
            SupplierFeatures(
                organisation_pk=organisation.pk,
                siret=organisation.siret,
                name=organisation.name,
                url=profile.get_absolute_url(),
                inclusive_status=organisation.inclusive_status,
                is_ess=organisation.is_ess,
                size_category=organisation.size_category,
                department=department or "",
                point=point,
                cpv=tuple(dict.fromkeys(a.cpv_id for a in activities if a.cpv_id)),
                stems=tuple(stems(" ".join(w for w in words if w))),
                national=any(p.kind == "national" for p in perimeters),
                regions=tuple(p.region_id for p in perimeters if p.kind == "region"),
                departments=tuple(p.department_id for p in perimeters if p.kind == "department"),
                radius_km=float(radius) if radius else None,
                turnover=float(profile.turnover) if profile.turnover is not None else None,
                won=won.get(organisation.pk, {}),
            )
        )
    return records


def contracts_won(organisation_ids=None, digits: int = 2) -> dict[int, dict[str, int]]:
    """Organisation → CPV prefix (the division by default; ``rules.TRACK_DIGITS`` for the track record, the
    group) → contracts held (initial or current holder), from the DECP data."""
    from django.db.models.functions import Substr

    from tremplin.contracts.models import ContractHolder

    holders = ContractHolder.objects.filter(organisation__isnull=False).exclude(contract__cpv="")
    if organisation_ids is not None:
        holders = holders.filter(organisation_id__in=organisation_ids)
    rows = (
        holders.annotate(division=Substr("contract__cpv", 1, digits))
        .values("organisation_id", "division")
        .annotate(n=Count("contract_id", distinct=True))
    )
    won: dict[int, dict[str, int]] = defaultdict(dict)
    for row in rows:
        won[row["organisation_id"]][row["division"]] = row["n"]
    return won


def supplier_profiles():
    from tremplin.suppliers.models import SupplierProfile

    return (
        SupplierProfile.objects.filter(organisation__is_closed=False)
        .select_related("organisation__commune", "organisation__naf")
        .prefetch_related("activities__cpv", "activities__naf", "perimeters")
        .order_by("pk")
    )


def load_suppliers() -> list[SupplierFeatures]:
    return supplier_records(supplier_profiles(), Geography(), contracts_won(digits=rules.TRACK_DIGITS))


def suppliers_generation() -> tuple:
    from tremplin.contracts.models import ContractHolder
    from tremplin.organisations.models import Organisation
    from tremplin.suppliers.models import SupplierActivity, SupplierPerimeter, SupplierProfile

    return (
        tuple(SupplierProfile.objects.aggregate(n=Count("id"), at=Max("updated_at")).values()),
        tuple(SupplierActivity.objects.aggregate(n=Count("id"), last=Max("id")).values()),
        tuple(SupplierPerimeter.objects.aggregate(n=Count("id"), last=Max("id")).values()),
        tuple(Organisation.objects.filter(is_supplier=True).aggregate(n=Count("id"), at=Max("updated_at")).values()),
        tuple(ContractHolder.objects.aggregate(n=Count("id"), last=Max("id")).values()),
    )
