"""API schemas for organisations and memberships (shared with the accounts API)."""

from datetime import datetime

from ninja import Schema

from tremplin.organisations.models import Membership, Organisation


class ErrorOut(Schema):
    detail: str


class CodeNameOut(Schema):
    code: str
    name: str


class NafOut(Schema):
    code: str
    label: str


class LabelOut(Schema):
    slug: str
    name: str


class OrganisationRefOut(Schema):
    siret: str
    name: str


class OrganisationSummaryOut(Schema):
    siret: str
    name: str
    is_buyer: bool
    is_supplier: bool
    buyer_type: str
    size_category: str
    inclusive_status: str
    commune: CodeNameOut | None
    department: CodeNameOut | None


class OrganisationListOut(Schema):
    count: int
    limit: int
    offset: int
    items: list[OrganisationSummaryOut]


class OrganisationProfileOut(Schema):
    siret: str
    siren: str
    name: str
    is_buyer: bool
    is_supplier: bool
    buyer_type: str
    buyer_type_label: str
    size_category: str
    size_category_label: str
    size_source: str
    naf: NafOut | None
    commune: CodeNameOut | None
    department: CodeNameOut | None
    region: CodeNameOut | None
    inclusive_status: str
    inclusive_status_label: str
    is_ess: bool
    is_esus: bool
    labels: list[LabelOut]
    description: str
    website: str

    @staticmethod
    def resolve_buyer_type_label(obj: Organisation) -> str:
        return obj.get_buyer_type_display() if obj.buyer_type else ""

    @staticmethod
    def resolve_size_category_label(obj: Organisation) -> str:
        return obj.get_size_category_display() if obj.size_category else ""

    @staticmethod
    def resolve_inclusive_status_label(obj: Organisation) -> str:
        return obj.get_inclusive_status_display() if obj.inclusive_status else ""

    @staticmethod
    def resolve_region(obj: Organisation):
        return obj.department.region if obj.department_id else None

    @staticmethod
    def resolve_labels(obj: Organisation):
        return list(obj.labels.all())


class MembershipOut(Schema):
    id: int
    organisation: OrganisationRefOut
    role: str
    role_label: str
    status: str
    status_label: str
    message: str
    requested_at: datetime
    decided_at: datetime | None
    decision_reason: str

    @staticmethod
    def resolve_role_label(obj: Membership) -> str:
        return obj.get_role_display()

    @staticmethod
    def resolve_status_label(obj: Membership) -> str:
        return obj.get_status_display()
