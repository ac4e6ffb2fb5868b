"""API schemas of the reference data (responses and query parameters), described in French for OpenAPI."""

from typing import Literal

from ninja import Field, Schema

from tremplin.referentials.models import CpvLevel, NafLevel

ZoneName = Literal["metro", "drom", "com"]


class ErrorOut(Schema):
    detail: str = Field(description="Explication de l'erreur, en français.")


class PageQuery(Schema):
    limit: int = Field(20, ge=1, le=100, description="Nombre maximal de résultats (1 à 100, 20 par défaut).")
    offset: int = Field(0, ge=0, description="Nombre de résultats à sauter (pagination).")


# CPV


class CpvSummary(Schema):
    code: str = Field(description="Code CPV à 8 chiffres, sans chiffre de contrôle.", examples=["45210000"])
    check_digit: str = Field(description="Chiffre de contrôle officiel.", examples=["2"])
    full_code: str = Field(description="Code complet « 8 chiffres-contrôle ».", examples=["45210000-2"])
    label: str = Field(description="Libellé français officiel (CPV 2008).")
    level: str = Field(
        description="Niveau : division, groupe, classe, categorie ou sous-categorie.", examples=["classe"]
    )
    level_label: str = Field(description="Nom du niveau, accentué.", examples=["Classe"])
    parent_code: str | None = Field(description="Code du parent direct (aucun pour une division).")

    @staticmethod
    def resolve_level(obj) -> str:
        return obj.level_slug

    @staticmethod
    def resolve_level_label(obj) -> str:
        return CpvLevel(obj.level).label

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent_id


class CpvDetail(CpvSummary):
    parent: CpvSummary | None = Field(description="Code parent : le plus proche ancêtre existant.")
    ancestors: list[CpvSummary] = Field(description="Ancêtres, de la division jusqu'au parent.")

    @staticmethod
    def resolve_ancestors(obj) -> list:
        return list(obj.ancestors())


class CpvSearchQuery(PageQuery):
    q: str | None = Field(
        None,
        description=(
            "Chiffres : codes commençant par ces chiffres (un code complet avec chiffre de contrôle : ce code). "
            "Mots : libellés contenant tous les mots, sans tenir compte des accents ni de la casse."
        ),
        examples=["électricité"],
    )
    parent: str | None = Field(None, description="Limiter aux enfants directs de ce code.", examples=["45200000"])


class CpvPage(Schema):
    count: int = Field(description="Nombre total de résultats.")
    items: list[CpvSummary]


# NAF


class NafSummary(Schema):
    code: str = Field(description="Code NAF rév. 2 : J, 62, 62.0, 62.01 ou 62.01Z.", examples=["62.01Z"])
    label: str = Field(description="Libellé INSEE.")
    level: str = Field(description="Niveau : section, division, groupe, classe ou sous-classe.")
    level_label: str = Field(description="Nom du niveau.", examples=["Sous-classe"])
    parent_code: str | None = Field(description="Code du niveau supérieur (aucun pour une section).")

    @staticmethod
    def resolve_level(obj) -> str:
        return obj.level_slug

    @staticmethod
    def resolve_level_label(obj) -> str:
        return NafLevel(obj.level).label

    @staticmethod
    def resolve_parent_code(obj) -> str | None:
        return obj.parent_id


class NafDetail(NafSummary):
    ancestors: list[NafSummary] = Field(description="Niveaux supérieurs, de la section jusqu'au parent.")

    @staticmethod
    def resolve_ancestors(obj) -> list:
        return obj.ancestors()


class NafSearchQuery(PageQuery):
    q: str = Field(
        description="Un code (62, 6201, 62.01Z…) : ce code et ceux qu'il contient ; sinon des mots du libellé.",
        examples=["programmation"],
    )


class NafPage(Schema):
    count: int = Field(description="Nombre total de résultats.")
    items: list[NafSummary]


# Geography


class PlaceRef(Schema):
    code: str = Field(description="Code INSEE.")
    name: str = Field(description="Nom.")


class RegionOut(PlaceRef):
    zone: ZoneName = Field(
        description="metro (métropole), drom (outre-mer) ou com (collectivité d'outre-mer, sa propre « région »)."
    )


class DepartmentOut(RegionOut):
    region: PlaceRef


class CommuneOut(Schema):
    code: str = Field(description="Code INSEE de la commune ou de l'arrondissement municipal.", examples=["75056"])
    name: str = Field(description="Nom officiel.")
    kind: str = Field(description="commune, ou arrondissement (arrondissement municipal de Paris, Lyon, Marseille).")
    department: PlaceRef
    region: PlaceRef
    postcodes: list[str] = Field(description="Codes postaux de la commune.")
    population: int | None = Field(description="Population municipale.")
    latitude: float | None = Field(description="Latitude (WGS 84), d'après la base La Poste 2020.")
    longitude: float | None = Field(description="Longitude (WGS 84).")

    @staticmethod
    def resolve_region(obj) -> object:
        return obj.department.region

    @staticmethod
    def resolve_postcodes(obj) -> list[str]:
        return [link.postcode for link in obj.postcodes.all()]


class CommuneSearchQuery(PageQuery):
    q: str | None = Field(None, description="Mots du nom, sans tenir compte des accents.", examples=["saint etienne"])
    postcode: str | None = Field(None, pattern=r"^[0-9]{5}$", description="Code postal exact.", examples=["75001"])
    department: str | None = Field(None, description="Code du département.", examples=["69"])


class CommunePage(Schema):
    count: int = Field(description="Nombre total de résultats.")
    items: list[CommuneOut]
