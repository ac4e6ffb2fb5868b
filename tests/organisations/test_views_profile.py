"""Public organisation profile and its edition by members."""

import pytest
from django.urls import reverse

from tests.factories import BuyerFactory, MembershipFactory, OrganisationFactory, UserFactory
from tremplin.organisations.models import Label, MembershipStatus
from tremplin.referentials.models import Commune, CommunePostcode, Department, NafCode, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def lyon(db):
    region = Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", search_text="auvergne rhone alpes")
    rhone = Department.objects.create(code="69", name="Rhône", region=region, search_text="rhone")
    commune = Commune.objects.create(code="69123", name="Lyon", department=rhone, search_text="lyon")
    CommunePostcode.objects.create(postcode="69003", commune=commune)
    return commune


@pytest.fixture
def villeurbanne(lyon):
    return Commune.objects.create(code="69266", name="Villeurbanne", department=lyon.department, search_text="x")


@pytest.fixture
def supplier(lyon):
    naf = NafCode.objects.create(code="43.32A", label="Travaux de menuiserie bois et PVC", level=5, search_text="x")
    organisation = OrganisationFactory(
        name="Menuiserie d'Insertion du Rhône",
        commune=lyon,
        naf=naf,
        headcount_band="11",
        inclusive_status="EI",
        is_ess=True,
        is_esus=True,
        description="Menuiserie bois.\nChantiers d'insertion.",
    )
    organisation.labels.add(Label.objects.create(name="Qualibat", slug="qualibat"))
    return organisation


def detail(organisation):
    return reverse("organisations:detail", args=[organisation.siret])


def edit(organisation):
    return reverse("organisations:edit", args=[organisation.siret])


def test_anyone_sees_the_public_profile_of_a_supplier(client, supplier):
    response = client.get(detail(supplier))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Menuiserie d&#x27;Insertion du Rhône</h1>" in html
    assert supplier.siret in html and f"<dd>{supplier.siren}</dd>" in html
    assert "PME" in html and "(d'après le répertoire SIRENE)" in html
    assert "10 à 19 salariés" in html
    assert "43.32A — Travaux de menuiserie bois et PVC" in html
    assert "Lyon" in html and "Rhône (69)" in html and "Auvergne-Rhône-Alpes" in html
    assert "Entreprise d&#x27;insertion (EI)" in html
    assert "article L2113-13 du code de la commande publique" in html
    assert "Oui, agrément ESUS" in html
    assert "Qualibat" in html
    assert "<p>Menuiserie bois.<br>Chantiers d&#x27;insertion.</p>" in html
    assert "Modifier la fiche" not in html
    assert "Demandes en attente" not in html


def test_a_declared_size_says_so(client):
    organisation = OrganisationFactory(declared_size_category="micro")
    html = client.get(detail(organisation)).content.decode()
    assert "Microentreprise (TPE)" in html and "(déclarée par l'entreprise)" in html


def test_a_buyer_profile_shows_its_buyer_type(client):
    buyer = BuyerFactory(buyer_type="etablissement_public_sante")
    html = client.get(detail(buyer)).content.decode()
    assert "Acheteur public" in html
    assert "Établissement public de santé" in html
    assert "Profil de l&#x27;entreprise" not in html and "Profil de l'entreprise" not in html


def test_members_see_the_edit_link_and_requests(client, supplier):
    client.force_login(MembershipFactory(organisation=supplier).user)
    html = client.get(detail(supplier)).content.decode()
    assert f'href="{edit(supplier)}">Modifier la fiche' in html
    assert "Demandes en attente (0)" in html


def test_non_members_see_no_edit_link_but_an_invitation_to_claim(client, supplier):
    MembershipFactory(organisation=supplier, status=MembershipStatus.PENDING)
    client.force_login(UserFactory())
    html = client.get(detail(supplier)).content.decode()
    assert "Modifier la fiche" not in html
    assert f"?siret={supplier.siret}#rattachement" in html


@pytest.mark.parametrize("siret", ["123", "1234567890123a", "12345678901234", "abc"])
def test_a_malformed_siret_is_a_french_404(client, siret):
    response = client.get(f"/organisations/{siret}/")
    assert response.status_code == 404
    assert "Page introuvable" in response.content.decode()


def test_an_unknown_valid_siret_is_a_404(client, supplier):
    other = OrganisationFactory.build().siret
    assert client.get(f"/organisations/{other}/").status_code == 404


def test_edit_page_sends_anonymous_visitors_to_login(client, supplier):
    response = client.get(edit(supplier))
    assert response.url.startswith(reverse("accounts:login"))


def test_edit_page_is_a_404_for_non_members_and_pending_requesters(client, supplier):
    pending = MembershipFactory(organisation=supplier, status=MembershipStatus.PENDING).user
    for user in (UserFactory(), pending):
        client.force_login(user)
        assert client.get(edit(supplier)).status_code == 404
        assert client.post(edit(supplier), {"description": "Piraté"}).status_code == 404
    supplier.refresh_from_db()
    assert supplier.description != "Piraté"


def test_a_member_edits_the_profile(client, supplier, villeurbanne):
    client.force_login(MembershipFactory(organisation=supplier).user)
    page = client.get(edit(supplier)).content.decode()
    assert 'value="69123"' in page
    assert "Taille déclarée" in page and "Type d&#x27;acheteur" not in page and "Type d'acheteur" not in page
    response = client.post(
        edit(supplier),
        {
            "description": "Nouvelle présentation",
            "website": "menuiserie.example.org",
            "address": "3 rue des Artisans",
            "postcode": "",
            "commune": "69266",
            "declared_size_category": "pme",
            "inclusive_status": "ACI",
            "is_ess": "on",
        },
    )
    assert response.status_code == 302 and response.url == detail(supplier)
    supplier.refresh_from_db()
    assert supplier.description == "Nouvelle présentation"
    assert supplier.website == "https://menuiserie.example.org"
    assert supplier.commune_id == "69266" and supplier.department_id == "69"
    assert supplier.inclusive_status == "ACI"
    assert supplier.is_ess and not supplier.is_esus
    assert supplier.size_source == "sirene"  # SIRENE's headcount band still wins over the declared size


def test_edit_errors_are_french_and_nothing_is_saved(client, supplier):
    client.force_login(MembershipFactory(organisation=supplier).user)
    response = client.post(
        edit(supplier), {"description": "X", "commune": "99999", "postcode": "123", "website": "pas une url"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ce code commune INSEE est inconnu" in html
    assert "Un code postal compte exactement 5 chiffres." in html
    assert "Saisissez une URL valide." in html
    assert 'class="error-summary"' in html
    supplier.refresh_from_db()
    assert supplier.description != "X"


def test_a_postcode_must_match_the_commune_when_known(client, supplier):
    client.force_login(MembershipFactory(organisation=supplier).user)
    html = client.post(edit(supplier), {"commune": "69123", "postcode": "75001"}).content.decode()
    assert "Ce code postal ne correspond pas à Lyon (69003)." in html


def test_a_buyer_edits_its_buyer_type_only(client):
    buyer = BuyerFactory()
    client.force_login(MembershipFactory(organisation=buyer, role="buyer_agent").user)
    page = client.get(edit(buyer)).content.decode()
    assert 'name="buyer_type"' in page and 'name="inclusive_status"' not in page
    client.post(edit(buyer), {"buyer_type": "departement"})
    buyer.refresh_from_db()
    assert buyer.buyer_type == "departement"


def test_staff_may_edit_any_organisation(client, supplier):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(edit(supplier)).status_code == 200
