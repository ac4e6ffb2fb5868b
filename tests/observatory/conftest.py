"""The observatory's test data: five contracts whose every indicator is computed by hand in the tests.

| contract | buyer | date       | amount (€)      | territory | CPV      | procedure         | offers | holders       |
|----------|-------|------------|-----------------|-----------|----------|-------------------|--------|---------------|
| c1       | lyon  | 2023-05-10 | 100 000         | 69 / 84   | 45210000 | Appel d'offres o. | 1      | alpha         |
| c2       | lyon  | 2024-02-20 | 200 000         | 69 / 84   | 45214200 | Procédure adaptée | 3      | alpha + gamma |
| c3       | paris | 2024-06-01 | 300 000         | 75 / 11   | 09310000 | Appel d'offres o. | 2      | beta          |
| c4       | paris | 2024-11-30 | 5 000 000 000 ⚠ | 75 / 11   | 60112000 | Procédure adaptée | —      | delta         |
| c5       | lyon  | 2024-07-14 | 400 000         | unknown   | 45000000 | Marché négocié…   | 1      | a foreign co. |

⚠ suspicious amount (and flagged). c5 is a framework agreement (« Accord-cadre »), the others « Marché ».
Holders: alpha micro in 69; gamma PME and ESAT in 42 (region 84); beta GE in 75; delta size unknown in 13
(region 93); the foreign company (BE identifier) is not in the directory.
"""

import datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import BuyerFactory, OrganisationFactory
from tests.referentials.fixtures import small_referentials  # noqa: F401
from tremplin.observatory import snapshot

NEGOTIATED = "Marché négocié sans publicité ni mise en concurrence préalable"


@pytest.fixture(autouse=True)
def snapshot_in_tmp(tmp_path, monkeypatch):
    """Each test gets its own snapshot file, checked for freshness on every use."""
    monkeypatch.setattr(snapshot, "SNAPSHOT_PATH", tmp_path / "observatory" / "snapshot.duckdb")
    monkeypatch.setattr(snapshot, "CHECK_INTERVAL", 0.0)
    monkeypatch.setattr(snapshot, "BACKGROUND_REFRESH", False)
    snapshot.forget()
    yield
    snapshot.forget()


@pytest.fixture
def dataset(small_referentials):  # noqa: F811
    deps = small_referentials.departments
    lyon = BuyerFactory(name="Ville de Lyon", department=deps["69"])
    paris = BuyerFactory(name="Ville de Paris", department=deps["75"])
    alpha = OrganisationFactory(name="Alpha BTP", declared_size_category="micro", department=deps["69"])
    gamma = OrganisationFactory(
        name="Atelier Gamma", declared_size_category="pme", inclusive_status="ESAT", department=deps["42"]
    )
    beta = OrganisationFactory(name="Bêta Construction", declared_size_category="ge", department=deps["75"])
    delta = OrganisationFactory(name="Delta Services", department=deps["13"])

    def contract(name, buyer, day, amount, territory, cpv, procedure, offers, holders, **extra):
        department, region = territory
        created = ContractFactory(
            buyer=buyer,
            decp_id=name.upper(),
            object=f"Marché {name}",
            notification_date=day,
            amount_initial=Decimal(amount),
            territory_department=department,
            territory_region=region,
            territory_source="execution" if department else "unknown",
            cpv=cpv,
            procedure=procedure,
            offers_received=offers,
            **extra,
        )
        for position, holder in enumerate(holders):
            if isinstance(holder, str):
                ContractHolderFactory(
                    contract=created, identifier=holder, id_type="TVA", name="BRUXELLES BATI SA", position=position
                )
            else:
                ContractHolderFactory(contract=created, organisation=holder, position=position)
        return created

    c1 = contract("c1", lyon, datetime.date(2023, 5, 10), "100000", ("69", "84"), "45210000",
                  "Appel d'offres ouvert", 1, [alpha])  # fmt: skip
    c2 = contract("c2", lyon, datetime.date(2024, 2, 20), "200000", ("69", "84"), "45214200",
                  "Procédure adaptée", 3, [alpha, gamma])  # fmt: skip
    c3 = contract("c3", paris, datetime.date(2024, 6, 1), "300000", ("75", "11"), "09310000",
                  "Appel d'offres ouvert", 2, [beta])  # fmt: skip
    c4 = contract("c4", paris, datetime.date(2024, 11, 30), "5000000000", ("75", "11"), "60112000",
                  "Procédure adaptée", None, [delta], amount_suspicious=True,
                  flags=[{"code": "amount_outlier", "message": "Montant hors norme"}])  # fmt: skip
    c5 = contract("c5", lyon, datetime.date(2024, 7, 14), "400000", ("", ""), "45000000",
                  NEGOTIATED, 1, ["BE0123456789"], nature="Accord-cadre")  # fmt: skip
    return SimpleNamespace(
        lyon=lyon, paris=paris, alpha=alpha, gamma=gamma, beta=beta, delta=delta,
        c1=c1, c2=c2, c3=c3, c4=c4, c5=c5, refs=small_referentials,
    )  # fmt: skip
