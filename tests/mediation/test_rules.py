"""The pure rules: the transition table, who may do what, the choice of a mediator, deadlines, small-cell
suppression and the median."""

from datetime import date

import pytest

from tremplin.mediation import rules
from tremplin.mediation.rules import (
    ACCEPTED,
    AGREEMENT,
    DECLINED,
    FAILURE,
    FILED,
    FILING_PARTY,
    IN_MEDIATION,
    MEDIATOR,
    OTHER_PARTY,
    STAFF,
    WITHDRAWN,
    TransitionError,
)

# (status, action, roles) → the next status. Every allowed move of the workflow.
ALLOWED = [
    (FILED, "accept", {MEDIATOR}, ACCEPTED),
    (FILED, "decline", {MEDIATOR}, DECLINED),
    (ACCEPTED, "start", {MEDIATOR}, IN_MEDIATION),
    (ACCEPTED, "failure", {MEDIATOR}, FAILURE),
    (IN_MEDIATION, "agreement", {MEDIATOR}, AGREEMENT),
    (IN_MEDIATION, "failure", {MEDIATOR}, FAILURE),
    (FILED, "withdraw", {FILING_PARTY}, WITHDRAWN),
    (ACCEPTED, "withdraw", {FILING_PARTY}, WITHDRAWN),
    (IN_MEDIATION, "withdraw", {FILING_PARTY}, WITHDRAWN),
    (FILED, "accept", {MEDIATOR, STAFF}, ACCEPTED),
]


@pytest.mark.parametrize(("status", "action", "roles", "target"), ALLOWED)
def test_allowed_moves(status, action, roles, target):
    assert rules.next_status(status, action, roles, reason="Motif") == target
    assert action in rules.allowed_actions(status, roles)


# (status, action, roles) → the kind of refusal.
REFUSED = [
    (FILED, "accept", {FILING_PARTY}, "forbidden"),
    (FILED, "accept", {OTHER_PARTY}, "forbidden"),
    (FILED, "accept", {STAFF}, "forbidden"),
    (FILED, "accept", set(), "forbidden"),
    (FILED, "withdraw", {OTHER_PARTY}, "forbidden"),
    (FILED, "withdraw", {MEDIATOR}, "forbidden"),
    (IN_MEDIATION, "agreement", {FILING_PARTY, OTHER_PARTY}, "forbidden"),
    (FILED, "start", {MEDIATOR}, "stage"),
    (FILED, "agreement", {MEDIATOR}, "stage"),
    (ACCEPTED, "accept", {MEDIATOR}, "stage"),
    (ACCEPTED, "agreement", {MEDIATOR}, "stage"),
    (IN_MEDIATION, "decline", {MEDIATOR}, "stage"),
    (DECLINED, "accept", {MEDIATOR}, "stage"),
    (AGREEMENT, "failure", {MEDIATOR}, "stage"),
    (WITHDRAWN, "withdraw", {FILING_PARTY}, "stage"),
    (FAILURE, "start", {MEDIATOR}, "stage"),
    (FILED, "reopen", {MEDIATOR, STAFF}, "unknown"),
]


@pytest.mark.parametrize(("status", "action", "roles", "kind"), REFUSED)
def test_refused_moves(status, action, roles, kind):
    with pytest.raises(TransitionError) as refusal:
        rules.next_status(status, action, roles, reason="Motif")
    assert refusal.value.kind == kind
    assert action not in rules.allowed_actions(status, roles)


def test_a_decline_needs_a_reason_and_a_reason_has_a_length_limit():
    with pytest.raises(TransitionError, match="Indiquez le motif") as missing:
        rules.next_status(FILED, "decline", {MEDIATOR}, reason="   ")
    assert missing.value.kind == "reason"
    with pytest.raises(TransitionError, match="2000 caractères"):
        rules.next_status(IN_MEDIATION, "failure", {MEDIATOR}, reason="x" * 2001)
    assert rules.next_status(IN_MEDIATION, "failure", {MEDIATOR}) == FAILURE  # optional there


def test_the_french_messages_say_who_may_act():
    with pytest.raises(TransitionError, match="Seul\\(e\\) le médiateur du dossier"):
        rules.next_status(FILED, "accept", {FILING_PARTY})
    with pytest.raises(TransitionError, match="la partie qui a déposé la demande"):
        rules.next_status(FILED, "withdraw", {OTHER_PARTY})
    with pytest.raises(TransitionError, match="« Retirée »"):
        rules.next_status(WITHDRAWN, "withdraw", {FILING_PARTY})


def test_closed_cases_allow_no_action_to_anyone():
    everyone = {MEDIATOR, FILING_PARTY, OTHER_PARTY, STAFF}
    for status in rules.CLOSED_STATUSES:
        assert rules.allowed_actions(status, everyone) == []
    assert rules.allowed_actions(FILED, everyone) == ["accept", "decline", "withdraw"]
    assert rules.allowed_actions(IN_MEDIATION, {MEDIATOR}) == ["agreement", "failure"]


def test_every_transition_target_is_a_status_and_closing_ones_close():
    for transition in rules.TRANSITIONS.values():
        assert transition.target in rules.STATUS_LABELS
        assert transition.sources <= rules.OPEN_STATUSES
        assert transition.closes == (transition.target in rules.CLOSED_STATUSES)


