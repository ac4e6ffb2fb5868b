"""The data-quality ledger: `tremplin decp_quality`, the page /qualite-des-donnees/ and GET /api/v1/quality/decp."""

import json
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from tremplin.ingest.decp.normalize import FLAGS, REJECTIONS

from .conftest import market, run_import, write_json

pytestmark = pytest.mark.django_db


@pytest.fixture
def imported(tmp_path):
    good = market(codeCPV="4521222")  # a flagged contract (CPV repaired)
    lot = market(titulaires=[{"typeIdentifiant": "TVA", "id": "FR1", "denominationSociale": "X"}])
    rejected = {"objet": "sans identifiant", "acheteur": {"id": "21590163800019"}}
    run_import(write_json(tmp_path / "plateforme-a.json", [good, good, lot, rejected]), source="Plateforme A")
    run_import(write_json(tmp_path / "b.json", [market("B-1", montant=0)]), source="Plateforme B")


def test_command_text_and_json(imported):
    out = StringIO()
    call_command("decp_quality", stdout=out)
    text = out.getvalue()
    assert "Plateforme A — 1 fichier(s)" in text and "Toutes les sources" in text
    assert "enregistrements lus : 4 ; marchés créés : 2 ; marchés mis à jour : 0 ; doublons : 1" in text
    assert REJECTIONS["missing_contract_id"] in text and FLAGS["cpv_repaired"] in text

    out = StringIO()
    call_command("decp_quality", "--json", stdout=out)
    data = json.loads(out.getvalue())
    a, b = data["sources"]
    assert (a["source"], a["read"], a["created"], a["duplicates"], a["shared_ids"], a["rejected"]) == (
        "Plateforme A", 4, 2, 1, 1, 1
    )  # fmt: skip
    assert a["rejections"] == [{"code": "missing_contract_id", "label": REJECTIONS["missing_contract_id"], "count": 1}]
    assert {"code": "cpv_repaired", "label": FLAGS["cpv_repaired"], "count": 2} in a["flags"]
    assert {item["code"] for item in b["flags"]} >= {"amount_placeholder", "amount_suspicious"}
    assert data["totals"]["read"] == 5 and data["totals"]["contracts"] == 3


def test_command_without_imports(db):
    out = StringIO()
    call_command("decp_quality", stdout=out)
    assert "Aucun import DECP" in out.getvalue()


def test_api(client, imported):
    data = client.get("/api/v1/quality/decp").json()
    assert [row["source"] for row in data["sources"]] == ["Plateforme A", "Plateforme B"]
    assert data["sources"][0]["imported"] == 3 and data["totals"]["flagged"] >= 3

    page = client.get("/api/v1/quality/decp/rejections", {"source": "Plateforme A", "limit": 10}).json()
    assert page["count"] == 1
    item = page["items"][0]
    assert (item["file"], item["position"], item["reason_code"]) == (
        "plateforme-a.json",
        "marches[3]",
        "missing_contract_id",
    )
    assert json.loads(item["payload"])["objet"] == "sans identifiant"
    assert client.get("/api/v1/quality/decp/rejections", {"source": "Inconnue"}).status_code == 404
    assert client.get("/api/v1/quality/decp/rejections", {"limit": 1000}).status_code == 422


def test_pages(client, imported):
    response = client.get(reverse("ingest:quality"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Qualité des données" in html and "Plateforme A" in html and "Plateforme B" in html
    assert FLAGS["cpv_repaired"] in html and REJECTIONS["missing_contract_id"] in html
    assert 'href="/qualite-des-donnees/rejets/?source=Plateforme%20A&amp;motif=missing_contract_id"' in html
    assert '<link rel="stylesheet" href="/static/core/css/tremplin.css">' in html  # the site's theme

    response = client.get(reverse("ingest:rejections"), {"source": "Plateforme A", "motif": "missing_contract_id"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "1 enregistrement rejeté" in html and "plateforme-a.json" in html and "marches[3]" in html
    assert "sans identifiant" in html  # the raw payload, public
    assert client.get(reverse("ingest:rejections"), {"source": "Inconnue"}).status_code == 404


def test_page_without_imports(client, db):
    assert "Aucune donnée DECP" in client.get(reverse("ingest:quality")).content.decode()
