"""Who may see and change invoices (tremplin.policy): the buyer's members, the issuing holder's members and
platform staff see them; buyer agents and the issuing holder's company members record them. Everyone else
gets a 404 (anonymous people: the login page first)."""

import pytest
from django.urls import reverse

from tests.factories import MembershipFactory
from tremplin import policy
from tremplin.organisations.models import MembershipStatus, Role
from tremplin.payments.models import Invoice

pytestmark = pytest.mark.django_db


def pages(world):
    invoice, contract, supplier, buyer = world.invoice, world.contract, world.supplier, world.buyer
    return {
        "contract": reverse("payments:contract", args=[contract.key]),
        "add": reverse("payments:invoice_add", args=[contract.key]),
        "invoice": reverse("payments:invoice", args=[invoice.pk]),
        "edit": reverse("payments:invoice_edit", args=[invoice.pk]),
        "supplier": reverse("payments:supplier", args=[supplier.siret]),
        "letter": reverse("payments:letter", args=[supplier.siret, buyer.siret]),
        "buyer": reverse("payments:buyer", args=[buyer.siret]),
        "hub": reverse("payments:hub"),
        "import": reverse("payments:import"),
    }


def test_anonymous_people_are_sent_to_the_login_page_everywhere(client, world):
    for name, url in pages(world).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response.url == f"{reverse('accounts:login')}?next={url}", name


# What each person gets on each page: 200 (allowed) or 404 (denied, the page "does not exist").
MATRIX = {
    #                      contract add  invoice edit supplier letter buyer
    "buyer_agent": (200, 200, 200, 200, 404, 404, 200),
    "supplier_member": (200, 200, 200, 200, 200, 200, 404),
    "co_holder_member": (200, 200, 404, 404, 404, 404, 404),
    "facilitator": (200, 404, 200, 404, 200, 200, 404),
    "other_company_member": (404, 404, 404, 404, 404, 404, 404),
    "other_buyer_agent": (404, 404, 404, 404, 404, 404, 404),
    "staff": (200, 404, 200, 404, 200, 200, 200),
}
PAGES = ("contract", "add", "invoice", "edit", "supplier", "letter", "buyer")


@pytest.mark.parametrize("person", MATRIX)
def test_access_matrix(client, world, person):
    urls = pages(world)
    client.force_login(getattr(world, person))
    got = tuple(client.get(urls[page]).status_code for page in PAGES)
    assert dict(zip(PAGES, got, strict=True)) == dict(zip(PAGES, MATRIX[person], strict=True))


@pytest.mark.parametrize("person", ["co_holder_member", "other_company_member", "other_buyer_agent", "facilitator"])
def test_denied_people_cannot_post_an_edit(client, world, person):
    client.force_login(getattr(world, person))
    url = reverse("payments:invoice_edit", args=[world.invoice.pk])
    response = client.post(url, {"number": "PIRATE", "amount_ttc": "1", "received_on": "2025-03-03"})
    assert response.status_code == 404
    world.invoice.refresh_from_db()
    assert world.invoice.number == "F-2025-001"


@pytest.mark.parametrize("person", ["other_company_member", "other_buyer_agent", "facilitator", "staff"])
def test_denied_people_cannot_post_a_new_invoice(client, world, person):
    client.force_login(getattr(world, person))
    url = reverse("payments:invoice_add", args=[world.contract.key])
    data = {"supplier": world.supplier.pk, "number": "X-1", "amount_ttc": "100", "received_on": "2025-03-03"}
    assert client.post(url, data).status_code == 404
    assert not Invoice.objects.filter(number="X-1").exists()


def test_the_co_holder_does_not_see_the_other_holders_invoices_on_the_shared_contract(client, world):
    client.force_login(world.co_holder_member)
    html = client.get(reverse("payments:contract", args=[world.contract.key])).content.decode()
    assert "F-2025-001" not in html
    assert "Aucune facture de ce marché ne vous est visible" in html


def test_a_pending_membership_gives_no_access(client, world):
    user = MembershipFactory(organisation=world.buyer, role=Role.BUYER_AGENT, status=MembershipStatus.PENDING).user
    client.force_login(user)
    for name, url in pages(world).items():
        if name not in ("hub", "import"):
            assert client.get(url).status_code == 404, name


def test_unknown_objects_are_404(client, world):
    client.force_login(world.buyer_agent)
    assert client.get(reverse("payments:contract", args=["inconnu"])).status_code == 404
    assert client.get(reverse("payments:invoice", args=[999999])).status_code == 404
    assert client.get(reverse("payments:supplier", args=["123"])).status_code == 404


def test_a_letter_to_a_buyer_that_owes_nothing_is_404(client, world):
    client.force_login(world.supplier_member)
    other = MembershipFactory(role=Role.BUYER_AGENT).organisation
    assert client.get(reverse("payments:letter", args=[world.supplier.siret, other.siret])).status_code == 404


def test_the_hub_lists_only_my_contracts(client, world):
    client.force_login(world.other_company_member)
    html = client.get(reverse("payments:hub")).content.decode()
    assert world.contract.decp_id not in html
    client.force_login(world.co_holder_member)
    assert world.contract.decp_id in client.get(reverse("payments:hub")).content.decode()


def test_visible_invoices_filter_matches_can_view_invoice(world):
    other = Invoice.objects.create(
        contract=world.contract,
        supplier=world.co_holder,
        number="T-9",
        amount_ttc="50.00",
        received_on=world.invoice.received_on,
    )
    for person in MATRIX:
        user = getattr(world, person)
        visible = set(Invoice.objects.filter(policy.visible_invoices_filter(user)))
        assert visible == {i for i in (world.invoice, other) if policy.can_view_invoice(user, i)}, person
    assert not Invoice.objects.filter(policy.visible_invoices_filter(None)).exists()


def test_invoice_issuers(world):
    assert policy.invoice_issuers(world.buyer_agent, world.contract) == sorted(
        [world.supplier, world.co_holder], key=lambda o: o.name
    )
    assert policy.invoice_issuers(world.supplier_member, world.contract) == [world.supplier]
    assert policy.invoice_issuers(world.facilitator, world.contract) == []
    assert policy.invoice_issuers(world.staff, world.contract) == []
    assert policy.invoice_issuers(None, world.contract) == []
