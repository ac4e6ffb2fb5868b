"""`tremplin demo`: a believable demo built from the real DECP sample, idempotently."""

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from tremplin.demo.decp import TABULAR_SAMPLE, DecpSample, Selection, read_tabular, select_subset
from tremplin.demo.naming import infer_buyer_type, infer_inclusive_status
from tremplin.demo.organisations import FICTIONAL_NOTE, OrganisationSpec, UpsertResult, demo_siret, upsert_organisations
from tremplin.demo.people import DEMO_DOMAIN, AccountResult, AccountSpec, DemoPassword, ensure_account
from tremplin.organisations.models import InclusiveStatus, MembershipStatus, Organisation, Role
from tremplin.referentials.models import Region


class DemoError(Exception):
    """The demo cannot be built; the message is French, for the operator."""


# Clearly fictional inclusive suppliers, used in this order to reach MIN_INCLUSIVE when the real names
# state too few inclusive statuses (a name alone rarely does).
MIN_INCLUSIVE = 3
FICTIONAL_INCLUSIVE = [
    ("Bâtir Ensemble, entreprise d'insertion (démo)", InclusiveStatus.EI),
    ("Chantier d'insertion Les Jardins du Lien (démo)", InclusiveStatus.ACI),
    ("Second Œuvre Solidaire, entreprise adaptée (démo)", InclusiveStatus.EA),
]
NETWORK_NAME = "Réseau Tremplin Accompagnement (démo)"
NAME_LENGTH = Organisation._meta.get_field("name").max_length


@dataclass
class DemoReport:
    sample: DecpSample
    selection: Selection
    organisations: UpsertResult
    accounts: list[AccountResult]
    real_inclusive: list[tuple[str, str]] = field(default_factory=list)  # (name, status)
    fictional_inclusive: list[tuple[str, str]] = field(default_factory=list)
    main_region: Region | None = None
    contract_changes: int = 0  # contracts created or updated by the import of the DECP samples

    @property
    def up_to_date(self) -> bool:
        changes = self.organisations.created + self.organisations.completed + self.contract_changes
        changes += sum(
            a.user_created + a.user_completed + a.password_reset + a.membership_created for a in self.accounts
        )
        return changes == 0


def tabular_path(data_dir: Path) -> Path:
    if not data_dir.is_dir():
        raise DemoError(
            f"Dossier de données introuvable : {data_dir}. "
            "Indiquez-le avec --data-dir ou la variable d'environnement TREMPLIN_DATA_DIR."
        )
    path = data_dir / TABULAR_SAMPLE
    if not path.is_file():
        raise DemoError(f"Fichier DECP introuvable : {path}.")
    return path


def _real_specs(sample: DecpSample, selection: Selection) -> list[OrganisationSpec]:
    specs = []
    for siret in dict.fromkeys(selection.buyers + selection.suppliers):
        buyer, holder = sample.buyers.get(siret), sample.holders.get(siret)
        party = buyer or holder
        specs.append(
            OrganisationSpec(
                siret=siret,
                name=party.name[:NAME_LENGTH],
                is_buyer=buyer is not None,
                is_supplier=holder is not None,
                buyer_type=infer_buyer_type(buyer.name) if buyer else "",
                inclusive_status=infer_inclusive_status(holder.name) if holder else "",
                company_category=holder.company_category if holder and sample.has_company_category else "",
                department_code=party.department_code,
            )
        )
    return specs


def _fictional_specs(department_code: str, inclusive_wanted: int) -> list[OrganisationSpec]:
    network = OrganisationSpec(
        siret=demo_siret(1), name=NETWORK_NAME, is_network=True, department_code=department_code,
        description=FICTIONAL_NOTE,
    )  # fmt: skip
    inclusive = [
        OrganisationSpec(
            siret=demo_siret(10 + index),
            name=name,
            is_supplier=True,
            inclusive_status=str(status),
            department_code=department_code,
            description=FICTIONAL_NOTE,
        )  # fmt: skip
        for index, (name, status) in enumerate(FICTIONAL_INCLUSIVE[:inclusive_wanted])
    ]
    return [network, *inclusive]


def _account_specs(orgs: dict, selection: Selection, region: Region | None) -> list[AccountSpec]:
    buyer, supplier, network = orgs[selection.main_buyer], orgs[selection.main_supplier], orgs[demo_siret(1)]

    def email(local: str) -> str:
        return f"{local}@{DEMO_DOMAIN}"

    return [
        AccountSpec("Agent acheteur", email("acheteur"), "Camille Acheteuse (démo)", buyer, Role.BUYER_AGENT),
        AccountSpec("Membre d'entreprise", email("entreprise"), "Dominique Artisan (démo)", supplier,
                    Role.COMPANY_MEMBER),
        AccountSpec("Facilitateur", email("facilitateur"), "Sacha Facilitateur (démo)", network, Role.FACILITATOR),
        AccountSpec("Médiateur", email("mediateur"), "Alex Médiateur (démo)", mediator_region=region),
        AccountSpec("Équipe plateforme", email("admin"), "Équipe Tremplin (démo)", is_staff=True, is_superuser=True),
        AccountSpec("Demande en attente", email("nouvel-agent"), "Noa Nouvel Agent (démo)", buyer, Role.BUYER_AGENT,
                    status=MembershipStatus.PENDING,
                    message="Je rejoins le service achats : merci de valider mon accès à l'espace acheteur."),
    ]  # fmt: skip


@transaction.atomic
def build_demo(data_dir: Path, reset_passwords: bool = False, top_buyers: int = 40) -> DemoReport:
    path = tabular_path(data_dir)
    try:
        sample = read_tabular(path)
    except (OSError, EOFError, UnicodeDecodeError, csv.Error, KeyError) as exc:
        raise DemoError(f"Fichier DECP illisible : {path} ({exc!r}).") from exc
    try:
        selection = select_subset(sample, top=top_buyers)
    except ValueError as exc:
        raise DemoError(str(exc)) from exc
    main = sample.buyers[selection.main_buyer]
    real = _real_specs(sample, selection)
    real_inclusive = [(spec.name, spec.inclusive_status) for spec in real if spec.inclusive_status]
    fictional = _fictional_specs(main.department_code, max(0, MIN_INCLUSIVE - len(real_inclusive)))
    specs = real + fictional
    organisations = upsert_organisations(specs)
    region = Region.objects.filter(code=main.region_code).first()
    password = DemoPassword()
    accounts = [
        ensure_account(spec, password, reset_password=reset_passwords)
        for spec in _account_specs(organisations.organisations, selection, region)
    ]
    return DemoReport(
        sample=sample,
        selection=selection,
        organisations=organisations,
        accounts=accounts,
        real_inclusive=real_inclusive,
        fictional_inclusive=[(spec.name, spec.inclusive_status) for spec in fictional if spec.inclusive_status],
        main_region=region,
    )
