"""Invoice entry and the payment pages: a contract's invoices, an invoice, what buyers owe a company (and the
claim letter), a buyer's follow-up, "Mes factures"."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import BuyerFactory
from tremplin.payments.models import Invoice

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 11, 1)


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda: TODAY)


def form_data(**overrides):
    data = {
        "number": "F-2025-002",
        "amount_ttc": "36 500,00",
        "received_on": "2025-09-01",
        "executed_on": "",
        "contract_delay_days": "",
        "interruption_notified_on": "",
        "interruption_reason": "",
        "documents_received_on": "",
        "paid_on": "",
        "amount_paid": "",
    }
    return data | overrides


def test_a_supplier_member_adds_an_invoice_for_their_company(client, world):
    client.force_login(world.supplier_member)
    url = reverse("payments:invoice_add", args=[world.contract.key])
    html = client.get(url).content.decode()
    assert "<h1>Ajouter une facture</h1>" in html
    assert f'<input type="hidden" name="supplier" value="{world.supplier.pk}"' in html  # only one possible issuer
    response = client.post(url, form_data(supplier=world.supplier.pk, paid_on="2025-10-25"))
    invoice = Invoice.objects.get(number="F-2025-002")
    assert response.status_code == 302 and response.url == invoice.get_absolute_url()
    assert invoice.supplier == world.supplier and invoice.created_by == world.supplier_member
    assert invoice.amount_ttc == Decimal("36500.00")
    html = client.get(response.url).content.decode()
    assert "La facture F-2025-002 est enregistrée." in html
    # Hospital: 1 Sep + 50 = 21 Oct; paid 25 Oct → 4 days; from 22 Oct (H2 2025) 10.15 %:
    # 36 500 × 10.15 % × 4 / 365 = 40.60.
    assert "<dt>Date limite de paiement</dt><dd>21 octobre 2025</dd>" in html
    assert "40,60\u202f€ d'intérêts moratoires" in html


def test_a_company_member_cannot_file_for_another_holder(client, world):
    client.force_login(world.supplier_member)
    url = reverse("payments:invoice_add", args=[world.contract.key])
    html = client.post(url, form_data(supplier=world.co_holder.pk)).content.decode()
    assert "Sélectionnez un choix valide" in html
    assert not Invoice.objects.filter(number="F-2025-002").exists()


def test_a_buyer_agent_chooses_the_issuing_holder(client, world):
    client.force_login(world.buyer_agent)
    url = reverse("payments:invoice_add", args=[world.contract.key])
    html = client.get(url).content.decode()
    assert '<label class="field__label" for="id_supplier">Titulaire qui a émis la facture' in html
    assert "Blanchisserie du Nord" in html and "Transports Lefebvre" in html
    client.post(url, form_data(supplier=world.co_holder.pk))
    assert Invoice.objects.get(number="F-2025-002").supplier == world.co_holder


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"paid_on": "2025-08-01"}, "paid_on", "La date de paiement ne peut pas précéder"),
        ({"amount_ttc": "abc"}, "amount_ttc", "n&#x27;est pas un montant"),
        ({"amount_ttc": "0"}, "amount_ttc", "strictement positif"),
        ({"number": "F-2025-001"}, "number", "déjà une facture de ce numéro"),
        (
            {"interruption_notified_on": "2025-09-10", "documents_received_on": "2025-09-05"},
            "documents_received_on",
            "ne peuvent pas être reçues avant la notification",
        ),
        ({"documents_received_on": "2025-09-05"}, "interruption_notified_on", "Indiquez la date de notification"),
        ({"amount_paid": "100"}, "paid_on", "Indiquez la date de paiement du montant payé."),
        ({"contract_delay_days": "0"}, "contract_delay_days", "au moins 1 jour"),
    ],
)
def test_invoice_form_errors(client, world, changes, field, message):
    client.force_login(world.supplier_member)
    url = reverse("payments:invoice_add", args=[world.contract.key])
    html = client.post(url, form_data(supplier=world.supplier.pk, **changes)).content.decode()
    assert f'id="id_{field}_error"' in html
    assert message in html
    assert 'class="error-summary"' in html
    assert Invoice.objects.count() == 1


def test_editing_an_invoice(client, world):
    client.force_login(world.buyer_agent)
    url = reverse("payments:invoice_edit", args=[world.invoice.pk])
    html = client.get(url).content.decode()
    assert "Modifier la facture F-2025-001" in html and 'value="2025-03-03"' in html
    data = form_data(
        supplier=world.supplier.pk,
        number="F-2025-001",
        amount_ttc="10000",
        received_on="2025-03-03",
        paid_on="2025-05-09",
        interruption_notified_on="2025-03-13",
        interruption_reason="Bon de livraison manquant",
        documents_received_on="2025-03-20",
    )
    response = client.post(url, data)
    assert response.status_code == 302
    world.invoice.refresh_from_db()
    assert world.invoice.interruption_reason == "Bon de livraison manquant"
    html = client.get(response.url).content.decode()
    assert "La facture F-2025-001 est modifiée." in html
    assert "<dt>Nouveau délai après interruption</dt><dd>40 jours</dd>" in html
    assert "<dt>Date limite de paiement</dt><dd>29 avril 2025</dd>" in html


def test_the_invoice_page_explains_the_computation(client, world):
    client.force_login(world.supplier_member)
    html = client.get(world.invoice.get_absolute_url()).content.decode()
    assert "<h1>Facture F-2025-001</h1>" in html
    assert "Délai maximal de paiement pour ce type d&#x27;acheteur : 50 jours (article R2192-11 1°" in html
    assert "Intérêts moratoires : 10\u202f000,00\u202f€ × 11,15\u202f% × 10 / 365 = 30,55\u202f€" in html
    assert "Modifier" in html


def add_invoices(world):
    """Besides F-2025-001 (paid 10 days late: 30.55 + 40): one unpaid and overdue, one on time, one with
    another buyer."""
    Invoice.objects.create(
        contract=world.contract,
        supplier=world.supplier,
        number="F-2025-003",
        amount_ttc=Decimal("36500.00"),
        received_on=datetime.date(2025, 8, 1),  # due 20 Sep; unpaid on 1 Nov → 42 days late so far
    )
    Invoice.objects.create(
        contract=world.contract,
        supplier=world.supplier,
        number="F-2025-004",
        amount_ttc=Decimal("500.00"),
        received_on=datetime.date(2025, 6, 2),
        paid_on=datetime.date(2025, 6, 20),
    )
    commune = BuyerFactory(name="Commune de Croix", buyer_type="commune")
    other_contract = ContractFactory(buyer=commune, decp_id="2025-0099")
    ContractHolderFactory(contract=other_contract, organisation=world.supplier)
    Invoice.objects.create(  # the worked example: 66.74 + 40
        contract=other_contract,
        supplier=world.supplier,
        number="C-7",
        amount_ttc=Decimal("12000.00"),
        received_on=datetime.date(2025, 9, 2),
        paid_on=datetime.date(2025, 10, 22),
    )
    return commune


def test_what_buyers_owe_the_company_late_first(client, world):
    commune = add_invoices(world)
    client.force_login(world.supplier_member)
    html = client.get(reverse("payments:supplier", args=[world.supplier.siret])).content.decode()
    assert "<h1>Ce qu'on doit à Blanchisserie du Nord</h1>" in html
    # Per buyer, largest claim first: the commune (106.74) then the hospital (70.55, plus one overdue invoice).
    assert html.index("Commune de Croix") < html.index("Centre hospitalier de Roubaix")
    assert "106,74\u202f€" in html and "70,55\u202f€" in html
    assert "1 facture, 36\u202f500,00\u202f€" in html
    assert reverse("payments:letter", args=[world.supplier.siret, commune.siret]) in html
    # Invoices: late ones first (most days late first), on time last.
    order = [html.index(f">{number}</a>") for number in ("F-2025-003", "C-7", "F-2025-001", "F-2025-004")]
    assert order == sorted(order)
    assert "Impayée, en retard" in html and "Payée à temps" in html


def test_the_claim_letter(client, world):
    add_invoices(world)
    client.force_login(world.supplier_member)
    html = client.get(reverse("payments:letter", args=[world.supplier.siret, world.buyer.siret])).content.decode()
    assert "Objet : demande de paiement des intérêts moratoires" in html
    assert "<strong>Centre hospitalier de Roubaix</strong>" in html
    assert "Le 1er novembre 2025" in html
    assert '<th scope="row">F-2025-001<br><span class="muted">marché 2025-0042</span></th>' in html
    assert "30,55\u202f€" in html and "70,55\u202f€" in html
    assert "article R2192-36" in html
    # The unpaid overdue invoice is listed apart, the on-time one not at all; the other buyer's neither.
    assert "Facture F-2025-003 (marché 2025-0042) : 36\u202f500,00\u202f€ TTC" in html
    assert "F-2025-004" not in html and "C-7" not in html
    assert world.supplier_member.get_full_name() in html
    assert 'class="pay-letter"' in html


def test_the_buyer_follow_up(client, world):
    add_invoices(world)
    client.force_login(world.buyer_agent)
    html = client.get(reverse("payments:buyer", args=[world.buyer.siret])).content.decode()
    assert "<h1>Délais de paiement de Centre hospitalier de Roubaix</h1>" in html
    assert "<dt>Factures enregistrées</dt><dd>3</dd>" in html
    # Paid: F-2025-001 (60 days from 3 Mar to 2 May, 10 late) and F-2025-004 (18 days, on time).
    assert '<dt>Payées à temps</dt><dd>1 <span class="pay-kpi__detail">(50 % des factures payées)' in html
    assert "(retard moyen : 10,0 jours)" in html
    assert "<dt>Délai moyen de paiement</dt><dd>39,0 jours" in html
    assert "<dt>Impayées en retard</dt><dd>1</dd>" in html
    assert "<dt>Intérêts et indemnités dus</dt><dd>70,55\u202f€</dd>" in html
    assert "C-7" not in html  # another buyer's invoice


def test_my_invoices_hub(client, world):
    client.force_login(world.supplier_member)
    html = client.get(reverse("payments:hub")).content.decode()
    assert "<h1>Mes factures</h1>" in html
    assert reverse("payments:supplier", args=[world.supplier.siret]) in html
    assert reverse("payments:contract", args=[world.contract.key]) in html
    assert reverse("payments:import") in html
    html = client.get(reverse("payments:hub"), {"q": "blanchissage"}).content.decode()
    assert reverse("payments:contract", args=[world.contract.key]) in html
    html = client.get(reverse("payments:hub"), {"q": "voirie"}).content.decode()
    assert "Aucun de vos marchés ne correspond à « voirie »." in html


def test_an_unknown_buyer_type_counts_as_30_days(client, world):
    world.buyer.buyer_type = ""
    world.buyer.save()
    client.force_login(world.supplier_member)
    html = client.get(world.invoice.get_absolute_url()).content.decode()
    assert "non renseigné : délai de 30 jours appliqué" in html
    assert "<dt>Délai maximal légal</dt><dd>30 jours</dd>" in html


def test_the_hub_links_to_the_buyer_follow_up_and_to_holders_not_flagged_as_suppliers(client, world):
    client.force_login(world.buyer_agent)
    html = client.get(reverse("payments:hub")).content.decode()
    assert reverse("payments:buyer", args=[world.buyer.siret]) in html
    assert reverse("payments:supplier", args=[world.buyer.siret]) not in html
    world.co_holder.is_supplier = False
    world.co_holder.save()
    client.force_login(world.co_holder_member)
    html = client.get(reverse("payments:hub")).content.decode()
    assert reverse("payments:supplier", args=[world.co_holder.siret]) in html
