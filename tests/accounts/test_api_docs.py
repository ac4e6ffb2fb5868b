"""The OpenAPI schema and the interactive docs, served without any CDN."""

import re

import pytest
from django.contrib.staticfiles import finders

pytestmark = pytest.mark.django_db


def test_openapi_lists_the_accounts_and_organisations_paths(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert {
        "/api/v1/accounts/me",
        "/api/v1/organisations/",
        "/api/v1/organisations/{siret}",
        "/api/v1/organisations/{siret}/membership-requests",
        "/api/v1/organisations/membership-requests/{membership_id}/decision",
    } <= set(schema["paths"])
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert "security" not in schema["paths"]["/api/v1/organisations/{siret}"]["get"]  # public
    assert schema["paths"]["/api/v1/accounts/me"]["get"]["security"] == [{"TokenAuth": []}]


def test_docs_use_local_static_files_only(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    for cdn in ("cdn", "unpkg", "jsdelivr"):
        assert cdn not in html.lower()
    assets = re.findall(r'(?:src|href)="/static/([^"]+)"', html)
    assert "ninja/swagger-ui-bundle.js" in assets
    for asset in assets:
        assert finders.find(asset), asset  # served by the app itself
