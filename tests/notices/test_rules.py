"""The pure rules of published notices: identity and versions, references, which copy wins, open calls, CPV
prefixes and department codes."""

import datetime
from datetime import UTC, date

import pytest

from tremplin.notices import rules
from tremplin.notices.rules import CONFLICT, CREATE, OLDER, UNCHANGED, UPDATE, Rank, StoredCopy

UUID = "0a3077fe-1b45-4446-be7e-30f75cd98316"


@pytest.mark.parametrize(
    "source_id, expected",
    [
        (f"{UUID}-01", (UUID, 1)),
        (f"{UUID}-12", (UUID, 12)),
        (f"{UUID.upper()}-02", (UUID, 2)),  # one key whatever the case
        (UUID, (UUID, 0)),
        ("16-186063", ("16-186063", 0)),  # a BOAMP IDWEB is not a versioned id
        ("015463-2021", ("015463-2021", 0)),
        (" 17-2599 ", ("17-2599", 0)),
    ],
)
def test_notice_identity(source_id, expected):
    assert rules.notice_identity(source_id) == expected


@pytest.mark.parametrize(
    "source, reference, expected",
    [
        ("ted", "2017/S 129-262839", "262839-2017"),
        ("ted", "2022/S 098-267307", "267307-2022"),
        ("ted", "2019/s 33-73319", "73319-2019"),
        ("ted", "015463-2021", "15463-2021"),
        ("ted", "00522031-2023", "522031-2023"),
        ("ted", f"{UUID}-01", UUID),
        ("ted", "", ""),
        ("ted", None, ""),
        ("boamp", "16-114771", "16-114771"),
        ("boamp", "17-2599", "17-2599"),  # never read as a TED number of the year 2599
        ("boamp", "  15-14160 ", "15-14160"),
    ],
)
def test_reference_key(source, reference, expected):
    assert rules.reference_key(source, reference) == expected


def test_rank_orders_complete_then_version_then_publication():
    summary = Rank.of(True, 0, date(2021, 1, 1))
    full_old = Rank.of(False, 0, date(2020, 12, 14))
    v1 = Rank.of(False, 1, date(2024, 1, 1))
    v2_unpublished = Rank.of(False, 2, None)
    assert summary < full_old < v1 < v2_unpublished
    assert Rank.of(False, 1, None) < Rank.of(False, 1, date(2024, 1, 1))


def copy(rank=(False, 1, None), content="a", file="f.xml", position="$"):
    return StoredCopy(Rank.of(*rank), content, file, position)


@pytest.mark.parametrize(
    "stored, incoming, expected",
    [
        (None, copy(), CREATE),
        (copy(), copy(), UNCHANGED),
        (copy(file="a.xml"), copy(file="b.xml"), UNCHANGED),  # same content found in another file
        (copy(content="a"), copy(content="b"), UPDATE),  # the stored record re-read: corrected file or parser
        (copy(rank=(False, 1, None)), copy(rank=(False, 2, None), content="b", file="v2.xml"), UPDATE),
        (copy(rank=(False, 2, None)), copy(rank=(False, 1, None), content="b", file="v1.xml"), OLDER),
        (copy(rank=(True, 0, None)), copy(rank=(False, 0, None), content="b", file="full.json"), UPDATE),
        (copy(rank=(False, 0, None)), copy(rank=(True, 0, None), content="b", file="summary.json"), OLDER),
        (copy(content="a", file="x.xml"), copy(content="b", file="x-modif.xml"), CONFLICT),
        (copy(position="summary[1]"), copy(content="b", position="summary[2]"), CONFLICT),
    ],
)
def test_decide(stored, incoming, expected):
    assert rules.decide(stored, incoming) == expected


NOW = datetime.datetime(2024, 3, 4, 10, 0, tzinfo=UTC)  # 11:00 in Paris
TODAY = date(2024, 3, 4)


@pytest.mark.parametrize(
    "kind, deadline_at, deadline_date, cancelled, expected",
    [
        ("competition", NOW + datetime.timedelta(minutes=1), TODAY, False, True),
        ("competition", NOW, TODAY, False, False),  # the deadline itself is closed
        ("competition", NOW - datetime.timedelta(days=1), TODAY, False, False),
        ("competition", NOW + datetime.timedelta(days=3), date(2024, 3, 7), True, False),  # cancelled
        ("competition", None, TODAY, False, True),  # no known time: open until the end of the day
        ("competition", None, date(2024, 3, 3), False, False),
        ("competition", None, None, False, False),  # no deadline: not listed as open
        ("award", NOW + datetime.timedelta(days=3), date(2024, 3, 7), False, False),
        ("prior_information", None, date(2024, 5, 1), False, False),
    ],
)
def test_is_open(kind, deadline_at, deadline_date, cancelled, expected):
    assert rules.is_open(kind, deadline_at, deadline_date, cancelled, NOW, TODAY) is expected


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("45", "45"),
        ("4521", "4521"),
        ("45214200", "452142"),
        ("45210000-2", "4521"),
        ("452100002", "4521"),  # 8 digits + check digit without the dash
        ("45000000", "45"),
        (" 45 21 ", "4521"),
        ("45.21", "4521"),
        ("09000000-3", "09"),
        ("0931", "0931"),  # a leading zero is kept: prefixes are not padded
    ],
)
def test_cpv_prefix(raw, expected):
    assert rules.cpv_prefix(raw) == expected


@pytest.mark.parametrize("raw", ["", "4", "abc", "45-2", "4521000001", "45210000-22", "٤٥"])
def test_cpv_prefix_refuses_with_a_french_message(raw):
    with pytest.raises(rules.FilterValueError, match="chiffres"):
        rules.cpv_prefix(raw)


@pytest.mark.parametrize(
    "prefix, expected",
    [
        ("45", ("45", "46")),
        ("4521", ("4521", "4522")),
        ("09", ("09", "10")),
        ("0999", ("0999", "1000")),
        ("99", ("99", None)),
    ],
)
def test_cpv_prefix_range(prefix, expected):
    assert rules.cpv_prefix_range(prefix) == expected


def test_cpv_prefix_range_matches_exactly_the_codes_with_the_prefix():
    codes = ["45000000", "45210000", "45299999", "45300000", "4520000", "46000000", "44999999"]
    low, high = rules.cpv_prefix_range("452")
    assert [c for c in codes if low <= c < high] == [c for c in codes if c.startswith("452")]


@pytest.mark.parametrize(
    "raw, expected", [("69", "69"), ("2a", "2A"), (" 2B ", "2B"), ("1", "01"), ("974", "974"), ("988", "988")]
)
def test_department_code(raw, expected):
    assert rules.department_code(raw) == expected


@pytest.mark.parametrize("raw", ["", "00", "20", "96", "690", "979", "2C", "Rhône", "9x"])
def test_department_code_refuses(raw):
    with pytest.raises(rules.FilterValueError, match="Code de département inconnu"):
        rules.department_code(raw)
