"""The profile editor as a company member uses it, without JavaScript (and with htmx for the CPV search)."""

import pytest
from django.urls import reverse

from tremplin.suppliers.models import SupplierActivity, SupplierPerimeter, SupplierProfile

pytestmark = pytest.mark.django_db


@pytest.fixture
def member(client, world):
    client.force_login(world.member)
    return client


def add_url(world):
    return reverse("suppliers:activity_add", args=[world.company.siret])


def post_activity(client, world, **data):
    return client.post(add_url(world), {"cpv": "", "naf": "", "description": "", **data})


def test_the_first_activity_form_proposes_the_sirene_naf_code(member, world):
    html = member.get(reverse("suppliers:edit", args=[world.company.siret])).content.decode()
    assert "Vos activités (0)" in html
    assert 'name="naf" value="43.21A"' in html
    assert '<label class="field__label" for="id_cpv">Code CPV</label>' in html
    assert '<legend class="field__label">Types de prestation <span class="required" aria-hidden="true">*</span>' in html


def test_adding_an_activity(member, world):
    response = post_activity(
        member, world, cpv="45 21 00 00-2", naf="4321a", service_types=["PREST", "BUILD"], description="Agencement"
    )
    assert response.status_code == 302
    assert response.url == reverse("suppliers:edit", args=[world.company.siret]) + "#activites"
    activity = SupplierActivity.objects.get()
    assert (activity.cpv_id, activity.naf_id, activity.service_types) == ("45210000", "43.21A", ["PREST", "BUILD"])
    html = member.get(response.url).content.decode()
    assert "L&#x27;activité « 45210000-2 Travaux de construction de bâtiments / 43.21A" in html
    assert "Vos activités (1)" in html
    assert "Prestation de services, Fabrication et commercialisation de biens" in html
    assert 'name="naf" value="43.21A"' not in html  # the SIRENE code is only proposed for the first activity


def test_a_code_picked_with_its_label_is_understood(member, world):
    post_activity(
        member, world, cpv="45214200-2 Travaux de construction de bâtiments scolaires", service_types=["PREST"]
    )
    assert SupplierActivity.objects.get().cpv_id == "45214200"


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"service_types": ["PREST"]}, "cpv", "Indiquez un code CPV, un code NAF, ou les deux."),
        ({"cpv": "99999999", "service_types": ["PREST"]}, "cpv", "Le code CPV 99999999 n&#x27;existe pas"),
        ({"cpv": "travaux", "service_types": ["PREST"]}, "cpv", "Indiquez un code CPV en chiffres"),
        ({"cpv": "4", "service_types": ["PREST"]}, "cpv", "au moins les 2 chiffres de la division"),
        ({"naf": "62.99Z", "service_types": ["PREST"]}, "naf", "Le code NAF 62.99Z n&#x27;existe pas"),
        ({"naf": "abc", "service_types": ["PREST"]}, "naf", "Code NAF invalide"),
        ({"cpv": "45210000"}, "service_types", "Choisissez au moins un type de prestation."),
        ({"cpv": "45210000", "service_types": ["CONSEIL"]}, "service_types", "Sélectionnez un choix valide"),
        ({"cpv": "45210000", "service_types": ["PREST"], "description": "x" * 1001}, "description", "1000 caractères"),
    ],
)
def test_invalid_activities_are_explained_in_french(member, world, data, field, message):
    response = post_activity(member, world, **data)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert message in html
    assert not SupplierActivity.objects.exists()


def test_a_duplicate_activity_is_refused(member, world):
    post_activity(member, world, cpv="45210000", service_types=["PREST"])
    html = post_activity(member, world, cpv="45210000-2", service_types=["BUILD"]).content.decode()
    assert "Cette activité (mêmes codes CPV et NAF) figure déjà dans votre profil." in html
    assert SupplierActivity.objects.count() == 1


def test_editing_and_deleting_an_activity(member, world):
    post_activity(member, world, cpv="45210000", service_types=["PREST"])
    activity = SupplierActivity.objects.get()
    url = reverse("suppliers:activity_edit", args=[world.company.siret, activity.pk])
    html = member.get(url).content.decode()
    assert 'value="45210000"' in html and 'value="PREST" id="id_service_types_0" checked' in html
    response = member.post(url, {"cpv": "45214200", "naf": "", "service_types": ["BUILD"], "description": "Écoles"})
    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.cpv_id, activity.service_types, activity.description) == ("45214200", ["BUILD"], "Écoles")
    assert member.post(url, {"cpv": "", "naf": "", "service_types": ["BUILD"]}).status_code == 200
    response = member.post(reverse("suppliers:activity_delete", args=[world.company.siret, activity.pk]))
    assert response.status_code == 302
    assert not SupplierActivity.objects.exists()


