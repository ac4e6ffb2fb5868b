"""The pure rules: opportunity identifiers, answers and their timestamps, message bodies, CSV cells."""

from datetime import datetime, timedelta

import pytest

from tremplin.interests import rules
from tremplin.interests.rules import Answer, RuleError

T0 = datetime(2026, 5, 4, 10, 0)
T1 = T0 + timedelta(days=1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("forecast:12", ("forecast", 12)),
        ("lot:5", ("lot", 5)),
        ("notice:7", ("notice", 7)),
        (" notice : 7 ", ("notice", 7)),
    ],
)
def test_opportunity_identifiers(value, expected):
    assert rules.parse_opportunity(value) == expected


@pytest.mark.parametrize("value", ["", "forecast", "forecast:", "forecast:abc", "fair:3", "forecast:-1", None])
def test_malformed_opportunity_identifiers_are_refused_in_french(value):
    with pytest.raises(RuleError, match="mal formée"):
        rules.parse_opportunity(value)


FOLLOWED = Answer(followed_at=T0)
INTERESTED = Answer(followed_at=T0, interested_at=T0)
NOT_INTERESTED = Answer(not_interested_at=T0, reason="too_far")


@pytest.mark.parametrize(
    ("before", "action", "reason", "details", "after"),
    [
        (Answer(), "follow", "", "", Answer(followed_at=T1)),
        (FOLLOWED, "follow", "", "", FOLLOWED),  # the first follow date is kept
        (FOLLOWED, "unfollow", "", "", Answer()),
        (INTERESTED, "unfollow", "", "", Answer(interested_at=T0)),  # unfollowing keeps the answer
        (Answer(), "interested", "", "", Answer(followed_at=T1, interested_at=T1)),  # interest follows
        (NOT_INTERESTED, "interested", "", "", Answer(followed_at=T1, interested_at=T1)),  # a change of mind
        (INTERESTED, "not_interested", "timing", "", Answer(followed_at=T0, not_interested_at=T1, reason="timing")),
        (Answer(), "not_interested", "too_large", "ignored", Answer(not_interested_at=T1, reason="too_large")),
        (
            Answer(),
            "not_interested",
            "other",
            " Trop tôt ",
            Answer(not_interested_at=T1, reason="other", details="Trop tôt"),
        ),
    ],
)
def test_answers(before, action, reason, details, after):
    assert rules.apply(before, action, T1, reason, details) == after


@pytest.mark.parametrize(
    ("action", "reason", "details", "field", "message"),
    [
        ("like", "", "", "action", "Action inconnue"),
        ("not_interested", "", "", "reason", "Indiquez pourquoi"),
        ("not_interested", "bored", "", "reason", "Raison inconnue"),
        ("not_interested", "other", "  ", "details", "Précisez la raison"),
        ("not_interested", "timing", "x" * 501, "details", "500 caractères"),
    ],
)
def test_refused_answers(action, reason, details, field, message):
    assert message in rules.answer_errors(action, reason, details)[field]
    with pytest.raises(RuleError, match=message):
        rules.apply(Answer(), action, T1, reason, details)


def test_states():
    assert [a.state for a in (Answer(), FOLLOWED, INTERESTED, NOT_INTERESTED)] == [
        "",
        "",
        "interested",
        "not_interested",
    ]
    assert rules.may_start_thread(INTERESTED) and not rules.may_start_thread(NOT_INTERESTED)
    assert not rules.may_start_thread(FOLLOWED)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("  Bonjour  ", "Bonjour"),
        ("Ligne 1\r\nLigne 2\rLigne 3", "Ligne 1\nLigne 2\nLigne 3"),
        ("x" * rules.MAX_MESSAGE, "x" * rules.MAX_MESSAGE),
    ],
)
def test_message_bodies(body, expected):
    assert rules.clean_message(body) == expected


@pytest.mark.parametrize(
    ("body", "message"), [("", "Écrivez votre message"), (" \n ", "Écrivez"), ("x" * 5001, "Message trop long")]
)
def test_refused_message_bodies(body, message):
    with pytest.raises(RuleError, match=message):
        rules.clean_message(body)


@pytest.mark.parametrize(
    ("value", "expected"), [("=SOMME(A1)", "'=SOMME(A1)"), ("+33", "'+33"), ("@x", "'@x"), ("Durand", "Durand")]
)
def test_csv_cells_are_not_formulas(value, expected):
    assert rules.csv_safe(value) == expected


def test_a_reserved_lot_says_so_in_the_interest_form():
    from tremplin.interests.forms import lot_label
    from tremplin.opportunities.models import Lot

    assert lot_label(Lot(number=2, title="Espaces verts", reservation="L2113-13")) == (
        "Lot 2 — Espaces verts (réservé : SIAE)"
    )
    assert lot_label(Lot(number=1, title="Gros œuvre", reservation="")) == "Lot 1 — Gros œuvre"
