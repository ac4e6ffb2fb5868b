"""Purchase fairs: announcing, registering within the capacity, the waiting list and its promotions, e-mails,
pages and API. The concurrent registrations test needs PostgreSQL's row locks (SQLite has none to take)."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, OrganisationFactory
from tests.opportunities.conftest import bearer
from tests.opportunities.factories import FairFactory, ForecastFactory
from tremplin.opportunities import fairs
from tremplin.opportunities.fair_views import fair_event
from tremplin.opportunities.models import Fair, Registration
from tremplin.organisations.models import Role

API = "/api/v1/opportunities/fairs"


def company_with_member(name: str):
    company = OrganisationFactory(name=name)
    return company, MembershipFactory(organisation=company, role=Role.COMPANY_MEMBER).user


@pytest.mark.django_db
def test_capacity_waiting_list_and_promotion(world, mailoutbox, django_capture_on_commit_callbacks):
    fair = FairFactory(organiser=world.buyer, capacity=2, title="Rencontre BTP")
    third, third_member = company_with_member("Charpentes Dupont")
    fourth, fourth_member = company_with_member("Élec Services")
    with django_capture_on_commit_callbacks(execute=True):
        first = fairs.register(world.company_member, fair, world.company)
        second = fairs.register(world.other_company_member, fair, world.other_company)
        waiting = fairs.register(third_member, fair, third)
        last = fairs.register(fourth_member, fair, fourth)
    assert [r.status for r in (first, second, waiting, last)] == ["confirmed", "confirmed", "waiting", "waiting"]
    assert (fairs.waiting_position(waiting), fairs.waiting_position(last), fairs.waiting_position(first)) == (
        1,
        2,
        None,
    )
    assert [mail.subject for mail in mailoutbox] == [
        "[Tremplin] Inscription confirmée : Rencontre BTP",
        "[Tremplin] Inscription confirmée : Rencontre BTP",
        "[Tremplin] Liste d'attente : Rencontre BTP",
        "[Tremplin] Liste d'attente : Rencontre BTP",
    ]
    assert "liste d'attente (position 2)" in mailoutbox[3].body
    assert "/salon.ics" in mailoutbox[0].body and "Menuiserie Solidaire" in mailoutbox[0].body

    with pytest.raises(fairs.FairError, match="Menuiserie Solidaire est déjà inscrite à ce salon."):
        fairs.register(world.company_member, fair, world.company)
    with pytest.raises(fairs.FairError, match="déjà sur la liste d'attente"):
        fairs.register(third_member, fair, third)

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = fairs.cancel_registration(world.company_member, first)
    assert [r.organisation for r in promoted] == [third]
    assert [mail.to for mail in mailoutbox] == [[third_member.email]]
    assert mailoutbox[0].subject == "[Tremplin] Une place s'est libérée : Rencontre BTP"
    statuses = dict(fair.registrations.values_list("organisation__name", "status"))
    assert statuses == {
        "Menuiserie Solidaire": "cancelled",
        "Atelier du Rhône": "confirmed",
        "Charpentes Dupont": "confirmed",
        "Élec Services": "waiting",
    }
    last.refresh_from_db()
    assert fairs.waiting_position(last) == 1
    with pytest.raises(fairs.FairError, match="déjà annulée"):
        fairs.cancel_registration(world.company_member, first)

    # Coming back after a cancellation: at the end of the line.
    again = fairs.register(world.company_member, fair, world.company)
    assert (again.pk, again.status, fairs.waiting_position(again)) == (first.pk, "waiting", 2)

    # The organiser adds seats: the waiting list moves up, in order.
    values = fairs.FairValues(**{**vars(values_of(fair)), "capacity": 3})
    fairs.save_fair(world.agent, world.buyer, values, fair)
    statuses = dict(fair.registrations.values_list("organisation__name", "status"))
    assert (statuses["Élec Services"], statuses["Menuiserie Solidaire"]) == ("confirmed", "waiting")


def values_of(fair: Fair) -> fairs.FairValues:
    return fairs.FairValues(
        title=fair.title,
        description=fair.description,
        starts_at=fair.starts_at,
        ends_at=fair.ends_at,
        venue=fair.venue,
        address=fair.address,
        commune_id=fair.commune_id,
        capacity=fair.capacity,
        registration_required=fair.registration_required,
        registration_deadline=fair.registration_deadline,
        contact_email=fair.contact_email,
    )


@pytest.mark.django_db
def test_registration_closes(world):
    now = timezone.now()
    started = FairFactory(organiser=world.buyer, starts_at=now - datetime.timedelta(hours=1))
    late = FairFactory(organiser=world.buyer, registration_deadline=now - datetime.timedelta(minutes=1))
    cancelled = FairFactory(organiser=world.buyer, cancelled_at=now)
    for fair, message in (
        (started, "déjà commencé"),
        (late, "date limite d'inscription est passée"),
        (cancelled, "Ce salon est annulé."),
    ):
        with pytest.raises(fairs.FairError, match=message):
            fairs.register(world.company_member, fair, world.company)
    assert not Registration.objects.exists()


@pytest.mark.django_db
def test_announcing_and_changing_a_fair(world):
    mine = ForecastFactory(buyer=world.buyer)
    draft = ForecastFactory(buyer=world.buyer, status="draft")
    theirs = ForecastFactory(buyer=world.other_buyer)
    start = timezone.now() + datetime.timedelta(days=10)
    values = fairs.FairValues(
        title="Salon des achats publics",
        description="",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=4),
        venue="Halle Tony Garnier",
        capacity=50,
        forecast_ids=(mine.pk,),
    )
    fair = fairs.save_fair(world.agent, world.buyer, values)
    assert (fair.organiser, fair.sequence, list(fair.forecasts.all())) == (world.buyer, 0, [mine])
    for forecast in (draft, theirs):
        with pytest.raises(fairs.FairInvalid) as caught:
            fairs.save_fair(
                world.agent, world.buyer, fairs.FairValues(**{**vars(values), "forecast_ids": (forecast.pk,)})
            )
        assert caught.value.errors == {"forecasts": ["Choisissez des prévisions publiées de votre organisation."]}
    fairs.save_fair(world.agent, world.buyer, fairs.FairValues(**{**vars(values), "title": "Nouveau titre"}), fair)
    assert Fair.objects.get(pk=fair.pk).sequence == 0  # the title is not the schedule
    moved = fairs.FairValues(**{**vars(values), "starts_at": start + datetime.timedelta(days=1)})
    with pytest.raises(fairs.FairInvalid) as caught:
        fairs.save_fair(world.agent, world.buyer, moved, fair)
    assert caught.value.errors == {"ends_at": ["La fin du salon doit suivre son début."]}
    moved.ends_at = moved.starts_at + datetime.timedelta(hours=2)
    fairs.save_fair(world.agent, world.buyer, moved, fair)
    assert Fair.objects.get(pk=fair.pk).sequence == 1  # calendars update the event
    with pytest.raises(fairs.PermissionDenied):
        fairs.save_fair(world.other_agent, world.buyer, values)


@pytest.mark.django_db
def test_the_fair_pages(client, world, mailoutbox, django_capture_on_commit_callbacks):
    forecast = ForecastFactory(buyer=world.buyer, title="Réfection des voiries")
    client.force_login(world.agent)
    response = client.post(
        reverse("opportunities:fair_create"),
        {
            "title": "Rencontre acheteurs du Rhône",
            "description": "Présentation des achats 2027.",
            "starts_at": "2030-03-12T09:00",
            "ends_at": "2030-03-12T12:00",
            "venue": "Hôtel de Ville",
            "commune": "69123",
            "capacity": "1",
            "registration_required": "on",
            "forecasts": [forecast.pk],
        },
    )
    fair = Fair.objects.get()
    assert response.status_code == 302 and response.url == fair.get_absolute_url()
    assert fair.starts_at == datetime.datetime(2030, 3, 12, 8, 0, tzinfo=datetime.UTC)  # typed in Paris time
    response = client.post(
        reverse("opportunities:fair_create"),
        {"title": "", "starts_at": "2030-03-12T09:00", "ends_at": "2030-03-12T08:00", "venue": "X"},
    )
    html = response.content.decode()
    assert "Erreur : Annoncer un salon" in html and "La fin du salon doit suivre son début." in html

    client.force_login(world.company_member)
    html = client.get(fair.get_absolute_url()).content.decode()
    assert "Réfection des voiries" in html and "Inscriptions ouvertes" in html
    assert "Pour <strong>Menuiserie Solidaire</strong>" in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("opportunities:fair_register", args=[fair.pk]), {"organisation": world.company.siret}, follow=True
        )
    assert "Menuiserie Solidaire est inscrite au salon." in response.content.decode()
    assert "inscription confirmée" in response.content.decode()

    client.force_login(world.other_company_member)
    html = client.get(fair.get_absolute_url()).content.decode()
    assert "Complet : liste d'attente" in html and "M'inscrire sur la liste d'attente" in html
    response = client.post(
        reverse("opportunities:fair_register", args=[fair.pk]), {"organisation": world.other_company.siret}, follow=True
    )
    assert "Atelier du Rhône est sur la liste d&#x27;attente (position 1)" in response.content.decode()

    client.force_login(world.agent)
    html = client.get(fair.get_absolute_url()).content.decode()
    assert "Entreprises inscrites (1)" in html and "Liste d'attente (1)" in html
    registration = fair.registrations.get(organisation=world.company)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("opportunities:fair_unregister", args=[fair.pk, registration.pk]), follow=True)
    assert "La place libérée revient à Atelier du Rhône." in response.content.decode()
    assert [(mail.subject, mail.to) for mail in mailoutbox] == [
        ("[Tremplin] Inscription annulée : Rencontre acheteurs du Rhône", [world.company_member.email]),
        ("[Tremplin] Une place s'est libérée : Rencontre acheteurs du Rhône", [world.other_company_member.email]),
    ]
    assert "Ville de Lyon a annulé l'inscription de Menuiserie Solidaire" in mailoutbox[0].body

    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("opportunities:fair_cancel", args=[fair.pk]), follow=True)
    assert "Le salon est annulé" in response.content.decode()
    assert [mail.subject for mail in mailoutbox] == ["[Tremplin] Salon annulé : Rencontre acheteurs du Rhône"]
    fair.refresh_from_db()
    assert fair.is_cancelled and fair.sequence == 1 and fair_event(fair).cancelled


@pytest.mark.django_db
def test_the_fairs_api(client, world):
    forecast = ForecastFactory(buyer=world.buyer, title="Réfection des voiries")
    fair = FairFactory(organiser=world.buyer, capacity=1, commune_id="69123")
    fair.forecasts.add(forecast, ForecastFactory(buyer=world.buyer, status="draft"))
    FairFactory(organiser=world.buyer, starts_at=timezone.now() - datetime.timedelta(days=3))
    listed = client.get(API).json()
    assert [item["id"] for item in listed] == [fair.pk]
    assert len(client.get(API, {"past": "true"}).json()) == 1
    detail = client.get(f"{API}/{fair.pk}").json()
    assert detail["commune"] == {"code": "69123", "name": "Lyon"}
    assert [f["title"] for f in detail["forecasts"]] == ["Réfection des voiries"]  # never a draft
    assert detail["ics_url"].endswith(f"/previsions/salons/{fair.pk}/salon.ics")

    register = f"{API}/{fair.pk}/registrations"
    response = client.post(register, {"siret": world.company.siret}, "application/json", **bearer(world.company_member))
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["waiting_position"]) == ("confirmed", None)
    response = client.post(register, {"siret": world.company.siret}, "application/json", **bearer(world.company_member))
    assert response.status_code == 409
    other = client.post(
        register, {"siret": world.other_company.siret}, "application/json", **bearer(world.other_company_member)
    )
    assert (other.json()["status"], other.json()["waiting_position"]) == ("waiting", 1)
    detail = client.get(f"{API}/{fair.pk}").json()
    assert (detail["confirmed_count"], detail["waiting_count"]) == (1, 1)

    mine = response = client.get(register, **bearer(world.company_member)).json()
    response = client.delete(f"{register}/{mine[0]['id']}", **bearer(world.company_member))
    assert response.status_code == 200
    body = response.json()
    assert body["registration"]["status"] == "cancelled"
    assert [(r["organisation"]["name"], r["status"]) for r in body["promoted"]] == [("Atelier du Rhône", "confirmed")]
    assert client.delete(f"{register}/{mine[0]['id']}", **bearer(world.company_member)).status_code == 409


@pytest.mark.django_db(transaction=True)
def test_concurrent_registrations_never_exceed_the_capacity(world):
    if connection.vendor != "postgresql":
        pytest.skip("Row locks (select_for_update) need PostgreSQL; CI runs this suite on PostgreSQL too.")
    fair = FairFactory(organiser=world.buyer, capacity=3)
    companies = [company_with_member(f"Entreprise {n}") for n in range(10)]
    barrier = threading.Barrier(len(companies))
    errors = []

    def register(company, member):
        try:
            barrier.wait()
            fairs.register(member, fair, company)
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=pair) for pair in companies]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    statuses = list(fair.registrations.values_list("status", flat=True))
    assert (statuses.count("confirmed"), statuses.count("waiting")) == (3, 7)