@pytest.mark.parametrize(
    ("status", "roles", "expected"),
    [
        (FILED, {FILING_PARTY}, True),
        (IN_MEDIATION, {OTHER_PARTY}, True),
        (ACCEPTED, {MEDIATOR}, True),
        (IN_MEDIATION, {STAFF}, False),
        (AGREEMENT, {MEDIATOR, FILING_PARTY}, False),
        (WITHDRAWN, {OTHER_PARTY}, False),
        (FILED, set(), False),
    ],
)
def test_who_writes_in_a_case(status, roles, expected):
    assert rules.can_post_message(status, roles) is expected


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ({}, None),
        ({7: 3}, 7),
        ({7: 3, 4: 1, 9: 2}, 4),
        ({7: 2, 4: 2, 9: 5}, 4),  # tie: the lowest id, so that the choice is reproducible
        ({12: 0, 3: 0}, 3),
    ],
)
def test_the_mediator_with_the_fewest_open_cases_is_chosen(candidates, expected):
    assert rules.choose_mediator(candidates) == expected


FILED_ON = date(2025, 3, 3)


@pytest.mark.parametrize(
    ("status", "first_contact", "today", "state", "days_left"),
    [
        (FILED, None, date(2025, 3, 5), rules.PENDING, 5),
        (FILED, None, date(2025, 3, 10), rules.PENDING, 0),  # the 7th day is still in time
        (FILED, None, date(2025, 3, 11), rules.OVERDUE, -1),
        (ACCEPTED, date(2025, 3, 10), date(2025, 4, 1), rules.MET, None),
        (ACCEPTED, date(2025, 3, 12), date(2025, 4, 1), rules.MET_LATE, None),
        (WITHDRAWN, None, date(2025, 4, 1), rules.NOT_APPLICABLE, None),
    ],
)
def test_first_contact_deadline(status, first_contact, today, state, days_left):
    [deadline] = rules.case_deadlines(status, FILED_ON, first_contact, None, None, today)
    assert deadline.key == "first_contact"
    assert deadline.due == date(2025, 3, 10)
    assert (deadline.state, deadline.days_left) == (state, days_left)


def test_the_first_contact_delay_is_a_parameter():
    [deadline] = rules.case_deadlines(FILED, FILED_ON, None, None, None, date(2025, 3, 5), first_contact_days=2)
    assert deadline.due == date(2025, 3, 5)
    assert deadline.label == "Premier contact du médiateur (sous 2 jours)"


def test_the_end_of_mediation_deadline_appears_once_the_mediation_opens():
    started = date(2025, 3, 12)
    deadlines = rules.case_deadlines(IN_MEDIATION, FILED_ON, date(2025, 3, 4), started, None, date(2025, 7, 1), 7, 90)
    assert [d.key for d in deadlines] == ["first_contact", "mediation_end"]
    assert deadlines[1].due == date(2025, 6, 10)
    assert deadlines[1].state == rules.OVERDUE
    closed = rules.case_deadlines(AGREEMENT, FILED_ON, date(2025, 3, 4), started, date(2025, 5, 2), date(2025, 7, 1))
    assert (closed[1].state, closed[1].done_on) == (rules.MET, date(2025, 5, 2))
    withdrawn = rules.case_deadlines(WITHDRAWN, FILED_ON, date(2025, 3, 4), started, date(2025, 5, 2), date(2025, 7, 1))
    assert withdrawn[1].state == rules.NOT_APPLICABLE


LABELS = {"a": "A", "b": "B", "c": "C", "d": "D"}


@pytest.mark.parametrize(
    ("counts", "total_shown", "expected"),
    [
        ({"a": 5, "b": 4, "c": 3, "d": 10}, True, {"a": 5, "b": 4, "c": 3, "d": 10}),
        ({"a": 5, "b": 0, "c": 3, "d": 10}, True, {"a": 5, "b": None, "c": 3, "d": 10}),  # zero: nothing to hide
        # one cell of 1 would be total − the others: the smallest other one goes too
        ({"a": 5, "b": 1, "c": 3, "d": 10}, True, {"a": 5, "b": None, "c": None, "d": 10}),
        ({"a": 5, "b": 1, "c": 2, "d": 10}, True, {"a": 5, "b": None, "c": None, "d": 10}),
        ({"a": 5, "b": 1, "c": 3, "d": 10}, False, {"a": 5, "b": None, "c": 3, "d": 10}),
        ({"a": 2}, True, {"a": None, "b": None, "c": None, "d": None}),
    ],
)
def test_small_cells_are_suppressed(counts, total_shown, expected):
    cells = rules.suppress_small_cells(counts, LABELS, total_shown)
    assert [cell.key for cell in cells] == list(LABELS)
    assert {cell.key: cell.count for cell in cells} == expected
    assert all(cell.suppressed == (cell.count is None) for cell in cells)


@pytest.mark.parametrize(
    ("durations", "expected"),
    [([], None), ([4, 10], None), ([4, 10, 30], 10.0), ([40, 4, 10, 30], 20.0)],
)
def test_median_duration_needs_three_cases(durations, expected):
    assert rules.median_days(durations) == expected


def test_totals_under_three_are_suppressed():
    assert [rules.suppressed_total(n) for n in (0, 2, 3, 40)] == [None, None, 3, 40]
