import pytest

from tremplin.accounts.models import ApiToken
from tremplin.referentials.models import Commune, Department, Region


@pytest.fixture
def croix(db):
    """The commune of Croix (Nord, Hauts-de-France), made by hand until the reference-data fixtures exist."""
    region = Region.objects.create(code="32", name="Hauts-de-France", search_text="hauts de france")
    nord = Department.objects.create(code="59", name="Nord", region=region, search_text="nord")
    return Commune.objects.create(code="59163", name="Croix", department=nord, search_text="croix")


@pytest.fixture
def ajaccio(db):
    region = Region.objects.create(code="94", name="Corse", search_text="corse")
    corse_du_sud = Department.objects.create(code="2A", name="Corse-du-Sud", region=region, search_text="corse du sud")
    return Commune.objects.create(code="2A004", name="Ajaccio", department=corse_du_sud, search_text="ajaccio")


@pytest.fixture
def bearer(db):
    """bearer(user) -> the headers of a request authenticated by a fresh API token of that user."""

    def headers(user):
        _, raw = ApiToken.issue(user, "tests")
        return {"Authorization": f"Bearer {raw}"}

    return headers
