"""The reference data admin: searchable (accents or not), read-only."""

import pytest

from tremplin.accounts.models import User
from tremplin.referentials.models import CpvCode

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    client.force_login(User.objects.create_superuser(email="admin@exemple.fr", password="mot-de-passe-solide-42"))
    return client


@pytest.mark.parametrize(
    ("model", "query", "expected", "left_out"),
    [
        ("cpvcode", "electricite", "09310000", "45210000"),
        ("cpvcode", "Électricité", "09310000", "45210000"),
        ("nafcode", "programmation", "62.01Z", "43.21A"),
        ("region", "reunion", "La Réunion", "Île-de-France"),
        ("department", "rhone", "Bouches-du-Rhône", "Hauts-de-Seine"),
        ("commune", "saint etienne", "Saint-Étienne", "Papeete"),
        ("commune", "75001", "Paris 1er Arrondissement", "Paris 2e Arrondissement"),  # by postcode
        ("communepostcode", "chatillon", "92320", "75001"),
    ],
)
def test_every_table_is_searchable(staff_client, small_referentials, model, query, expected, left_out):
    response = staff_client.get(f"/admin/referentials/{model}/", {"q": query})
    assert response.status_code == 200
    assert expected in response.content.decode()
    assert left_out not in response.content.decode()


def test_rows_can_be_viewed_but_not_added_changed_or_deleted(staff_client, small_referentials):
    detail = staff_client.get("/admin/referentials/cpvcode/45210000/change/")
    assert detail.status_code == 200
    assert 'name="label"' not in detail.content.decode()  # shown, not editable
    assert staff_client.get("/admin/referentials/cpvcode/add/").status_code == 403
    assert staff_client.get("/admin/referentials/commune/75056/delete/").status_code == 403
    response = staff_client.post("/admin/referentials/cpvcode/45210000/change/", {"label": "Autre"})
    assert response.status_code == 403
    assert CpvCode.objects.get(code="45210000").label == "Travaux de construction de bâtiments"
