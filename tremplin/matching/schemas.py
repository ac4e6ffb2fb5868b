"""API shapes of the matching engine (French descriptions for the OpenAPI document)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema


class OpportunityOut(Schema):
    id: str = Field(description="« forecast:12 », « lot:34 » ou « notice:56 ».")
    kind: str = Field(description="forecast (prévision entière), lot (lot d'une prévision) ou notice (avis publié).")
    title: str
    score: float = Field(description="Pertinence de 0 à 100.")
    reasons: list[str] = Field(description="Raisons du score, en français.")
    url: str = Field(description="Page de l'opportunité (pour un lot : celle de sa prévision).")
    buyer: str = Field(description="Nom de l'acheteur.")
    deadline: date | None = Field(description="Date limite de remise des offres (prévue ou publiée).")


class OpportunityListOut(Schema):
    supplier: str = Field(description="SIRET du fournisseur.")
    count: int = Field(description="Nombre total d'opportunités ouvertes correspondantes.")
    items: list[OpportunityOut]


class NeedIn(Schema):
    text: str = Field("", description="Description du besoin, en mots.", max_length=2000)
    cpv: list[str] = Field(default_factory=list, description="Codes CPV (8 chiffres, clé de contrôle facultative).")
    department: str = Field("", description="Code INSEE du département d'exécution (69, 2A, 974…).")
    commune: str = Field("", description="Code INSEE de la commune d'exécution (pour les distances).")
    amount: int | None = Field(None, description="Montant estimé en euros HT (adéquation au chiffre d'affaires).")
    reservation: str = Field("", description="Réservation du lot : L2113-12, L2113-13 ou L2113-15.")
    filters: list[str] = Field(
        default_factory=list,
        description="inclusive, siae, ea_esat, ess, local, sme, micro, pme, eti, ge : restreignent sans noter.",
    )
    limit: int = Field(20, ge=1, le=100)
    offset: int = Field(0, ge=0)


class SupplierMatchOut(Schema):
    id: str = Field(description="« supplier:<identifiant de l'organisation> ».")
    kind: str = Field("supplier")
    title: str = Field(description="Raison sociale.")
    score: float = Field(description="Pertinence de 0 à 100.")
    reasons: list[str]
    url: str = Field(description="Profil public du fournisseur.")
    siret: str
    inclusive_status: str = Field(description="EI, ETTI, AI, ACI, EITI, GEIQ, EA, EATT, ESAT ou vide.")
    size_category: str = Field(description="micro, pme, eti, ge ou vide.")


class SupplierListOut(Schema):
    count: int
    items: list[SupplierMatchOut]


class ErrorOut(Schema):
    detail: str
