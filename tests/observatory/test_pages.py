"""Observatory pages: filters kept in the URL and in every CSV link, charts and map as inline SVG, definitions
stated, bad filters explained, buyer and holder pages listing their contracts."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tremplin.observatory import charts

pytestmark = pytest.mark.django_db


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return unescape(response.content.decode())


def test_home_with_filters_in_the_url(client, dataset):
    page = html(client.get(reverse("observatory:home"), {"year": "2024", "region": "11"}))
    assert "<h1>Observatoire de la commande publique</h1>" in page
    assert "Filtres actifs : notifiés en 2024, région Île-de-France." in page
    assert '<option value="2024" selected>2024</option>' in page  # the form shows the filters it was given
    # Key figures for c3 + c4 (c4's amount is suspicious).
    assert re.search(r"<dt>Marchés</dt><dd>2</dd>", page)
    assert "300\u202fk€" in page
    # Every link carries the filters: CSV, OCDS, the other sections.
    assert 'href="/api/v1/exports/contracts.csv?year=2024&region=11"' in page
    assert 'href="/api/v1/exports/indicators.csv?year=2024&region=11"' in page
    assert 'href="/api/v1/exports/ocds?year=2024&region=11"' in page
    assert 'href="/api/v1/exports/breakdown.csv?year=2024&region=11&by=year&sort=key"' in page
    assert 'href="/observatoire/territoires/?year=2024&region=11"' in page
    # The chart is inline SVG with a title, and its numbers are also in a table.
    assert re.search(r'<svg [^>]*class="chart chart--columns"[^>]*role="img" aria-labelledby="[^"]+"', page)
    assert "<title id=" in page and "Montant notifié par année" in page
    assert "Marchés et montant notifié par année" in page
    # Definitions are stated on the page.
    assert "Territoire d'un marché" in page and "répartis à parts égales" in page
    assert "« inconnu » est compté à part, jamais comme « non »" in page


def test_no_filter_and_the_suspicious_switch(client, dataset):
    page = html(client.get(reverse("observatory:home")))
    assert "Aucun filtre : tous les marchés." in page
    assert "1\u202f000\u202fk€" not in page and "1,0\u202fM€" in page
    switched = html(client.get(reverse("observatory:home"), {"include_suspicious": "on"}))
    assert "5,0\u202fMd€" in switched and "montants suspects inclus" in switched
    assert "exports/contracts.csv?include_suspicious=1" in switched


def test_bad_filters_are_explained(client, dataset):
    response = client.get(reverse("observatory:home"), {"holder": "12", "cpv": "abc"})
    assert response.status_code == 400
    page = unescape(response.content.decode())
    assert "Le formulaire n'a pas pu être envoyé" in page
    assert "Un SIRET compte exactement 14 chiffres." in page
    assert "Corrigez les filtres pour afficher les résultats." in page
    assert "Chiffres clés" not in page


def test_a_siret_typed_with_spaces_is_accepted(client, dataset):
    siret = dataset.alpha.siret
    page = html(
        client.get(reverse("observatory:home"), {"holder": f"{siret[:3]} {siret[3:6]} {siret[6:9]} {siret[9:]}"})
    )
    assert f"titulaire {siret}" in page


def test_timeline_by_month_and_by_year(client, dataset):
    page = html(client.get(reverse("observatory:timeline"), {"cpv": "45"}))
    assert "Montant notifié par mois" in page and "Nombre de marchés notifiés par mois" in page
    assert page.count('class="chart chart--columns"') == 2
    assert 'href="/observatoire/evolution/?cpv=45&pas=annee"' in page
    assert "by=month&sort=key" in page
    yearly = html(client.get(reverse("observatory:timeline"), {"cpv": "45", "pas": "annee"}))
    assert "Montant notifié par année" in yearly
    assert '<input type="hidden" name="pas" value="annee">' in yearly  # the form keeps the step


def test_territories_map_and_tables(client, dataset):
    page = html(client.get(reverse("observatory:territories"), {"department": "75"}))
    svg = re.search(r'<svg [^>]*class="chart chart--map".*?</svg>', page, re.S).group(0)
    assert len(re.findall(r"<path ", svg)) == 96  # every metropolitan department, Corsica as 2A and 2B
    paris = re.search(r'<path class="([^"]+)" data-code="75"', svg).group(1)
    assert paris == "map__dept map__dept--5 map__dept--selected"
    assert re.search(r'<path class="map__dept map__dept--0" data-code="2A"', svg)
    assert "Paris (75) : 2 marché(s), 300\u202fk€" in svg
    assert "Départements de métropole colorés" in svg  # <desc>
    assert "Par région" in page and "Île-de-France" in page
    assert 'href="/api/v1/exports/breakdown.csv?department=75&by=department"' in page
    assert 'href="/observatoire/?department=75"' in page  # a department row filters the overview on it


def test_map_without_its_outlines_file(client, dataset, settings, tmp_path):
    settings.TREMPLIN_DATA_DIR = tmp_path  # no geojson there
    page = html(client.get(reverse("observatory:territories")))
    assert "La carte n'est pas disponible" in page
    assert "chart--map" not in page
    assert "Rhône (69)" in page  # the table is still there


def test_map_projection_and_classes(tmp_path):
    outline = tmp_path / "d.geojson"
    outline.write_text(
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "properties": {"code": "01", "nom": "Un"}, "geometry": {"type": "Polygon",'
        ' "coordinates": [[[0, 45], [1, 45], [1, 46], [0, 46], [0, 45]]]}},'
        '{"type": "Feature", "properties": {"code": "02", "nom": "Deux"}, "geometry": {"type": "MultiPolygon",'
        ' "coordinates": [[[[1, 45], [2, 45], [2, 46], [1, 45]]]]}}]}'
    )
    shapes, (width, height) = charts.department_shapes(outline)
    assert set(shapes) == {"01", "02"} and width == charts.MAP_WIDTH
    assert round(height) == round(charts.MAP_WIDTH / (2 * 0.7009), 0)  # 1° of latitude over cos(45.5°) of longitude
    assert shapes["01"][1].startswith("M0.0,") and shapes["01"][1].endswith("Z")
    assert charts.department_shapes(tmp_path / "missing.geojson") is None
    assert charts.class_breaks([0, 10, 20, 30, 40, 50]) == [10, 20, 30, 40, 50]
    assert [charts.class_of(v, [10, 50]) for v in (0, 5, 10, 11, 50, 99)] == [0, 3, 3, 5, 5, 5]


def test_sectors(client, dataset):
    page = html(client.get(reverse("observatory:sectors"), {"year": "2024"}))
    assert "45 — Travaux de construction" in page
    assert 'class="chart chart--bars"' in page
    assert 'href="/observatoire/?year=2024&cpv=45"' in page


def test_buyers_and_holders_rankings(client, dataset):
    page = html(client.get(reverse("observatory:buyers")))
    assert f'href="/observatoire/acheteurs/{dataset.lyon.siret}/"' in page
    holders = html(client.get(reverse("observatory:holders"), {"region": "84"}))
    assert f'href="/observatoire/titulaires/{dataset.alpha.siret}/?region=84"' in holders
    assert "Par taille d'entreprise" in holders and "Microentreprise (TPE)" in holders


def test_ranking_pagination_keeps_the_filters(client, dataset, monkeypatch):
    from tremplin.observatory import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    page = html(client.get(reverse("observatory:holders"), {"year": "2024"}))
    assert "Page 1 sur 3" in page and 'href="?year=2024&page=2"' in page  # 5 holders of 2024 contracts
    second = html(client.get(reverse("observatory:holders"), {"year": "2024", "page": "2"}))
    assert "Page 2 sur 3" in second


def test_buyer_page_lists_its_contracts(client, dataset):
    url = reverse("observatory:buyer", args=[dataset.lyon.siret])
    page = html(client.get(url, {"year": "2024"}))
    assert "<h1>Ville de Lyon</h1>" in page
    assert "Ses marchés (2)" in page
    assert f'href="{dataset.c2.get_absolute_url()}"' in page and f'href="{dataset.c5.get_absolute_url()}"' in page
    assert dataset.c1.get_absolute_url() not in page  # notified in 2023
    assert f"exports/contracts.csv?year=2024&buyer={dataset.lyon.siret}" in page
    assert 'name="buyer"' not in page  # the buyer is the page's, not a form field
    assert f'href="/observatoire/titulaires/{dataset.alpha.siret}/?year=2024"' in page
    assert f'href="/organisations/{dataset.lyon.siret}/"' in page


def test_holder_page(client, dataset):
    page = html(client.get(reverse("observatory:holder", args=[dataset.alpha.siret])))
    assert "<h1>Alpha BTP</h1>" in page and "Ses marchés (2)" in page
    assert "Ville de Lyon" in page
    assert "la part de ce titulaire" in page


def test_unknown_or_malformed_siret_pages(client, dataset):
    assert client.get(reverse("observatory:holder", args=["BE0123456789"])).status_code == 404
    assert client.get(reverse("observatory:buyer", args=["00000000000000"])).status_code == 404
    unknown_holder = "12345678900011"
    from tests.contracts.factories import ContractHolderFactory

    ContractHolderFactory(contract=dataset.c3, identifier=unknown_holder, name="SARL INCONNUE")
    page = html(client.get(reverse("observatory:holder", args=[unknown_holder])))
    assert "<h1>SARL INCONNUE</h1>" in page and "Ses marchés (1)" in page


def test_navigation_links_the_observatory(client, dataset):
    page = html(client.get(reverse("observatory:sectors")))
    assert '<a href="/observatoire/" aria-current="page">Observatoire</a>' in page
