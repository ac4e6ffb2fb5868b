"""`tremplin demo` on the real DECP sample of settings.TREMPLIN_DATA_DIR."""

import csv
import gzip
from collections import defaultdict
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from tremplin.accounts.models import User
from tremplin.demo.decp import TABULAR_SAMPLE
from tremplin.demo.people import DEMO_PASSWORD
from tremplin.organisations.models import Membership, Organisation, Role
from tremplin.organisations.rules import is_valid_siret
from tremplin.referentials.models import Department, Region

pytestmark = pytest.mark.django_db

ROLE_EMAILS = [f"{who}@demo.tremplin.fr" for who in ("acheteur", "entreprise", "facilitateur", "mediateur", "admin")]
SEM_AIN = "75920075100130"  # the buyer with the most contracts in the sample (Ain, region 84)
DOMOFRANCE = "45820496300029"  # second busiest (Gironde, region 75)


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True  # pytest-django runs with DEBUG off, which the command refuses


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    with gzip.open(Path(settings.TREMPLIN_DATA_DIR) / TABULAR_SAMPLE, "rt", encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


@pytest.fixture
def some_geography():
    """Two regions and two departments, as load_referentials would create them."""
    for region, name, department, department_name in [
        ("84", "Auvergne-Rhône-Alpes", "01", "Ain"),
        ("75", "Nouvelle-Aquitaine", "33", "Gironde"),
    ]:
        Region.objects.create(code=region, name=name, search_text=name.lower())
        Department.objects.create(code=department, name=department_name, region_id=region, search_text=department_name)


def run(*args, contracts: bool = False) -> str:
    """The demo command; without the import of the DECP contracts unless asked (tested on its own below)."""
    out = StringIO()
    call_command("demo", *args, *([] if contracts else ["--skip-contracts"]), stdout=out)
    return out.getvalue()


def counts() -> tuple[int, int, int]:
    return Organisation.objects.count(), User.objects.count(), Membership.objects.count()


def test_builds_real_buyers_and_suppliers(rows, some_geography):
    output = run()

    contracts = defaultdict(set)
    for row in rows:
        contracts[row["acheteur_id"]].add(row["uid"])
    busiest = max((s for s in contracts if is_valid_siret(s)), key=lambda s: len(contracts[s]))
    buyers, suppliers = Organisation.objects.buyers(), Organisation.objects.suppliers()
    assert buyers.count() >= 40
    assert suppliers.count() >= 300
    assert all(is_valid_siret(siret) for siret in Organisation.objects.values_list("siret", flat=True))
    published = {row["acheteur_id"] for row in rows} | {row["titulaire_id"] for row in rows}
    real = Organisation.objects.exclude(name__contains="(démo)")
    assert set(real.values_list("siret", flat=True)) <= published
    assert all(name == " ".join(name.split()) for name in real.values_list("name", flat=True))
    assert not buyers.filter(buyer_type="").exists()

    region_of = {row["acheteur_id"]: row["acheteur_region_code"] for row in rows}
    all_regions = {code for siret, code in region_of.items() if code and is_valid_siret(siret)}
    assert {region_of[siret] for siret in buyers.values_list("siret", flat=True)} >= all_regions

    sem = Organisation.objects.get(siret=SEM_AIN)
    assert sem.siret == busiest
    assert (sem.is_buyer, sem.buyer_type, sem.department_id) == (True, "entreprise_publique", "01")
    assert Organisation.objects.get(siret=DOMOFRANCE).department_id == "33"
    assert not Organisation.objects.exclude(department_id__in=["01", "33"]).filter(department__isnull=False).exists()
    assert "départements absents de la base" in output

    esat = Organisation.objects.get(name="UNAPEI 66 (ESAT L ENVOL)")
    assert (esat.is_supplier, esat.inclusive_status) == (True, "ESAT")
    fictional = Organisation.objects.filter(name__contains="(démo)", is_supplier=True)
    assert sorted(fictional.values_list("inclusive_status", flat=True)) == ["ACI", "EI"]
    assert "UNAPEI 66 (ESAT L ENVOL) [ESAT]" in output
    assert not suppliers.exclude(company_category="").exists()
    assert "pas de colonne titulaire_categorie" in output
    assert "SIRET" in output and "identifiant absent" in output


def test_one_account_per_role_can_log_in(client, some_geography):
    output = run()

    for email in ROLE_EMAILS:
        assert client.login(username=email, password=DEMO_PASSWORD), email
        assert User.objects.get(email=email).email_verified_at is not None
        assert email in output
    assert DEMO_PASSWORD in output

    active = Membership.objects.active()
    agent = active.get(user__email="acheteur@demo.tremplin.fr")
    assert (agent.role, agent.organisation.siret) == (Role.BUYER_AGENT, SEM_AIN)
    member = active.get(user__email="entreprise@demo.tremplin.fr")
    assert member.role == Role.COMPANY_MEMBER and member.organisation.is_supplier
    facilitator = active.get(user__email="facilitateur@demo.tremplin.fr")
    assert facilitator.role == Role.FACILITATOR and facilitator.organisation.is_network
    assert "(démo)" in facilitator.organisation.name
    assert User.objects.get(email="mediateur@demo.tremplin.fr").mediator_region_id == "84"
    admin = User.objects.get(email="admin@demo.tremplin.fr")
    assert admin.is_staff and admin.is_superuser
    pending = Membership.objects.pending().get()
    assert pending.organisation.siret == SEM_AIN and pending.user.email == "nouvel-agent@demo.tremplin.fr"


def test_second_run_creates_nothing(some_geography):
    run()
    before = counts()
    output = run()

    assert counts() == before
    assert "Démo déjà à jour" in output
    assert "0 créées, 0 complétées" in output
    assert "acheteur@demo.tremplin.fr" in output  # the accounts table is printed every time


def test_existing_data_is_completed_not_overwritten(client):
    Organisation.objects.create(siret=SEM_AIN, name="SEM de l'Ain (nom saisi)", is_supplier=True)
    run()
    user = User.objects.get(email="entreprise@demo.tremplin.fr")
    user.set_password("mon-propre-mot-de-passe")
    user.save()

    output = run()

    sem = Organisation.objects.get(siret=SEM_AIN)
    assert (sem.name, sem.is_supplier, sem.is_buyer, sem.buyer_type) == (
        "SEM de l'Ain (nom saisi)",
        True,
        True,
        "entreprise_publique",
    )
    assert "Démo déjà à jour" in output
    assert client.login(username="entreprise@demo.tremplin.fr", password="mon-propre-mot-de-passe")

    run("--reset-passwords")
    assert client.login(username="entreprise@demo.tremplin.fr", password=DEMO_PASSWORD)


def test_without_reference_data_it_warns_then_completes_later():
    output = run()

    assert not Organisation.objects.filter(department__isnull=False).exists()
    assert User.objects.get(email="mediateur@demo.tremplin.fr").mediator_region is None
    assert "tremplin load_referentials" in output

    Region.objects.create(code="84", name="Auvergne-Rhône-Alpes", search_text="auvergne-rhone-alpes")
    Department.objects.create(code="01", name="Ain", region_id="84", search_text="ain")
    output = run()

    assert Organisation.objects.get(siret=SEM_AIN).department_id == "01"
    assert User.objects.get(email="mediateur@demo.tremplin.fr").mediator_region_id == "84"
    assert "Démo prête" in output


def test_refuses_when_debug_is_off_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        run()
    assert counts() == (0, 0, 0)

    run("--force")
    assert Organisation.objects.exists()


def test_missing_data_dir_is_a_clear_error(tmp_path):
    missing = tmp_path / "nulle-part"
    with pytest.raises(CommandError, match="Dossier de données introuvable") as error:
        run("--data-dir", str(missing))
    assert str(missing) in str(error.value)

    with pytest.raises(CommandError, match="Fichier DECP introuvable") as error:
        run("--data-dir", str(tmp_path))
    assert str(tmp_path / TABULAR_SAMPLE) in str(error.value)


def test_unreadable_sample_is_a_clear_error(tmp_path):
    broken = tmp_path / TABULAR_SAMPLE
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"ceci n'est pas du gzip")

    with pytest.raises(CommandError, match="Fichier DECP illisible") as error:
        run("--data-dir", str(tmp_path))
    assert str(broken) in str(error.value)


