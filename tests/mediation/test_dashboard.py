"""The mediators' dashboard (open cases, deadlines, overdue first contacts) and staff assignment."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory
from tremplin.mediation import services
from tremplin.mediation.models import Case
from tremplin.organisations.models import Role

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("mediation:dashboard")


def backdate(case, days):
    Case.objects.filter(pk=case.pk).update(filed_at=timezone.now() - timedelta(days=days))


def test_a_mediator_sees_open_cases_overdue_first_contacts_first(client, world):
    world.same_region_mediator.is_active = False  # every case goes to Marie
    world.same_region_mediator.save()
    recent = world.file(category="penalties")
    overdue = world.file(category="termination", description="Résiliation pour faute contestée par l'entreprise.")
    backdate(overdue, 9)
    in_mediation = world.file(category="price_revision")
    services.perform_action(world.mediator, in_mediation, "accept")
    services.perform_action(world.mediator, in_mediation, "start")
    closed = world.file(category="other")
    services.perform_action(world.mediator, closed, "decline", "Hors champ.")
    mine = {recent.pk, overdue.pk, in_mediation.pk, closed.pk}
    assert set(Case.objects.filter(mediator=world.mediator).values_list("pk", flat=True)) == mine

    client.force_login(world.mediator)
    html = client.get(DASHBOARD).content.decode()
    assert "<strong>3</strong> demandes en cours" in html
    assert "<strong>2</strong> à examiner" in html and "<strong>1</strong> en médiation" in html
    assert "<strong>1</strong> échéance dépassée" in html
    open_table = html.split("Mes demandes en cours")[1].split("</section>")[0]
    assert open_table.index(overdue.reference) < open_table.index(recent.reference)
    assert 'class="med-row--overdue"' in open_table and "(retard de 2 jours)" in open_table
    assert "Fin de la médiation visée (sous 90 jours)" in open_table
    assert closed.reference not in open_table
    assert closed.reference in html.split("Mes dernières demandes closes")[1]


def test_staff_see_cases_waiting_for_a_mediator_and_every_overdue_first_contact(client, world):
    world.mediator.mediator_region = None
    world.mediator.save()
    world.same_region_mediator.mediator_region = None
    world.same_region_mediator.save()
    waiting = world.file()
    world.same_region_mediator.mediator_region = world.region
    world.same_region_mediator.save()
    late = world.file()
    backdate(late, 8)
    on_time = world.file()
    client.force_login(world.staff)
    html = client.get(DASHBOARD).content.decode()
    unassigned = html.split("Demandes sans médiateur (1)")[1].split("</section>")[0]
    assert waiting.reference in unassigned and "À désigner" in unassigned
    overdue = html.split("Premiers contacts en retard (1)")[1].split("</section>")[0]
    assert late.reference in overdue and on_time.reference not in overdue
    assert "Mes demandes en cours" not in html  # staff who are not mediators have no cases of their own


def test_the_overdue_filter_and_the_deadline_rules_agree(world, settings):
    settings.MEDIATION_FIRST_CONTACT_DAYS = 7
    case = world.file()
    for days, overdue in [(6, False), (7, False), (8, True)]:
        backdate(case, days)
        case.refresh_from_db()
        in_filter = Case.objects.filter(services.overdue_first_contact_filter(), pk=case.pk).exists()
        state = services.deadlines_for(case)[0].state
        assert in_filter is overdue and (state == "overdue") is overdue, days


def test_staff_assign_and_replace_the_mediator(client, world, mailoutbox):
    case = world.file()
    mailoutbox.clear()
    url = reverse("mediation:assign", args=[case.pk])
    client.force_login(world.staff)
    html = client.get(url).content.decode()
    assert "<h1>Changer de médiateur</h1>" in html
    assert "Paul Médiateur — Auvergne-Rhône-Alpes (0 demande en cours)" in html
    assert "Marie Médiatrice — Auvergne-Rhône-Alpes (1 demande en cours)" in html
    response = client.post(url, {"mediator": world.other_region_mediator.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.mediator == world.other_region_mediator
    event = case.events.last()
    assert event.action == "reassigned" and event.actor == world.staff
    assert event.details == "Marie Médiatrice remplacé par Inès Francilienne, médiateur pour la région Île-de-France."
    recipients = sorted(m.to[0] for m in mailoutbox)
    expected = [world.company_member.email, world.buyer_agent.email, world.other_region_mediator.email]
    assert recipients == sorted([*expected, world.mediator.email])  # the replaced mediator is told too
    assert "Inès Francilienne remplace Marie Médiatrice" in mailoutbox[0].body


def test_assignment_errors(client, world):
    case = world.file()
    url = reverse("mediation:assign", args=[case.pk])
    client.force_login(world.staff)
    html = client.post(url, {"mediator": world.mediator.pk}).content.decode()
    assert "Marie Médiatrice est déjà le médiateur de cette demande." in html
    html = client.post(url, {"mediator": world.company_member.pk}).content.decode()
    assert "Ce médiateur n&#x27;existe pas ou n&#x27;est plus actif." in html
    MembershipFactory(user=world.same_region_mediator, organisation=world.company, role=Role.COMPANY_MEMBER)
    html = client.post(url, {"mediator": world.same_region_mediator.pk}).content.decode()
    assert "Paul Médiateur est membre d&#x27;une des parties." in html
    services.perform_action(world.company_member, case, "withdraw")
    assert client.get(url).status_code == 404  # closed: nothing to assign
    case.refresh_from_db()
    assert case.mediator == world.mediator


def test_a_waiting_case_gets_its_first_mediator_from_staff(client, world):
    world.mediator.mediator_region = None
    world.mediator.save()
    world.same_region_mediator.is_active = False
    world.same_region_mediator.save()
    case = world.file()
    client.force_login(world.staff)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Désigner un médiateur" in html and "En cours de désignation" in html
    client.post(reverse("mediation:assign", args=[case.pk]), {"mediator": world.other_region_mediator.pk})
    case.refresh_from_db()
    assert case.mediator == world.other_region_mediator
    assert case.events.last().action == "assigned"
