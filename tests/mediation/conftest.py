"""A company of Lyon's region and a buyer of Lyon, people acting for each (active and pending), mediators of the
buyer's region and of another one, outsiders and staff; documents go to a temporary MEDIA_ROOT."""

import io
import zipfile
from dataclasses import dataclass

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.accounts.models import ApiToken
from tremplin.mediation import filing
from tremplin.organisations.models import MembershipStatus, Role

PDF_BYTES = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def zip_bytes(entries: dict[str, bytes], stored_first: str | None = None) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        if stored_first:
            archive.writestr(zipfile.ZipInfo(stored_first), entries[stored_first], compress_type=zipfile.ZIP_STORED)
        for name, data in entries.items():
            if name != stored_first:
                archive.writestr(name, data, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


DOCX_BYTES = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
ODT_BYTES = zip_bytes(
    {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office:document-content/>"},
    stored_first="mimetype",
)


def upload(name: str, content: bytes = PDF_BYTES, content_type: str = "application/pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@dataclass
class World:
    region: object
    company: object
    buyer: object
    contract: object
    company_member: object
    buyer_agent: object
    mediator: object
    same_region_mediator: object
    other_region_mediator: object
    other_company_member: object
    other_buyer_agent: object
    pending_company_member: object
    pending_buyer_agent: object
    staff: object

    def file(self, **overrides):
        """A case filed by the company against the buyer (through the use case, so with its side effects)."""
        user = overrides.pop("user", None) or self.company_member
        data = {
            "organisation": self.company,
            "side": "company",
            "other_party_siret": self.buyer.siret,
            "category": "payment_delay",
            "description": "Trois factures impayées depuis plus de quatre-vingt-dix jours.",
        }
        data.update(overrides)
        return filing.file_case(user, **data)


@pytest.fixture
def world(small_referentials):  # noqa: F811
    return make_world(small_referentials)


def make_world(refs) -> World:
    """The people and organisations of these tests, in the reference data `refs` (see small_referentials)."""
    lyon, paris = refs.communes["69123"], refs.communes["75056"]
    region = refs.regions["84"]
    company = OrganisationFactory(name="Menuiserie Durand", commune=refs.communes["42218"])
    buyer = BuyerFactory(name="Métropole de Lyon", commune=lyon)
    contract = ContractFactory(buyer=buyer, object="Agencement des bureaux de la direction des mobilités")
    ContractHolderFactory(contract=contract, organisation=company)
    other_company = OrganisationFactory(name="Charpentes Martin")
    other_buyer = BuyerFactory(name="Ville de Paris", commune=paris)
    return World(
        region=region,
        company=company,
        buyer=buyer,
        contract=contract,
        company_member=MembershipFactory(
            organisation=company, role=Role.COMPANY_MEMBER, user__full_name="Claire Durand"
        ).user,
        buyer_agent=MembershipFactory(organisation=buyer, role=Role.BUYER_AGENT, user__full_name="Bruno Achat").user,
        mediator=UserFactory(full_name="Marie Médiatrice", mediator_region=region),
        same_region_mediator=UserFactory(full_name="Paul Médiateur", mediator_region=region),
        other_region_mediator=UserFactory(full_name="Inès Francilienne", mediator_region=refs.regions["11"]),
        other_company_member=MembershipFactory(organisation=other_company, role=Role.COMPANY_MEMBER).user,
        other_buyer_agent=MembershipFactory(organisation=other_buyer, role=Role.BUYER_AGENT).user,
        pending_company_member=MembershipFactory(
            organisation=company, role=Role.COMPANY_MEMBER, status=MembershipStatus.PENDING
        ).user,
        pending_buyer_agent=MembershipFactory(
            organisation=buyer, role=Role.BUYER_AGENT, status=MembershipStatus.PENDING
        ).user,
        staff=UserFactory(full_name="Sam Équipe", is_staff=True),
    )


@pytest.fixture
def bearer(db):
    """bearer(user) -> the headers of a request authenticated by a fresh API token of that user."""

    def headers(user):
        _, raw = ApiToken.issue(user, "tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers
