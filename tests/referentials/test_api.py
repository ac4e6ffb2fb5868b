"""API /api/v1/referentials on the sample rows."""

import pytest

pytestmark = pytest.mark.django_db

BASE = "/api/v1/referentials"


def get_json(client, url, status=200, **params):
    response = client.get(f"{BASE}{url}", params)
    assert response.status_code == status, response.content
    return response.json()


@pytest.mark.parametrize("code", ["45210000-2", "452100002", "45210000", "4521000", "4521", "45 21 00 00", "45.21"])
def test_cpv_detail_accepts_every_input_form(client, small_referentials, code):
    body = get_json(client, f"/cpv/{code}")
    assert {key: body[key] for key in ("code", "full_code", "check_digit", "label", "level", "level_label")} == {
        "code": "45210000",
        "full_code": "45210000-2",
        "check_digit": "2",
        "label": "Travaux de construction de bâtiments",
        "level": "classe",
        "level_label": "Classe",
    }
    assert body["parent"]["code"] == body["parent_code"] == "45200000"
    assert [ancestor["code"] for ancestor in body["ancestors"]] == ["45000000", "45200000"]


def test_cpv_detail_of_a_division_has_no_parent(client, small_referentials):
    body = get_json(client, "/cpv/45000000")
    assert (body["level"], body["parent"], body["ancestors"]) == ("division", None, [])


def test_unknown_cpv_is_a_404_with_a_json_detail(client, small_referentials):
    assert get_json(client, "/cpv/45000001", 404) == {"detail": "Code CPV inconnu : 45000001."}


@pytest.mark.parametrize(("code", "problem"), [("4X000000", "« 4X000000 »"), ("4500000000", "trop de chiffres")])
def test_malformed_cpv_is_a_400_naming_the_problem(client, small_referentials, code, problem):
    assert problem in get_json(client, f"/cpv/{code}", 400)["detail"]


def test_cpv_search_is_accent_insensitive_and_ranked(client, small_referentials):
    body = get_json(client, "/cpv", q="electricite")
    assert body["count"] == 3
    assert [item["label"] for item in body["items"]][0] == "Électricité"
    assert body["items"][0]["parent_code"] == "09300000"


def test_cpv_search_is_paginated(client, small_referentials):
    page = get_json(client, "/cpv", q="45", limit=2, offset=1)
    assert page["count"] == 6
    assert [item["code"] for item in page["items"]] == ["45200000", "45210000"]
    assert len(get_json(client, "/cpv", q="45")["items"]) == 6  # default limit 20
    get_json(client, "/cpv", 422, q="45", limit=101)
    get_json(client, "/cpv", 422, q="45", limit=0)


def test_cpv_listing_without_query_gives_divisions_or_children(client, small_referentials):
    assert [i["code"] for i in get_json(client, "/cpv")["items"]] == ["09000000", "45000000", "60000000"]
    assert [i["code"] for i in get_json(client, "/cpv", parent="452")["items"]] == ["45210000"]
    assert [i["code"] for i in get_json(client, "/cpv", parent="45000000", q="civil")["items"]] == ["45200000"]
    assert "« x »" in get_json(client, "/cpv", 400, parent="x")["detail"]


def test_communes_by_postcode_with_department_and_region(client, small_referentials):
    body = get_json(client, "/communes", postcode="75001")
    assert [item["code"] for item in body["items"]] == ["75056", "75101"]
    district = body["items"][1]
    assert district["name"] == "Paris 1er Arrondissement"
    assert district["kind"] == "arrondissement"
    assert district["department"] == {"code": "75", "name": "Paris"}
    assert district["region"] == {"code": "11", "name": "Île-de-France"}
    assert district["postcodes"] == ["75001"]
    assert (district["latitude"], district["longitude"]) == (48.86263, 2.336293)
    get_json(client, "/communes", 422, postcode="7500")


def test_communes_by_name_are_accent_insensitive(client, small_referentials):
    body = get_json(client, "/communes", q="saint etienne")
    assert [(item["code"], item["name"]) for item in body["items"]] == [("42218", "Saint-Étienne")]
    assert body["items"][0]["region"] == {"code": "84", "name": "Auvergne-Rhône-Alpes"}
    assert [i["code"] for i in get_json(client, "/communes", q="paris", department="75", limit=1)["items"]] == ["75056"]


def test_commune_detail(client, small_referentials):
    body = get_json(client, "/communes/98735")
    assert (body["name"], body["department"]["code"], body["region"]["name"]) == (
        "Papeete",
        "987",
        "Polynésie française",
    )
    assert body["latitude"] is None
    assert get_json(client, "/communes/99999", 404) == {"detail": "Commune inconnue : code INSEE 99999."}


def test_regions_and_departments(client, small_referentials):
    assert [r["code"] for r in get_json(client, "/regions")] == ["04", "11", "84", "93", "987"]
    assert get_json(client, "/regions", zone="com") == [{"code": "987", "name": "Polynésie française", "zone": "com"}]
    departments = get_json(client, "/departments", region="11")
    assert departments == [
        {"code": "75", "name": "Paris", "zone": "metro", "region": {"code": "11", "name": "Île-de-France"}},
        {"code": "92", "name": "Hauts-de-Seine", "zone": "metro", "region": {"code": "11", "name": "Île-de-France"}},
    ]
    assert len(get_json(client, "/departments")) == 7


def test_naf_detail_and_search(client, small_referentials):
    body = get_json(client, "/naf/6201z")
    assert (body["code"], body["label"], body["level"]) == ("62.01Z", "Programmation informatique", "sous-classe")
    assert [a["code"] for a in body["ancestors"]] == ["J", "62", "62.0", "62.01"]
    assert get_json(client, "/naf/62.99Z", 404) == {"detail": "Code NAF inconnu : 62.99Z."}
    assert "Code NAF invalide" in get_json(client, "/naf/logiciel", 400)["detail"]
    assert [i["code"] for i in get_json(client, "/naf", q="électrique")["items"]] == ["43.2", "43.21", "43.21A"]


def test_openapi_documents_the_endpoints_in_french(client):
    schema = client.get("/api/v1/openapi.json").json()
    cpv = schema["paths"][f"{BASE}/cpv/{{code}}"]["get"]
    assert cpv["summary"] == "Un code CPV"
    assert set(cpv["responses"]) == {"200", "400", "404"}
    parameters = {p["name"]: p for p in schema["paths"][f"{BASE}/cpv"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert "accents" in parameters["q"]["description"]
    assert f"{BASE}/communes" in schema["paths"] and f"{BASE}/naf/{{code}}" in schema["paths"]
