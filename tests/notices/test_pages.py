"""The notice pages: the list of open calls with its filters (accessible errors, no 500 on bad input), one notice,
and the rejected notices, seen by platform staff only (404 for everyone else)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import BuyerFactory, OrganisationFactory, UserFactory

from .factories import NoticeAwardFactory, NoticeFactory, NoticeLotFactory, NoticeWinnerFactory, RejectedNoticeFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notices:list")


def titles(response) -> list[str]:
    return re.findall(r'<h3 class="notice-card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.fixture
def notices(small_referentials):
    now = timezone.now()
    day = datetime.timedelta(days=1)
    return {
        "school": NoticeFactory(title="Rénovation de l'école Jean-Macé", deadline_at=now + 20 * day),
        "power": NoticeFactory(
            title="Fourniture d'électricité",
            cpv="09310000",
            place_department="75",
            place_region="11",
            procedure="Appel d'offres ouvert",
            deadline_at=now + 2 * day,
            source="ted",
        ),
        "reserved": NoticeFactory(
            title="Entretien des espaces verts",
            cpv="77310000",
            cpv_codes=["45112710"],
            is_reserved=True,
            deadline_at=now + 40 * day,
        ),
        "closed": NoticeFactory(title="Ancienne consultation", deadline_at=now - day),
        "award": NoticeFactory(title="Attribution du marché de voirie", kind="award", deadline_at=None),
    }


def test_the_list_shows_open_calls_nearest_deadline_first(client, notices):
    response = client.get(LIST)
    assert response.status_code == 200
    assert titles(response) == ["Fourniture d&#x27;électricité", "Rénovation de l&#x27;école Jean-Macé",
                                "Entretien des espaces verts"]  # fmt: skip
    html = response.content.decode()
    assert "3 appels à la concurrence ouverts" in html
    assert "Paris (75)" in html and "Marché réservé" in html and "250\u202f000\u202f€" in html
    assert '<label class="field__label" for="id_cpv">Code CPV</label>' in html


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"cpv": "45"}, ["Rénovation de l&#x27;école Jean-Macé", "Entretien des espaces verts"]),  # + additional
        ({"cpv": "45214200-0"}, ["Rénovation de l&#x27;école Jean-Macé"]),
        ({"cpv": "0931"}, ["Fourniture d&#x27;électricité"]),
        ({"department": "75"}, ["Fourniture d&#x27;électricité"]),
        ({"procedure": "Appel d'offres ouvert"}, ["Fourniture d&#x27;électricité"]),
        ({"reserved": "on"}, ["Entretien des espaces verts"]),
        ({"q": "ECOLE jean macé"}, ["Rénovation de l&#x27;école Jean-Macé"]),
        ({"show": "award"}, ["Attribution du marché de voirie"]),
        ({"show": "competition", "q": "ancienne"}, ["Ancienne consultation"]),
    ],
)
def test_filters(client, notices, query, expected):
    assert titles(client.get(LIST, query)) == expected


def test_deadline_window(client, notices):
    today = timezone.localdate()
    window = {
        "deadline_from": str(today + datetime.timedelta(days=10)),
        "deadline_to": str(today + datetime.timedelta(days=30)),
    }
    assert titles(client.get(LIST, window)) == ["Rénovation de l&#x27;école Jean-Macé"]
    french = {"deadline_to": (today + datetime.timedelta(days=3)).strftime("%d/%m/%Y")}
    assert titles(client.get(LIST, french)) == ["Fourniture d&#x27;électricité"]


def test_all_notices_list_latest_publication_first_with_their_state(client, notices):
    notices["closed"].publication_date = timezone.localdate()
    notices["closed"].save()
    response = client.get(LIST, {"show": "all"})
    html = response.content.decode()
    assert titles(response)[0] == "Ancienne consultation"
    assert "5 avis" in html and "Clos" in html and "Avis d&#x27;attribution" in html


def test_bad_filters_give_an_error_summary_never_a_500(client, notices):
    response = client.get(LIST, {"cpv": "<script>", "deadline_from": "2024-02-30", "department": "99", "show": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Erreur : " in html and 'class="error-summary"' in html
    assert 'href="#id_cpv">Code CPV : Indiquez de 2 à 8 chiffres' in html
    assert "Date invalide : indiquez-la au format JJ/MM/AAAA." in html
    assert "Département inconnu : choisissez-en un dans la liste." in html
    assert "Choix inconnu pour les avis affichés." in html
    assert "&lt;script&gt;" in html and "<script>" not in html.split("</head>")[1]
    assert titles(response) == []


def test_deadline_window_must_be_in_order(client, notices):
    html = client.get(LIST, {"deadline_from": "2030-01-10", "deadline_to": "2030-01-01"}).content.decode()
    assert "Cette date doit être postérieure ou égale à la date de début." in html


def test_pagination_and_a_bad_page_number(client, small_referentials):
    for n in range(23):
        NoticeFactory(title=f"Avis numéro {n:02d}", deadline_at=timezone.now() + datetime.timedelta(days=n + 1))
    first, second = client.get(LIST), client.get(LIST, {"page": 2})
    assert len(titles(first)) == 20 and len(titles(second)) == 3
    assert "Page 1 sur 2" in first.content.decode()
    assert client.get(LIST, {"page": "abc"}).status_code == 200


def test_no_open_call_suggests_the_other_notices(client, notices):
    html = client.get(LIST, {"cpv": "99"}).content.decode()
    assert "Aucun avis ne correspond à ces critères." in html
    assert "3 appels à la concurrence sont ouverts en tout" in html
    assert "show=all" in html


def test_the_notice_page(client, small_referentials):
    buyer = BuyerFactory(name="Ville de Lyon")
    notice = NoticeFactory(
        title="Rénovation de l'école Jean-Macé",
        buyer=buyer,
        cpv="45214000",
        additional_cpv=["45210000"],
        deadline_at=datetime.datetime(2031, 3, 4, 11, 0, tzinfo=datetime.UTC),
        description="Deux lots.\nVisite obligatoire.",
        flags=["value_missing"],
        documents_url="https://marches.example.fr/dce/123",
    )
    NoticeLotFactory(notice=notice, lot_ref="1", title="Gros œuvre", estimated_value=Decimal("120000"))
    correction = NoticeFactory(kind="correction", related=notice, title="Rectificatif : visite", deadline_at=None)
    response = client.get(notice.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Rénovation de l&#x27;école Jean-Macé</h1>" in html
    assert "mardi 4 mars 2031 à 12 h 00 (heure de Paris)" in html
    assert f'href="{buyer.get_absolute_url()}"' in html
    assert "45214000 — Travaux de construction d&#x27;établissements d&#x27;enseignement" in html
    assert "45210000 — Travaux de construction de bâtiments" in html
    assert "Rhône (69)" in html and "Gros œuvre" in html and "120\u202f000\u202f€" in html
    assert f'href="{correction.get_absolute_url()}"' in html and "Avis rectificatif" in html
    assert "Aucun montant (ni valeur estimée, ni montant attribué)" in html
    assert 'href="https://marches.example.fr/dce/123"' in html
    assert f'href="/api/v1/notices/{notice.pk}"' in html


def test_an_award_page_links_winners_to_their_organisation(client):
    winner = OrganisationFactory(name="Menuiserie Solidaire du Rhône")
    award = NoticeAwardFactory(lot_ref="2", value=Decimal("98000.5"), tenders_received=4)
    NoticeWinnerFactory(award=award, organisation=winner, siret=winner.siret, name="MENUISERIE SOLIDAIRE")
    NoticeWinnerFactory(award=award, name="Partenaire sans SIRET", legal_id="BE0123456789")
    html = client.get(award.notice.get_absolute_url()).content.decode()
    assert f'<a href="{winner.get_absolute_url()}">MENUISERIE SOLIDAIRE</a>' in html
    assert "Partenaire sans SIRET" in html and "BE0123456789" in html
    assert "98\u202f000,50\u202f€" in html
    assert "<dt>Valeur totale</dt>" in html and "Valeur estimée</dt>" not in html


def test_a_cancelled_call_is_shown_as_such(client):
    notice = NoticeFactory()
    NoticeFactory(kind="cancellation", related=notice, deadline_at=None)
    html = client.get(notice.get_absolute_url()).content.decode()
    assert "Cette consultation a été annulée." in html and "Ouvert aux candidatures" not in html


def test_unknown_notices_are_404(client):
    assert client.get(reverse("notices:detail", args=[999999])).status_code == 404
    assert client.get("/avis/abc/").status_code == 404


def test_rejected_notices_are_for_platform_staff_only(client):
    RejectedNoticeFactory(file="archive.tar.gz:INVALID_cn.xml", excerpt="<ContractNotice>extrait</ContractNotice>")
    url = reverse("notices:rejections")
    assert client.get(url).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    assert "Avis rejetés à l&#x27;import" not in client.get(LIST).content.decode()
    client.force_login(UserFactory(is_staff=True))
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "archive.tar.gz:INVALID_cn.xml" in html and "&lt;ContractNotice&gt;extrait" in html
    assert f'href="{url}"' in client.get(LIST).content.decode()


def test_the_list_needs_few_queries(client, small_referentials, django_assert_max_num_queries):
    for n in range(20):
        NoticeFactory(buyer=BuyerFactory(), deadline_at=timezone.now() + datetime.timedelta(days=n + 1))
    with django_assert_max_num_queries(8):
        assert len(titles(client.get(LIST))) == 20


def test_the_admin_shows_notices_and_rejections_read_only(client):
    notice = NoticeFactory()
    NoticeLotFactory(notice=notice)
    rejection = RejectedNoticeFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    for url in (
        reverse("admin:notices_notice_changelist"),
        reverse("admin:notices_notice_change", args=[notice.pk]),
        reverse("admin:notices_rejectednotice_changelist"),
        reverse("admin:notices_rejectednotice_change", args=[rejection.pk]),
    ):
        assert client.get(url).status_code == 200, url
    assert client.get(reverse("admin:notices_notice_add")).status_code == 403
