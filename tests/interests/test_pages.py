"""The interest panel on forecast and notice pages, answering (with and without htmx), "Mes opportunités
suivies", and the buyer's list of interested companies with its CSV — and who is refused."""

import pytest
from django.urls import reverse

from tremplin.interests import services
from tremplin.interests.models import Interest

pytestmark = pytest.mark.django_db


def answer_url(world):
    return reverse("interests:answer_forecast", args=[world.forecast.pk])


def post_answer(client, world, htmx=False, **data):
    headers = {"HX-Request": "true"} if htmx else {}
    return client.post(answer_url(world), {"organisation": world.company.siret, **data}, headers=headers)


def panel(client, obj):
    html = client.get(obj.get_absolute_url()).content.decode()
    start = html.find('id="interets"')
    return html[start : html.find("</section>", start)] if start >= 0 else ""


def test_a_company_member_sees_the_answer_forms_and_their_view_is_recorded(client, world):
    client.force_login(world.member)
    html = panel(client, world.forecast)
    assert "Vous répondez pour Menuiserie Solidaire" in html
    assert ">Suivre</button>" in html and "Je suis intéressé(e)" in html and "Pas intéressé(e)</button>" in html
    assert 'for="interet-lots_0"' in html and "Lot 1 — Menuiseries extérieures" in html
    assert '<label class="field__label" for="interet-reason">Pourquoi ?' in html
    assert "csrfmiddlewaretoken" in html and f'hx-post="{answer_url(world)}"' in html
    assert "déclarez votre intérêt pour lui écrire" in html
    assert Interest.objects.get(organisation=world.company).viewed_at is not None


def test_following_without_javascript_redirects_back_with_a_message(client, world):
    client.force_login(world.member)
    response = post_answer(client, world, action="follow")
    assert response.status_code == 302
    assert response.url == f"{world.forecast.get_absolute_url()}?organisation={world.company.siret}#interets"
    html = client.get(response.url).content.decode()
    assert "Vous suivez maintenant cette opportunité." in html
    assert "Ne plus suivre</button>" in html
    assert Interest.objects.get(organisation=world.company).followed_at is not None


def test_declaring_interest_with_htmx_returns_the_panel(client, world):
    client.force_login(world.member)
    response = post_answer(client, world, action="interested", lots=[world.lots[0].pk], htmx=True)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="interets"')
    assert "Votre intérêt est enregistré" in html
    assert "Intéressé(e)</span> depuis le" in html and "pour : lot 1." in html
    assert "Écrire à l'acheteur</a>" in html
    assert "<html" not in html


def test_not_interested_without_a_reason_shows_the_error_summary(client, world):
    client.force_login(world.member)
    response = post_answer(client, world, action="not_interested", reason="")
    html = response.content.decode()
    assert response.status_code == 400
    assert "<title>Erreur : " in html
    assert '<a href="#interet-reason">Pourquoi ? : Indiquez pourquoi cette opportunité ne vous intéresse pas.' in html
    assert not Interest.objects.filter(not_interested_at__isnull=False).exists()

    htmx = post_answer(client, world, action="not_interested", reason="other", htmx=True)
    assert "Précisez la raison en quelques mots." in htmx.content.decode()


def test_the_latest_answer_wins(client, world):
    client.force_login(world.member)
    post_answer(client, world, action="interested")
    post_answer(client, world, action="not_interested", reason="too_far")
    html = panel(client, world.forecast)
    assert "Pas intéressé(e)</span> depuis le" in html and "Lieu d&#x27;exécution trop éloigné" in html
    row = Interest.objects.get()
    assert (row.interested_at, row.reason) == (None, "too_far")


def test_a_person_in_two_companies_chooses_which_one(client, world):
    client.force_login(world.two_hats)
    html = panel(client, world.forecast)
    assert "<strong>Atelier du Rhône</strong>" in html  # the first by name
    assert f'<a href="?organisation={world.company.siret}#interets">Menuiserie Solidaire</a>' in html
    response = client.post(
        answer_url(world), {"organisation": world.company.siret, "action": "follow"}, headers={"HX-Request": "true"}
    )
    assert "<strong>Menuiserie Solidaire</strong>" in response.content.decode()
    followers = Interest.objects.filter(followed_at__isnull=False).values_list("organisation__name", flat=True)
    assert list(followers) == ["Menuiserie Solidaire"]


@pytest.mark.parametrize("who", ["agent", "other_agent", "company_pending", "staff"])
def test_people_who_do_not_act_for_a_company_cannot_answer(client, world, who):
    client.force_login(getattr(world, who))
    assert post_answer(client, world, action="follow").status_code == 404
    assert not Interest.objects.filter(followed_at__isnull=False).exists()


def test_a_member_cannot_answer_for_another_company(client, world):
    client.force_login(world.other_member)
    response = post_answer(client, world, action="follow")  # world.company is not theirs
    assert response.status_code == 400
    assert not Interest.objects.filter(organisation=world.company, followed_at__isnull=False).exists()


def test_answers_on_drafts_and_unknown_forecasts_are_404(client, world):
    client.force_login(world.member)
    for pk in (world.draft.pk, 999999):
        url = reverse("interests:answer_forecast", args=[pk])
        assert client.post(url, {"organisation": world.company.siret, "action": "follow"}).status_code == 404


def test_answering_needs_post_and_an_account(client, world):
    assert post_answer(client, world, action="follow").status_code == 302  # to the login page
    client.force_login(world.member)
    assert client.get(answer_url(world)).status_code == 405


