"""SIREN/SIRET validation, on real identifiers taken from the DECP samples (shared/data/decp/real/).

Luhn by hand: from the right, every second digit is doubled (9 subtracted when the double exceeds 9) and all
digits are summed; the number is valid when the sum is a multiple of 10. For a 14-digit SIRET the doubled
digits are those in odd positions counted from the left (1st, 3rd … 13th)."""

import re

import pytest

from tremplin.organisations.rules import (
    InvalidIdentifier,
    is_valid_siret,
    luhn_valid,
    siret_checksum_valid,
    validate_siren,
    validate_siret,
)

VALID_SIRETS = [
    # Ville de Croix (59), buyer in marches-securises_ville-de-croix_2019-2021.json.
    # 2 1 5 9 0 1 6 3 8 0 0 0 1 9: doubled 2,5,0,6,8,0,1 -> 4+1+0+3+7+0+2 = 17; others 1+9+1+3+0+0+9 = 23;
    # 17 + 23 = 40.
    pytest.param("21590163800019", id="ville-de-croix"),
    # API RESTAURATION, supplier of Croix (same file).
    # 4 7 7 1 8 1 0 1 0 0 0 0 9 1: doubled 4,7,8,0,0,0,9 -> 8+5+7+0+0+0+9 = 29; others 7+1+1+1+0+0+1 = 11; 40.
    pytest.param("47718101000091", id="api-restauration"),
    # Département de la Vendée, buyer in decp-rama_2019-03_marches-publics.info.json.gz.
    # 2 2 8 5 0 0 0 1 3 0 0 6 5 8: doubled 2,8,0,0,3,0,5 -> 4+7+0+0+6+0+1 = 18; others 2+5+0+1+0+6+8 = 22; 40.
    pytest.param("22850001300658", id="departement-vendee"),
    # La Poste head office, supplier in decp-rama_2019-04_data.gouv.fr_aife.json.gz ("LA POSTE").
    # 3 5 6 0 0 0 0 0 0 0 0 0 4 8: doubled 3,6,0,0,0,0,4 -> 6+3+0+0+0+0+8 = 17; others 5+0+0+0+0+0+8 = 13;
    # Luhn 30: valid by Luhn, although its digit sum 3+5+6+4+8 = 26 is not a multiple of 5.
    pytest.param("35600000000048", id="la-poste-siege-luhn"),
    # "LA POSTE DVE MONTPELLIER", supplier in decp-rama_2019-04_data.gouv.fr_pes.json.gz.
    # 3 5 6 0 0 0 0 0 0 1 2 3 0 5: doubled 3,6,0,0,0,2,0 -> 6+3+0+0+0+4+0 = 13; others 5+0+0+0+1+3+5 = 14;
    # Luhn 27 fails, but the digit sum 3+5+6+1+2+3+5 = 25 is a multiple of 5: La Poste's rule accepts it.
    pytest.param("35600000012305", id="la-poste-montpellier-sum5"),
    # Computed La Poste establishment, NIC 00001: digit sum 3+5+6+1 = 15 (multiple of 5);
    # Luhn: doubled 3,6,0,0,0,0,0 -> 6+3 = 9; others 5+0+0+0+0+0+1 = 6; 15, not a multiple of 10.
    pytest.param("35600000000001", id="la-poste-computed-sum5"),
]


@pytest.mark.parametrize("siret", VALID_SIRETS)
def test_real_sirets_are_valid(siret):
    assert validate_siret(siret) == siret
    assert is_valid_siret(siret)


@pytest.mark.parametrize(
    "siret, luhn, digit_sum_multiple_of_5",
    [
        ("35600000000048", True, False),
        ("35600000012305", False, True),
        ("35600000000001", False, True),
    ],
)
def test_la_poste_hand_computations(siret, luhn, digit_sum_multiple_of_5):
    assert luhn_valid(siret) is luhn
    assert (sum(map(int, siret)) % 5 == 0) is digit_sum_multiple_of_5
    assert siret_checksum_valid(siret)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("215 901 638 00019", "21590163800019"),
        ("215\u00a0901\u00a0638\u00a000019", "21590163800019"),  # non-breaking spaces, as pasted from a PDF
        ("215.901.638-00019", "21590163800019"),
        ("\t35600000012305 ", "35600000012305"),
    ],
)
def test_separators_inside_are_accepted_after_cleaning(raw, expected):
    assert validate_siret(raw) == expected


KEY = "clé de contrôle incorrecte"
SIREN_KEY = "son SIREN (9 premiers chiffres) a une clé incorrecte"
LENGTH = "exactement 14 chiffres"


@pytest.mark.parametrize(
    "raw, message",
    [
        ("2159016380001", LENGTH),  # 13 digits
        ("215901638000190", LENGTH),  # 15 digits
        ("", LENGTH),
        (None, LENGTH),
        ("2159016380001A", LENGTH),  # a letter
        ("ABCDEFGHIJKLMN", LENGTH),
        ("2159016380001９", LENGTH),  # a full-width digit: str.isdigit() is True, yet no register uses it
        ("2159016380001²", LENGTH),  # str.isdigit() is True too, and int() would raise
        # Croix with its last digit 9 -> 8: Luhn 40 - 1 = 39.
        ("21590163800018", KEY),
        # Digit sum 2+1+5+9+0+1+6+3+8+0+0+0+1+4 = 40 is a multiple of 5, Luhn 40 - 5 = 35 fails: the digit-sum
        # rule is La Poste's only.
        ("21590163800014", KEY),
        # La Poste, NIC 12306: digit sum 26, Luhn 28: neither rule holds.
        ("35600000012306", KEY),
        # SIREN 215901639: doubled 1,9,1,3 -> 2+9+2+6 = 19; others 2+5+0+6+9 = 22; 41 -> the SIREN is wrong.
        ("21590163900019", SIREN_KEY),
    ],
)
def test_invalid_sirets_are_refused_with_the_reason(raw, message):
    with pytest.raises(InvalidIdentifier, match=re.escape(message)):
        validate_siret(raw)
    assert not is_valid_siret(raw)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("215901638", "215901638"),  # Croix: 2+5+0+6+8 = 21 undoubled, 3,1,9,1 doubled -> 6+2+9+2 = 19; 40
        ("356000000", "356000000"),  # La Poste: 3+6+0+0+0 = 9 undoubled, 5 doubled -> 1; 10
        ("477 181 010", "477181010"),
    ],
)
def test_valid_sirens(raw, expected):
    assert validate_siren(raw) == expected


@pytest.mark.parametrize(
    "raw, message",
    [
        ("21590163", "exactement 9 chiffres"),
        ("2159016380", "exactement 9 chiffres"),
        ("21590163A", "exactement 9 chiffres"),
        ("215901639", "clé de contrôle incorrecte"),
    ],
)
def test_invalid_sirens(raw, message):
    with pytest.raises(InvalidIdentifier, match=message):
        validate_siren(raw)