def test_imports_the_real_contracts_through_the_importer(some_geography, tmp_path, monkeypatch):
    from tremplin.contracts.models import Contract, ContractHolder, SourceFile
    from tremplin.observatory import snapshot

    monkeypatch.setattr(snapshot, "SNAPSHOT_PATH", tmp_path / "snapshot.duckdb")
    # A smaller data folder than the real one (same layout): the tabular sample, one 2019 and one 2024 file.
    data = Path(settings.TREMPLIN_DATA_DIR)
    for relative in (
        TABULAR_SAMPLE,
        Path("decp/real/format_2019/marches-securises_ville-de-croix_2019-2021.json"),
        Path("decp/real/format_2024/megalis_decp-59920013600241-2024-07-09-01.json"),
    ):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).symlink_to(data / relative)

    def run(*args, contracts=True):
        out = StringIO()
        call_command("demo", "--data-dir", str(tmp_path), stdout=out)
        return out.getvalue()

    output = run(contracts=True)

    assert "Démo prête" in output and "Marchés : " in output
    # The real samples: 2019, 2024 and tabular files, through the importer (one source per file).
    assert set(SourceFile.objects.values_list("status", flat=True)) == {"done"}
    assert Contract.objects.count() == 7_274 + 124 + 5  # tabular contracts (by uid, date, amount), Croix, Megalis
    assert set(Contract.objects.values_list("format", flat=True)) == {"2019", "2024", "tabular"}
    # The demo's organisations and the importer's are the same rows, by SIRET.
    sem = Organisation.objects.get(siret=SEM_AIN)
    assert sem.buyer_type == "entreprise_publique" and sem.contracts_bought.count() > 10
    assert Organisation.objects.filter(siret=SEM_AIN).count() == 1
    assert ContractHolder.objects.filter(organisation__isnull=False).exists()
    assert all(is_valid_siret(siret) for siret in Organisation.objects.values_list("siret", flat=True))
    assert (tmp_path / "snapshot.duckdb").exists()

    before = (Contract.objects.count(), ContractHolder.objects.count(), Organisation.objects.count())
    output = run(contracts=True)
    assert (Contract.objects.count(), ContractHolder.objects.count(), Organisation.objects.count()) == before
    assert "déjà importés (non relus)" in output and "Marchés : 0 créé, 0 mis à jour" in output
    assert "Démo déjà à jour" in output