def test_visitors_are_invited_to_sign_in(client, world):
    html = panel(client, world.forecast)
    assert "Connectez-vous</a> avec le compte de votre entreprise" in html
    assert "Suivre</button>" not in html and "Notifiées" not in html


def test_a_notice_can_be_followed(client, world):
    client.force_login(world.member)
    url = reverse("interests:answer_notice", args=[world.notice.pk])
    assert "Je suis intéressé(e)" in panel(client, world.notice)
    response = client.post(url, {"organisation": world.company.siret, "action": "interested"})
    assert response.status_code == 302
    assert Interest.objects.get(notice=world.notice).state == "interested"


# ---------------------------------------------------------------- the buyer's side


@pytest.fixture
def answered(world):
    opportunity = services.for_forecast(world.forecast)
    services.mark_notified(world.company, f"forecast:{world.forecast.pk}")
    services.answer(world.member, world.company, opportunity, "interested", lot_ids=[world.lots[1].pk])
    services.answer(world.other_member, world.other_company, opportunity, "not_interested", "too_large")
    return world


def test_buyer_members_see_the_counts_on_the_forecast_page(client, answered):
    client.force_login(answered.buyer_colleague)
    html = panel(client, answered.forecast)
    for label, count in [("Notifiées", 1), ("Ont consulté", 0), ("Suivent", 1), ("Intéressées", 1)]:
        assert f"<dt>{label}</dt><dd>{count}</dd>" in html
    assert "<dt>Pas intéressées</dt><dd>1</dd>" in html
    assert "Marché trop important pour nous : 1" in html
    assert reverse("interests:forecast", args=[answered.forecast.pk]) in html
    assert "Suivre</button>" not in html


def test_the_list_of_interested_companies(client, answered):
    client.force_login(answered.agent)
    html = client.get(reverse("interests:forecast", args=[answered.forecast.pk])).content.decode()
    assert "<h1>Entreprises intéressées</h1>" in html
    assert f'href="{reverse("suppliers:detail", args=[answered.company.siret])}">Menuiserie Solidaire</a>' in html
    assert answered.company.siret in html and "Microentreprise (TPE)" in html and ">EI</span>" in html
    assert "69 Rhône" in html and "Lot 2" in html
    assert "Atelier du Rhône" not in html  # not interested: counted, not listed


def test_the_csv_export(client, answered):
    client.force_login(answered.agent)
    response = client.get(reverse("interests:forecast_csv", args=[answered.forecast.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="entreprises-interessees-prevision-' in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeffEntreprise;SIRET;Taille;Statut inclusif;Département;Lots visés;Intéressée le;")
    lines = text.splitlines()
    assert len(lines) == 2
    cells = lines[1].split(";")
    assert cells[:6] == [
        "Menuiserie Solidaire",
        answered.company.siret,
        "Microentreprise (TPE)",
        "Entreprise d'insertion (EI)",
        "69 Rhône",
        "Lot 2 — Peintures intérieures",
    ]
    assert cells[7].endswith(f"/fournisseurs/{answered.company.siret}/") or answered.company.siret in cells[7]


@pytest.mark.parametrize("who", ["other_agent", "member", "other_member", "buyer_pending", "company_pending", "staff"])
def test_nobody_else_sees_the_list_or_the_csv(client, answered, who):
    client.force_login(getattr(answered, who))
    pk = answered.forecast.pk
    assert client.get(reverse("interests:forecast", args=[pk])).status_code == 404
    assert client.get(reverse("interests:forecast_csv", args=[pk])).status_code == 404
    assert "Notifiées" not in panel(client, answered.forecast)


def test_anonymous_visitors_are_sent_to_the_login_page_whatever_the_forecast(client, answered):
    for pk in (answered.forecast.pk, 999999):
        response = client.get(reverse("interests:forecast", args=[pk]))
        assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_the_notice_list_is_for_the_notice_buyer_members(client, world):
    services.answer(world.member, world.company, services.for_notice(world.notice), "interested")
    url = reverse("interests:notice", args=[world.notice.pk])
    client.force_login(world.agent)
    assert "Menuiserie Solidaire" in client.get(url).content.decode()
    csv = client.get(reverse("interests:notice_csv", args=[world.notice.pk])).content.decode()
    assert "Toute la prévision" in csv and "Menuiserie Solidaire" in csv
    for who in (world.other_agent, world.member, world.buyer_pending):
        client.force_login(who)
        assert client.get(url).status_code == 404


def test_a_notice_without_a_known_buyer_has_no_list(client, world):
    from tests.notices.factories import NoticeFactory

    orphan = NoticeFactory(buyer=None)
    client.force_login(world.agent)
    assert client.get(reverse("interests:notice", args=[orphan.pk])).status_code == 404


# ---------------------------------------------------------------- "Mes opportunités suivies"


def test_my_followed_opportunities(client, answered):
    services.answer(answered.member, answered.company, services.for_notice(answered.notice), "follow")
    client.force_login(answered.member)
    html = client.get(reverse("interests:mine")).content.decode()
    assert "<h1>Mes opportunités suivies</h1>" in html
    assert "Rénovation de l&#x27;école des Pentes" in html and "Lot 2" in html
    assert "Entretien des espaces verts" in html
    assert "Atelier du Rhône" not in html  # another company's answers


def test_my_followed_opportunities_without_a_company(client, world):
    client.force_login(world.agent)
    assert "Rattachez-vous d'abord" in client.get(reverse("interests:mine")).content.decode()
