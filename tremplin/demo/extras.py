"""The rest of the demo, built by each app's own idempotent demo builder once organisations, accounts and
contracts exist: published notices, supplier profiles, purchase forecasts with a fair, companies' interest in them
(with a conversation), saved searches, invoices (some paid late), responsible-procurement clauses with declared
insertion hours and EGalim purchases, mediation cases."""

from pathlib import Path

from django.contrib.auth import get_user_model

from tremplin.demo.people import DEMO_DOMAIN
from tremplin.organisations.models import Membership, MembershipStatus, Role
from tremplin.referentials.models import CpvCode


def _member_organisation(user, role: str):
    membership = (
        Membership.objects.filter(user=user, role=role, status=MembershipStatus.ACTIVE)
        .select_related("organisation")
        .first()
    )
    return membership.organisation if membership else None


def build_extras(data_dir: Path) -> list[str]:
    """Run every app's demo builder; returns the lines to print. Each builder is idempotent."""
    from tremplin.alerts.demo import create_demo_searches
    from tremplin.carbon.demo import create_demo_estimates
    from tremplin.clauses.demo import create_demo_clauses
    from tremplin.interests.demo import create_demo_interests
    from tremplin.mediation.demo import create_demo_cases
    from tremplin.notices.demo import import_demo_notices
    from tremplin.opportunities.demo import create_demo_forecasts
    from tremplin.payments.demo import create_demo_invoices
    from tremplin.suppliers.demo import create_demo_profiles

    users = get_user_model().objects
    agent = users.filter(email=f"acheteur@{DEMO_DOMAIN}").first()
    company_user = users.filter(email=f"entreprise@{DEMO_DOMAIN}").first()
    mediator = users.filter(email=f"mediateur@{DEMO_DOMAIN}").first()
    buyer = _member_organisation(agent, Role.BUYER_AGENT) if agent else None
    company = _member_organisation(company_user, Role.COMPANY_MEMBER) if company_user else None

    lines = []
    notices = import_demo_notices(data_dir)
    created = sum(report.created for report in notices.values())
    read = sum(report.read for report in notices.values())
    lines.append(f"Avis publiés (BOAMP, TED) : {read} lus, {created} créés.")
    lines.append(f"Profils fournisseurs : {create_demo_profiles(limit=300)} créés.")
    if not CpvCode.objects.exists():
        lines.append(
            "Prévisions d'achat non créées : le référentiel CPV est vide (lancez tremplin load_referentials, "
            "puis tremplin demo)."
        )
    elif buyer and agent:
        forecasts = create_demo_forecasts(buyer, agent)
        lines.append(
            f"Prévisions d'achat de {buyer.name} : {forecasts.created} créées"
            + (", un salon acheteurs annoncé." if forecasts.fair_created else ".")
        )
        if company:
            from tremplin.opportunities.models import Forecast

            interests = create_demo_interests(buyer, company, list(Forecast.objects.filter(buyer=buyer)))
            lines.append(f"Intérêts d'entreprises pour ces prévisions : {interests.created} créés.")
    if company_user:
        searches = create_demo_searches(company_user, company)
        lines.append(f"Recherches enregistrées de {company_user.email} : {len(searches)}.")
    if company and buyer and company_user:
        invoices = create_demo_invoices(buyer, company, company_user)
        lines.append(f"Factures de {company.name} : {len(invoices)} créées (dont des paiements en retard).")
    if buyer and agent and CpvCode.objects.exists():
        clauses = create_demo_clauses(buyer, agent, company, company_user)
        lines.append(
            f"Clauses d'achat responsable : {clauses.clauses} créées, déclarations d'heures d'insertion : "
            f"{clauses.declarations}, achats EGalim : {clauses.purchases}."
        )
    if buyer and agent:
        lines.append(create_demo_estimates(buyer, agent)[1])
    if company and buyer and mediator:
        cases = create_demo_cases(company, buyer, mediator)
        lines.append(f"Dossiers de médiation : {len(cases)} créés.")
    return lines
