"""Clause uptake: the status rule (yes / no / not reported), the counts in the snapshot and the forecasts.

| contract | format  | notified   | territory | CPV | social                        | environmental             |
|----------|---------|------------|-----------|-----|-------------------------------|---------------------------|
| k1 (2 h.)| 2024    | 2024-03-01 | 69 / 84   | 45  | Clause sociale                | —  (no)                   |
| k2       | 2024    | 2024-05-01 | 69 / 84   | 45  | — (no)                        | Critère environnemental   |
| k3       | 2024    | 2024-06-01 | 75 / 11   | 09  | Marché réservé, Critère social| Clause environnementale   |
| k4       | 2019    | 2023-02-01 | 75 / 11   | 45  | not reported                  | not reported              |
| k5       | tabular | 2023-06-01 | 69 / 84   | 45  | not reported                  | not reported              |
| k6       | tabular | 2024-02-01 | 75 / 11   | 45  | no                            | no                        |
| k7       | 2019    | 2023-09-01 | 69 / 84   | 45  | Clause sociale                | not reported              |
"""

import datetime

import pytest

from tests.contracts.factories import ContractFactory, ContractHolderFactory
from tests.factories import OrganisationFactory
from tests.opportunities.factories import ForecastFactory
from tremplin.observatory import clause_stats
from tremplin.observatory.clause_stats import consideration_status
from tremplin.observatory.filters import Filters

D = datetime.date


@pytest.mark.parametrize(
    "values, contract_format, notified, expected",
    [
        (["Clause sociale"], "2024", D(2024, 5, 1), 1),
        ('["Critère social"]', "2019", D(2020, 1, 1), 1),  # stored as JSON text (SQLite): a value is a value
        ([], "2024", D(2024, 5, 1), 0),
        ("[]", "2022", None, 0),  # the same format, named after its arrêté
        ([], "2019", D(2024, 5, 1), None),  # the 2019 format has no such field: not reported, never "no"
        (None, "", None, None),
        ([], "tabular", D(2023, 12, 31), None),
        ([], "tabular", D(2024, 1, 1), 0),
        ([], "tabular", None, None),
        (["", None], "2019", None, None),
    ],
)
def test_consideration_status(values, contract_format, notified, expected):
    assert consideration_status(values, contract_format, notified) == expected


@pytest.fixture
def clause_contracts(small_referentials):
    def contract(name, fmt, day, territory, cpv, social, environmental, holders=1):
        created = ContractFactory(
            decp_id=name.upper(),
            format=fmt,
            notification_date=day,
            territory_department=territory[0],
            territory_region=territory[1],
            cpv=cpv,
            social_considerations=social,
            environmental_considerations=environmental,
        )
        for position in range(holders):
            ContractHolderFactory(contract=created, organisation=OrganisationFactory(), position=position)
        return created

    lyon, paris = ("69", "84"), ("75", "11")
    return [
        contract("k1", "2024", D(2024, 3, 1), lyon, "45210000", ["Clause sociale"], [], holders=2),
        contract("k2", "2024", D(2024, 5, 1), lyon, "45210000", [], ["Critère environnemental"]),
        contract(
            "k3",
            "2024",
            D(2024, 6, 1),
            paris,
            "09310000",
            ["Marché réservé", "Critère social"],
            ["Clause environnementale"],
        ),  # fmt: skip
        contract("k4", "2019", D(2023, 2, 1), paris, "45210000", [], []),
        contract("k5", "tabular", D(2023, 6, 1), lyon, "45210000", [], []),
        contract("k6", "tabular", D(2024, 2, 1), paris, "45210000", [], []),
        contract("k7", "2019", D(2023, 9, 1), lyon, "45210000", ["Clause sociale"], []),
    ]


def counts(uptake):
    return (
        uptake.contracts,
        uptake.social_yes,
        uptake.social_known,
        uptake.environmental_yes,
        uptake.environmental_known,
    )


@pytest.mark.django_db
def test_total_keeps_not_reported_apart(clause_contracts):
    total = clause_stats.contract_uptake(Filters())["total"]
    assert counts(total) == (7, 3, 5, 2, 4)  # k1 has two holders and still counts once
    assert (total.social_rate, total.environmental_rate) == (0.6, 0.5)
    assert (total.social_unknown, total.environmental_unknown) == (2, 3)
    assert total.as_dict()["social"] == {"yes": 3, "no": 2, "unknown": 2, "rate": 0.6}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "by, expected",
    [
        ("year", {"2023": (3, 1, 1, 0, 0), "2024": (4, 2, 4, 2, 4)}),
        ("region", {"11": (3, 1, 2, 1, 2), "84": (4, 2, 3, 1, 2)}),
        ("department", {"69": (4, 2, 3, 1, 2), "75": (3, 1, 2, 1, 2)}),
        ("cpv_division", {"09": (1, 1, 1, 1, 1), "45": (6, 2, 4, 1, 3)}),
    ],
)
def test_grouped(clause_contracts, by, expected):
    rows = clause_stats.contract_uptake(Filters(), by)["rows"]
    assert {row.key: counts(row) for row in rows} == expected
    if by == "year":
        assert rows[0].environmental_rate is None  # nothing reported in 2023: no rate rather than 0 %
    if by == "region":
        assert {row.key: row.label for row in rows} == {"11": "Île-de-France (11)", "84": "Auvergne-Rhône-Alpes (84)"}


@pytest.mark.django_db
def test_filters_apply(clause_contracts):
    assert counts(clause_stats.contract_uptake(Filters(year=2024, region="84"))["total"]) == (2, 1, 2, 1, 2)
    assert counts(clause_stats.contract_uptake(Filters(cpv="09"))["total"]) == (1, 1, 1, 1, 1)
    holder = clause_contracts[0].holders.order_by("position").last().organisation
    assert counts(clause_stats.contract_uptake(Filters(holder=holder.siret))["total"]) == (1, 1, 1, 0, 1)
    with pytest.raises(ValueError):
        clause_stats.contract_uptake(Filters(), "holder")


@pytest.mark.django_db
def test_forecasts(small_referentials):
    ForecastFactory(social_considerations=True, environmental_considerations=True)
    ForecastFactory(social_considerations=True)
    ForecastFactory()
    ForecastFactory(status="draft", social_considerations=True, published_at=None)  # drafts are not counted
    ForecastFactory(social_considerations=True, departments=["75"])
    total = clause_stats.forecast_uptake(Filters())["total"]
    assert counts(total) == (4, 3, 4, 1, 4)
    assert counts(clause_stats.forecast_uptake(Filters(department="69"))["total"]) == (3, 2, 3, 1, 3)
    assert counts(clause_stats.forecast_uptake(Filters(region="11"))["total"]) == (1, 1, 1, 0, 1)
    assert clause_stats.forecast_uptake(Filters(year=2001))["total"].social_rate is None


@pytest.mark.django_db
def test_one_scan_gives_the_same_as_each_grouping(clause_contracts):
    every = clause_stats.contract_uptake_all(Filters(year=2024))
    assert (
        counts(every["total"]) == counts(clause_stats.contract_uptake(Filters(year=2024))["total"]) == (4, 2, 4, 2, 4)
    )
    for by in clause_stats.BY_CHOICES:
        assert every[by] == clause_stats.contract_uptake(Filters(year=2024), by)["rows"]
    assert [row.key for row in every["year"]] == ["2024"]
