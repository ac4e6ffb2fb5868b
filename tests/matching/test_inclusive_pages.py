"""Pages: inclusive potential of a forecast, the forecast-page card, the partner finder, the free-need form."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from tests.matching.inclusive_world import inclusive_world  # noqa: F401

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode().replace("&#x27;", "'")


def urls(forecast) -> list[str]:
    return [
        reverse("inclusive:forecast", args=[forecast.pk]),
        reverse("inclusive:card", args=[forecast.pk]),
        reverse("inclusive:partners", args=[forecast.pk]),
    ]


def test_the_forecast_potential_page(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    response = client.get(reverse("inclusive:forecast", args=[w.forecast.pk]))
    assert response.status_code == 200
    html = text(response)
    assert "Réserver le lot 1" in html
    assert "Réserver ce lot aux SIAE (L2113-13)" in html
    assert "Ajouter une clause sociale d'insertion" in html
    assert "Au moins 3 structures éligibles dans le périmètre" in html  # the thresholds are shown
    assert "au plus 30 % du chiffre d'affaires médian" in html
    assert "15 %" in html  # lot 1's dependency
    # The eligible structures link to their public profiles.
    assert f'href="{reverse("suppliers:detail", args=[w.siae[0].siret])}"' in html
    assert "ESAT des Coteaux" in html
    assert "Structures éligibles, tous lots confondus" in html
    assert "Prévision entière" not in html  # allotted: the lots decide, not the forecast taken as one contract


def test_a_forecast_without_lots_shows_its_own_figures(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    w.forecast.lots.all().delete()
    html = text(client.get(reverse("inclusive:forecast", args=[w.forecast.pk])))
    assert "Le marché" in html
    assert "Réserver le marché aux SIAE (L2113-13)" in html
    card = text(client.get(reverse("inclusive:card", args=[w.forecast.pk])))
    assert "3 SIAE, 1 EA/ESAT éligibles dans le périmètre —" in card


def test_the_card_of_the_forecast_page(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    page = text(client.get(w.forecast.get_absolute_url()))
    assert f'hx-get="{reverse("inclusive:card", args=[w.forecast.pk])}"' in page
    assert f'href="{reverse("inclusive:partners", args=[w.forecast.pk])}"' in page
    card = text(client.get(reverse("inclusive:card", args=[w.forecast.pk])))
    assert "3 SIAE, 2 EA/ESAT éligibles dans le périmètre, tous lots confondus" in card
    assert "Réserver le lot 1" in card


def test_the_card_is_not_rendered_for_a_draft_but_to_its_buyer_members(inclusive_world):  # noqa: F811
    w = inclusive_world
    assert render_to_string("matching/inclusive_panel.html", {"forecast": w.draft, "is_member": False}).strip() == ""
    member_view = render_to_string("matching/inclusive_panel.html", {"forecast": w.draft, "is_member": True})
    assert "Potentiel inclusif" in member_view


def test_drafts_are_404_for_everyone_but_the_buyer_members(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    for user in (None, w.lead_member, w.other_agent, w.other_member):
        client.logout()
        if user:
            client.force_login(user)
        for url in urls(w.draft):
            assert client.get(url).status_code == 404, (user, url)
    client.force_login(w.agent)
    for url in urls(w.draft):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("inclusive:forecast", args=[999_999])).status_code == 404


def test_the_partner_finder_from_the_members_company(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    client.force_login(w.lead_member)
    html = text(client.get(reverse("inclusive:partners", args=[w.forecast.pk])))
    assert "Vos activités et votre zone d'intervention correspondent à : Lot 1 — Gros œuvre." in html
    assert "Maçonnerie Boulonnaise + 1 partenaire" in html
    assert "couvre le lot 3 — Transport" in html
    # Another viewpoint: none (a full groupement); a company that is not theirs is refused in French.
    scratch = text(client.get(reverse("inclusive:partners", args=[w.forecast.pk]), {"fournisseur": ""}))
    assert "Groupement de 2 membres" in scratch
    other = client.get(reverse("inclusive:partners", args=[w.forecast.pk]), {"fournisseur": w.electrician.siret})
    assert other.status_code == 200
    assert "Choisissez l'une de vos entreprises, ou aucune." in text(other)


def test_the_partner_finder_for_a_visitor(client, inclusive_world):  # noqa: F811
    w = inclusive_world
    html = text(client.get(reverse("inclusive:partners", args=[w.forecast.pk])))
    assert "Connectez-vous" in html
    assert "Bâtir Insertion" in html


def test_the_free_need_form(client, inclusive_world):  # noqa: F811
    url = reverse("inclusive:need")
    empty = client.get(url)
    assert empty.status_code == 200
    assert "Résultat" not in text(empty)
    result = client.get(url, {"text": "", "cpv": "45210000-2", "department": "92", "amount": "90 000"})
    html = text(result)
    assert "Réserver le marché aux SIAE (L2113-13)" in html
    assert "Bâtir Insertion" in html


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"cpv": "45210000", "department": ""}, "Indiquez le département où le besoin sera exécuté."),
        ({"cpv": "45210000", "department": "99"}, "Département inconnu."),
        ({"cpv": "99999999", "department": "92"}, "Code CPV inconnu : 99999999."),
        ({"cpv": "abc", "department": "92"}, "Code CPV mal formé"),
        ({"cpv": "45210000", "department": "92", "amount": "beaucoup"}, "Montant mal formé"),
        ({"cpv": "45210000", "department": "92", "amount": "9" * 15}, "Montant trop élevé"),
        ({"text": " ", "department": "92"}, "Décrivez le besoin ou indiquez un code CPV"),
    ],
)
def test_the_free_need_form_says_what_is_wrong(client, inclusive_world, data, message):  # noqa: F811
    response = client.get(reverse("inclusive:need"), data)
    assert response.status_code == 200
    html = text(response)
    assert "Le formulaire n'a pas pu être envoyé" in html
    assert message in html
