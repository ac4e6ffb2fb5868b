"""Read-only API of the reference data, mounted at /api/v1/referentials."""

from ninja import Query, Router, Status

from tremplin.referentials.models import Commune, CpvCode, Department, NafCode, Region
from tremplin.referentials.rules import CpvCodeError, NafCodeError, normalize_cpv, normalize_naf
from tremplin.referentials.schemas import (
    CommuneOut,
    CommunePage,
    CommuneSearchQuery,
    CpvDetail,
    CpvPage,
    CpvSearchQuery,
    DepartmentOut,
    ErrorOut,
    NafDetail,
    NafPage,
    NafSearchQuery,
    RegionOut,
    ZoneName,
)

router = Router()

ERRORS = {400: ErrorOut, 404: ErrorOut}


def _page(queryset, page) -> dict:
    return {"count": queryset.count(), "items": list(queryset[page.offset : page.offset + page.limit])}


@router.get("/cpv", response={200: CpvPage, 400: ErrorOut}, summary="Rechercher des codes CPV")
def search_cpv(request, filters: Query[CpvSearchQuery]):
    """Codes CPV 2008 par début de code ou par mots du libellé (tous les mots, accents ignorés), les plus
    pertinents d'abord : libellé identique, puis mots entiers, puis niveaux les plus généraux. Sans `q` ni
    `parent` : les 45 divisions."""
    codes = CpvCode.objects.all()
    if filters.parent:
        try:
            codes = codes.filter(parent_id=normalize_cpv(filters.parent))
        except CpvCodeError as error:
            return Status(400, {"detail": str(error)})
    if filters.q:
        codes = codes.search(filters.q)
    elif not filters.parent:
        codes = codes.filter(level=1)
    return _page(codes, filters)


@router.get("/cpv/{code}", response={200: CpvDetail, **ERRORS}, summary="Un code CPV")
def get_cpv(request, code: str):
    """Accepte `45210000-2`, `452100002`, `45210000`, `4521000` (complété par des zéros), espaces et points."""
    try:
        normalized = normalize_cpv(code)
    except CpvCodeError as error:
        return Status(400, {"detail": str(error)})
    cpv = CpvCode.objects.select_related("parent").filter(code=normalized).first()
    if cpv is None:
        return Status(404, {"detail": f"Code CPV inconnu : {normalized}."})
    return cpv


@router.get("/naf", response=NafPage, summary="Rechercher des codes NAF")
def search_naf(request, filters: Query[NafSearchQuery]):
    """Codes NAF rév. 2 de tous niveaux, par code ou par mots du libellé (accents ignorés)."""
    return _page(NafCode.objects.search(filters.q), filters)


@router.get("/naf/{code}", response={200: NafDetail, **ERRORS}, summary="Un code NAF")
def get_naf(request, code: str):
    """Accepte `62.01Z`, `6201Z`, `6201z`, `62.01`, `62`, `J`."""
    try:
        normalized = normalize_naf(code)
    except NafCodeError as error:
        return Status(400, {"detail": str(error)})
    naf = NafCode.objects.filter(code=normalized).first()
    if naf is None:
        return Status(404, {"detail": f"Code NAF inconnu : {normalized}."})
    return naf


@router.get("/regions", response=list[RegionOut], summary="Régions")
def list_regions(request, zone: ZoneName | None = None):
    """Les 18 régions, et les collectivités d'outre-mer (zone « com »), chacune étant sa propre région comme
    dans le COG de l'INSEE et les données DECP."""
    regions = Region.objects.all()
    return regions.filter(zone=zone) if zone else regions


@router.get("/departments", response=list[DepartmentOut], summary="Départements")
def list_departments(request, region: str | None = None):
    """Les départements (et collectivités d'outre-mer), avec leur région ; `region` filtre par code de région."""
    departments = Department.objects.select_related("region")
    return departments.filter(region_id=region) if region else departments


@router.get("/communes", response=CommunePage, summary="Rechercher des communes")
def search_communes(request, filters: Query[CommuneSearchQuery]):
    """Communes et arrondissements municipaux, par nom (accents ignorés), code postal exact ou département.
    Par nom : nom identique d'abord, puis commençant par la recherche, puis les plus peuplées."""
    communes = Commune.objects.with_geography()
    if filters.postcode:
        communes = communes.with_postcode(filters.postcode)
    if filters.department:
        communes = communes.filter(department_id=filters.department)
    if filters.q:
        communes = communes.search(filters.q)
    return _page(communes, filters)


@router.get("/communes/{code}", response={200: CommuneOut, 404: ErrorOut}, summary="Une commune")
def get_commune(request, code: str):
    commune = Commune.objects.with_geography().filter(code=code.strip().upper()).first()
    if commune is None:
        return Status(404, {"detail": f"Commune inconnue : code INSEE {code}."})
    return commune
