"""A supplier's stored perimeters as rules, as French text, and as a database filter ("covers department D")."""

from __future__ import annotations

from django.db.models import Exists, F, FloatField, OuterRef, Q
from django.db.models.functions import Cast

from tremplin.referentials.models import Commune, Department
from tremplin.suppliers import rules
from tremplin.suppliers.models import PerimeterKind, SupplierPerimeter, SupplierProfile


def establishment_point(organisation) -> rules.Point | None:
    """The (latitude, longitude) of the establishment's commune, the centre of a radius perimeter."""
    commune = organisation.commune
    if commune is None or commune.latitude is None or commune.longitude is None:
        return None
    return (commune.latitude, commune.longitude)


def as_rules(profile: SupplierProfile, perimeters: list[SupplierPerimeter] | None = None) -> list[rules.Perimeter]:
    """The profile's perimeters in the form `rules.perimeter_covers` takes (regions and departments grouped)."""
    perimeters = list(profile.perimeters.all()) if perimeters is None else perimeters
    organisation = profile.organisation
    result = []
    regions = frozenset(p.region_id for p in perimeters if p.kind == PerimeterKind.REGION)
    departments = frozenset(p.department_id for p in perimeters if p.kind == PerimeterKind.DEPARTMENT)
    if any(p.kind == PerimeterKind.NATIONAL for p in perimeters):
        result.append(rules.Perimeter(rules.NATIONAL))
    if regions:
        result.append(rules.Perimeter(rules.REGION, regions))
    if departments:
        result.append(rules.Perimeter(rules.DEPARTMENT, departments))
    for perimeter in perimeters:
        if perimeter.kind == PerimeterKind.RADIUS:
            result.append(
                rules.Perimeter(
                    rules.RADIUS,
                    radius_km=perimeter.radius_km,
                    origin=establishment_point(organisation),
                    origin_department=organisation.department_id or "",
                )
            )
    return result


def describe(profile: SupplierProfile | None) -> list[str]:
    """The perimeter in French, one phrase per kind: "Toute la France", "Régions : Auvergne-Rhône-Alpes",
    "Départements : Rhône (69) et Loire (42)", "Dans un rayon de 50 km autour de Lyon". Empty when none.
    Prefetch `perimeters__region` and `perimeters__department` when describing several profiles."""
    if profile is None:
        return []
    perimeters = list(profile.perimeters.all())
    phrases = []
    if any(p.kind == PerimeterKind.NATIONAL for p in perimeters):
        phrases.append("Toute la France")
    regions = sorted((p.region for p in perimeters if p.kind == PerimeterKind.REGION), key=lambda r: r.name)
    if regions:
        label = "Région" if len(regions) == 1 else "Régions"
        phrases.append(f"{label} : {rules.french_list(r.name for r in regions)}")
    departments = sorted((p.department for p in perimeters if p.kind == PerimeterKind.DEPARTMENT), key=lambda d: d.code)
    if departments:
        label = "Département" if len(departments) == 1 else "Départements"
        phrases.append(f"{label} : {rules.french_list(f'{d.name} ({d.code})' for d in departments)}")
    for perimeter in perimeters:
        if perimeter.kind == PerimeterKind.RADIUS:
            commune = profile.organisation.commune
            around = f"autour de {commune.name}" if commune else "autour de l'établissement"
            phrases.append(f"Dans un rayon de {rules.format_km(perimeter.radius_km)} {around}")
    return phrases


def radius_profiles_reaching(department: Department) -> set[int]:
    """Profiles with a radius perimeter that reaches `department`: the establishment is in it, or the circle
    contains at least one of its communes. Candidates are pre-selected in the database by a bounding box."""
    points = list(
        Commune.objects.filter(department=department, latitude__isnull=False, longitude__isnull=False).values_list(
            "latitude", "longitude"
        )
    )
    reached = set(
        SupplierPerimeter.objects.filter(
            kind=PerimeterKind.RADIUS, profile__organisation__department=department
        ).values_list("profile_id", flat=True)
    )
    if not points:
        return reached
    latitudes, longitudes = [lat for lat, _ in points], [lon for _, lon in points]
    km = Cast("radius_km", FloatField())  # the bounding-box margins of rules.degree_margins, in SQL
    lat_margin, lon_margin = km / rules.KM_PER_DEGREE_LATITUDE_MIN, km / rules.KM_PER_DEGREE_LONGITUDE_MIN
    candidates = (
        SupplierPerimeter.objects.filter(kind=PerimeterKind.RADIUS)
        .exclude(profile_id__in=reached)
        .filter(profile__organisation__commune__latitude__isnull=False)
        .annotate(lat=F("profile__organisation__commune__latitude"), lon=F("profile__organisation__commune__longitude"))
        .filter(
            lat__gte=min(latitudes) - lat_margin,
            lat__lte=max(latitudes) + lat_margin,
            lon__gte=min(longitudes) - lon_margin,
            lon__lte=max(longitudes) + lon_margin,
        )
        .values_list("profile_id", "radius_km", "lat", "lon")
    )
    for profile_id, radius_km, lat, lon in candidates:
        if rules.reaches_any((lat, lon), radius_km, points):
            reached.add(profile_id)
    return reached


def covering_department(department: Department) -> Q:
    """Filter on SupplierProfile: the profiles whose perimeter covers `department` — national, its region, the
    department itself, or a radius reaching it."""
    perimeters = SupplierPerimeter.objects.filter(profile=OuterRef("pk"))
    return (
        Exists(perimeters.filter(kind=PerimeterKind.NATIONAL))
        | Exists(perimeters.filter(kind=PerimeterKind.REGION, region_id=department.region_id))
        | Exists(perimeters.filter(kind=PerimeterKind.DEPARTMENT, department_id=department.code))
        | Q(pk__in=radius_profiles_reaching(department))
    )
