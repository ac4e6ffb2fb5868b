"""Pure rules of saved searches: due dates, windows, typed codes, criteria, the digest plan (never twice)."""

import datetime

import pytest

from tremplin.alerts import rules
from tremplin.alerts.rules import Criteria, CriteriaError
from tremplin.matching.types import FORECAST, LOT, NOTICE, OPPORTUNITY_KINDS, OpportunityMatch, OpportunityQuery

NOW = datetime.datetime(2026, 5, 4, 7, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)
D = datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("frequency", "last_sent", "due"),
    [
        (rules.DAILY, None, True),
        (rules.DAILY, NOW - 20 * H, True),
        (rules.DAILY, NOW - 19 * H, False),
        (rules.DAILY, NOW - 3 * D, True),
        (rules.WEEKLY, None, True),
        (rules.WEEKLY, NOW - 6 * D, True),
        (rules.WEEKLY, NOW - 5 * D, False),
        (rules.WEEKLY, NOW - 20 * H, False),
    ],
)
def test_a_search_is_due_once_its_interval_has_passed(frequency, last_sent, due):
    assert rules.is_due(frequency, last_sent, NOW) is due


@pytest.mark.parametrize(
    ("frequency", "last_sent", "start"),
    [
        (rules.DAILY, None, NOW - 10 * D - D),  # first digest: the day before the search was created
        (rules.WEEKLY, None, NOW - 10 * D - 7 * D),
        (rules.DAILY, NOW - D, NOW - D - H),  # then from the previous e-mail, with one hour of overlap
    ],
)
def test_the_window_starts_at_the_previous_email(frequency, last_sent, start):
    assert rules.window_start(frequency, NOW - 10 * D, last_sent) == start


def test_after_a_cut_email_the_window_does_not_move():
    assert rules.window_start(rules.DAILY, NOW - 10 * D, NOW - H, pending_since=NOW - 3 * D) == NOW - 3 * D


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        ("", []),
        (None, []),
        ("45421000", ["45421000"]),
        ("45421000-4, 45000000-7;4500000", ["45421000", "45000000"]),
        ("452 100 00", ["45210000"]),
        (["45421000", "72000000 30000000"], ["45421000", "72000000", "30000000"]),
    ],
)
def test_cpv_lists_are_read_in_every_accepted_form(raw, codes):
    assert rules.parse_cpv_list(raw) == codes


@pytest.mark.parametrize("raw", ["4", "45A", "1234567890", "45000000-77"])
def test_a_bad_cpv_code_is_refused_in_french(raw):
    with pytest.raises(CriteriaError, match="Code CPV invalide"):
        rules.parse_cpv_list(raw)


@pytest.mark.parametrize(
    ("raw", "codes"),
    [("69, 1 2a;2B", ["69", "01", "2A", "2B"]), ("974 69 69", ["974", "69"]), ("", [])],
)
def test_department_lists(raw, codes):
    assert rules.parse_department_list(raw) == codes


@pytest.mark.parametrize("raw", ["699", "Rhône", "2C", "100"])
def test_a_bad_department_is_refused_in_french(raw):
    with pytest.raises(CriteriaError, match="Code de département invalide"):
        rules.parse_department_list(raw)


@pytest.mark.parametrize(
    ("raw", "kinds"),
    [
        (["avis"], [NOTICE]),
        (["lot,prevision"], [FORECAST, LOT]),
        (["notice", "bidule"], [NOTICE]),
        ([], []),
    ],
)
def test_kinds_from_prefill_links(raw, kinds):
    assert rules.parse_kinds(raw) == kinds


def test_min_above_max_is_refused():
    rules.check_amounts(10, 10)
    rules.check_amounts(None, 5)
    with pytest.raises(CriteriaError, match="minimum dépasse"):
        rules.check_amounts(11, 10)


def test_criteria_become_a_matching_query():
    criteria = Criteria(text=" bois ", cpv=("45421000",), departments=("69",), kinds=(), max_amount=90000)
    assert criteria.to_query() == OpportunityQuery(
        text="bois", cpv=("45421000",), departments=("69",), kinds=OPPORTUNITY_KINDS, max_amount=90000
    )


@pytest.mark.parametrize(
    ("criteria", "lines"),
    [
        (Criteria(), ["Toutes les opportunités ouvertes"]),
        (
            Criteria(text="bois", cpv=("45421000",), departments=("69", "01"), kinds=(NOTICE,)),
            ["Mots : bois", "CPV : 45421000", "Départements : 69, 01", "Types : avis BOAMP et TED"],
        ),
        (Criteria(min_amount=40000), ["Montant estimé : au moins 40\u202f000 € HT"]),
        (Criteria(min_amount=1000, max_amount=2000), ["Montant estimé : de 1\u202f000 € à 2\u202f000 € HT"]),
    ],
)
def test_criteria_in_plain_french(criteria, lines):
    assert criteria.describe() == lines


def test_criteria_from_a_profile_query_keep_what_a_search_holds():
    query = OpportunityQuery(text="menuiserie", cpv=("45421000",), regions=("84",), national=True, radius_km=50)
    assert rules.criteria_from_query(query) == Criteria(text="menuiserie", cpv=("45421000",), regions=("84",))


def item(item_id):
    kind, pk = item_id.split(":")
    return OpportunityMatch(id=item_id, kind=kind, pk=int(pk), title=item_id, score=1.0)


def test_the_digest_plan_gives_each_item_once_and_skips_what_was_sent():
    plan = rules.plan_digest(
        [
            ("A", [item("lot:1"), item("notice:2"), item("forecast:3")]),
            ("B", [item("notice:2"), item("notice:4")]),
            ("C", [item("lot:1")]),
        ],
        already_sent={"forecast:3"},
    )
    assert [(name, [m.id for m in matches]) for name, matches in plan] == [
        ("A", ["lot:1", "notice:2"]),
        ("B", ["notice:4"]),
    ]


def test_the_digest_plan_is_empty_when_everything_was_sent():
    assert rules.plan_digest([("A", [item("lot:1")])], {"lot:1"}) == []


@pytest.mark.parametrize(
    ("raw", "codes"),
    [
        ("45421000 45000000", ["45421000", "45000000"]),
        ("452 100 00, 45 00 00 00-7", ["45210000", "45000000"]),
        ("45.421.000", ["45421000"]),
    ],
)
def test_spaces_separate_cpv_codes_unless_they_are_inside_one(raw, codes):
    assert rules.parse_cpv_list(raw) == codes


def test_searches_are_ordered_by_name_accents_ignored():
    names = ["Voirie", "Écoles", "eau", "École"]
    assert sorted(names, key=lambda name: rules.name_order(name, 1)) == ["eau", "École", "Écoles", "Voirie"]