def test_cpv_search_without_javascript_then_choosing_a_code(member, world):
    url = reverse("suppliers:edit", args=[world.company.siret])
    html = member.get(url, {"cpv_q": "batiments scolaires"}).content.decode()
    assert "45214200" in html and "Travaux de construction de bâtiments scolaires" in html
    assert f'href="{url}?cpv=45214200#nouvelle-activite"' in html
    html = member.get(url, {"cpv": "45214200"}).content.decode()
    assert 'name="cpv" value="45214200"' in html
    html = member.get(url, {"cpv_q": "aéronautique"}).content.decode()
    assert "Aucun code CPV ne correspond à « aéronautique »" in html


def test_cpv_search_by_code_prefix_and_with_htmx(member, world):
    url = reverse("suppliers:edit", args=[world.company.siret])
    response = member.get(url, {"cpv_q": "4521"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<p class="sup-cpv-results__count">4 codes CPV pour « 4521 »')
    assert "<html" not in html
    assert "45210000" in html and "45214210" in html and "60100000" not in html


def test_perimeter_form(member, world):
    url = reverse("suppliers:perimeter", args=[world.company.siret])
    html = member.get(url).content.decode()
    assert "aucune zone indiquée" in html
    assert '<legend class="field__label">Régions</legend>' in html
    assert html.index("Auvergne-Rhône-Alpes") < html.index("La Réunion") < html.index("Polynésie française")
    response = member.post(url, {"regions": ["93"], "departments": "69; 42 69", "radius_km": "30"})
    assert response.status_code == 302
    rows = set(SupplierPerimeter.objects.values_list("kind", "region_id", "department_id", "radius_km"))
    assert rows == {
        ("region", "93", None, None),
        ("department", None, "69", None),  # typed twice, kept once
        ("department", None, "42", None),
        ("radius", None, None, 30),
    }
    html = member.get(url).content.decode()
    assert "Votre zone d&#x27;intervention est enregistrée." in html
    assert (
        "Région : Provence-Alpes-Côte d&#x27;Azur ; Départements : Loire (42) et Rhône (69) ; Dans un rayon de" in html
    )
    assert 'value="42, 69"' in html and 'value="30"' in html


def test_perimeter_errors(member, world):
    url = reverse("suppliers:perimeter", args=[world.company.siret])
    html = member.post(url, {"departments": "69, 100, 2c"}).content.decode()
    assert "Codes de département inconnus : 100, 2C." in html
    html = member.post(url, {"departments": "1"}).content.decode()  # Ain, read as 01: not in the sample data
    assert "Code de département inconnu : 01." in html
    html = member.post(url, {"radius_km": "5000"}).content.decode()
    assert "Le rayon doit être compris entre 1 et 1000 km." in html
    html = member.post(url, {"radius_km": "dix"}).content.decode()
    assert "Indiquez un nombre entier de kilomètres." in html
    assert not SupplierPerimeter.objects.exists()


def test_radius_without_establishment_commune(client, world):
    client.force_login(world.rival_member)
    world.rival.commune = None
    world.rival.save()
    url = reverse("suppliers:perimeter", args=[world.rival.siret])
    html = client.post(url, {"radius_km": "20"}).content.decode()
    assert "renseignez d&#x27;abord la commune de l&#x27;établissement" in html
    assert '<ul class="errorlist" id="id_radius_km_error">' in html


def test_company_form(member, world):
    url = reverse("suppliers:company", args=[world.company.siret])
    data = {
        "headcount_band": "11",
        "declared_size_category": "micro",
        "turnover": "1 250 000 €",
        "turnover_year": "2024",
        "inclusive_status": "EI",
        "labels": [world.rge.pk],
        "is_ess": "on",
    }
    assert member.post(url, data).status_code == 302
    profile = SupplierProfile.objects.get()
    world.company.refresh_from_db()
    assert (profile.headcount_band, profile.turnover, profile.turnover_year) == ("11", 1_250_000, 2024)
    assert (world.company.inclusive_status, world.company.is_ess) == ("EI", True)
    assert (world.company.size_category, world.company.size_source) == ("micro", "declared")
    assert list(world.company.labels.all()) == [world.rge]
    html = member.get(url).content.decode()
    assert 'value="1 250 000"' in html
    assert 'value="EI" selected' in html


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"turnover": "1,5 M"}, "turnover", "Indiquez un montant entier en euros"),
        ({"turnover": "120000"}, "turnover_year", "Indiquez l&#x27;année de l&#x27;exercice"),
        ({"turnover_year": "2024"}, "turnover", "Indiquez le chiffre d&#x27;affaires de cet exercice"),
        ({"turnover": "120000", "turnover_year": "1900"}, "turnover_year", "comprise entre 1990 et"),
        ({"turnover_year": "deux mille"}, "turnover_year", "Indiquez une année, par ex. 2024."),
        ({"inclusive_status": "SCOP"}, "inclusive_status", "Sélectionnez un choix valide"),
    ],
)
def test_company_form_errors(member, world, data, field, message):
    response = member.post(reverse("suppliers:company", args=[world.company.siret]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<ul class="errorlist" id="id_{field}_error">' in html
    assert message in html
    assert not SupplierProfile.objects.exists()
