"""CPV and NAF code rules: pure functions, no database."""

import pytest

from tremplin.referentials.rules import (
    CpvCodeError,
    NafCodeError,
    cpv_ancestor_candidates,
    cpv_level,
    cpv_parent,
    cpv_significant_digits,
    naf_level,
    normalize_cpv,
    normalize_naf,
    split_cpv,
)


@pytest.mark.parametrize(
    ("raw", "code", "check_digit"),
    [
        ("45000000-7", "45000000", "7"),
        ("45000000", "45000000", None),
        ("450000007", "45000000", "7"),  # 9 digits without dash: 8 + check digit
        ("4500000", "45000000", None),  # fewer than 8 digits: right-padded, as DECP does
        ("45", "45000000", None),
        ("4521", "45210000", None),
        (" 45 000 000 - 7 ", "45000000", "7"),
        ("45.00.00.00-7", "45000000", "7"),
        ("45\u00a0000\u00a0000", "45000000", None),  # non-breaking spaces from a word processor
        ("\t09310000-5\n", "09310000", "5"),
        ("03000000-1", "03000000", "1"),  # leading zero kept
        (45210000, "45210000", None),  # a number, as spreadsheets give
    ],
)
def test_cpv_input_forms(raw, code, check_digit):
    assert split_cpv(raw) == (code, check_digit)
    assert normalize_cpv(raw) == code


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        (None, "Code CPV vide"),
        ("", "Code CPV vide"),
        ("  . ", "Code CPV vide"),
        ("4X000000", "« 4X000000 »"),
        ("abc", "« abc »"),
        ("45000000-", "« 45000000- »"),
        ("45000000-77", "« 45000000-77 »"),
        ("45000000-7-1", "« 45000000-7-1 »"),
        ("-7", "« -7 »"),
        ("4500000000", "trop de chiffres (10)"),
        ("450000007-1", "trop de chiffres (9)"),  # 9 digits *and* a check digit
        ("4", "au moins les 2 chiffres"),
        ("４５０００００００", "« ４５０００００００ »"),  # full-width digits are not ASCII digits
        ("45000000 Travaux", "« 45000000 Travaux »"),
    ],
)
def test_cpv_garbage_is_refused_with_a_french_message(raw, message):
    with pytest.raises(CpvCodeError) as caught:
        normalize_cpv(raw)
    assert isinstance(caught.value, ValueError)
    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("code", "significant", "level"),
    [
        ("45000000", "45", 1),
        ("30000000", "30", 1),  # a division whose second digit is 0
        ("03000000", "03", 1),
        ("45200000", "452", 2),
        ("45210000", "4521", 3),
        ("45214000", "45214", 4),
        ("45214200", "452142", 5),
        ("45214210", "4521421", 5),
        ("03221270", "0322127", 5),
    ],
)
def test_cpv_level_and_significant_digits_come_from_trailing_zeros(code, significant, level):
    assert cpv_significant_digits(code) == significant
    assert cpv_level(code) == level


@pytest.mark.parametrize(
    ("code", "candidates"),
    [
        ("45000000", []),
        ("30000000", []),
        ("45200000", ["45000000"]),
        ("45214210", ["45214200", "45214000", "45210000", "45200000", "45000000"]),
    ],
)
def test_cpv_ancestor_candidates_are_the_shorter_prefix_codes_nearest_first(code, candidates):
    assert cpv_ancestor_candidates(code) == candidates


VOCABULARY = frozenset({"45000000", "45200000", "45210000", "45214000", "45214200", "45214210", "60000000", "60100000"})


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("45000000", None),  # division
        ("45200000", "45000000"),
        ("45214000", "45210000"),
        ("45214210", "45214200"),  # sub-category under a sub-category
        ("45214300", "45214000"),  # a code outside the vocabulary still gets its nearest existing prefix
        ("60112000", "60100000"),  # category right under a group: class 60110000 does not exist
        ("71000000", None),
        ("71200000", None),  # orphan: nothing above it exists
    ],
)
def test_cpv_parent_is_the_nearest_existing_ancestor(code, parent):
    assert cpv_parent(code, VOCABULARY) == parent


@pytest.mark.parametrize(
    ("raw", "code", "level"),
    [
        ("62.01Z", "62.01Z", 5),
        ("6201z", "62.01Z", 5),
        (" 62.01 Z ", "62.01Z", 5),
        ("62.01", "62.01", 4),
        ("6201", "62.01", 4),
        ("62.0", "62.0", 3),
        ("620", "62.0", 3),
        ("62", "62", 2),
        ("j", "J", 1),
    ],
)
def test_naf_input_forms(raw, code, level):
    assert normalize_naf(raw) == code
    assert naf_level(code) == level


@pytest.mark.parametrize("raw", [None, "", "Z", "6", "62.0Z", "62.012", "62.01ZZ", "logiciel", "62-01Z"])
def test_naf_garbage_is_refused(raw):
    with pytest.raises(NafCodeError, match="Code NAF"):
        normalize_naf(raw)
