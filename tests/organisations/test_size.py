"""Company size from SIRENE (headcount band, INSEE category) or, failing that, the declared size."""

import pytest

from tests.factories import OrganisationFactory
from tremplin.organisations.rules import HEADCOUNT_BANDS, derive_size_category, size_from_headcount_band

# Every SIRENE "tranche d'effectif salarié" code; thresholds of décret 2008-1354: micro < 10, PME < 250,
# ETI < 5000 employees.
BAND_TABLE = {
    "NN": "",  # not an employer, or unknown: says nothing
    "00": "micro",
    "01": "micro",
    "02": "micro",
    "03": "micro",  # 6 to 9
    "11": "pme",  # 10 to 19
    "12": "pme",
    "21": "pme",
    "22": "pme",
    "31": "pme",  # 200 to 249
    "32": "eti",  # 250 to 499
    "41": "eti",
    "42": "eti",
    "51": "eti",  # 2 000 to 4 999
    "52": "ge",  # 5 000 to 9 999
    "53": "ge",  # 10 000 and more
}


def test_the_table_covers_every_sirene_band():
    assert set(BAND_TABLE) == set(HEADCOUNT_BANDS)


@pytest.mark.parametrize("band, expected", BAND_TABLE.items())
def test_each_headcount_band(band, expected):
    assert size_from_headcount_band(band) == expected
    assert tuple(derive_size_category(band, "", "")) == ((expected, "sirene") if expected else ("", ""))


@pytest.mark.parametrize(
    "band, insee, declared, expected",
    [
        # INSEE's category (group level) raises a smaller band-derived size.
        ("12", "ETI", "", ("eti", "sirene")),
        ("12", "GE", "", ("ge", "sirene")),
        ("41", "GE", "", ("ge", "sirene")),
        ("NN", "ETI", "", ("eti", "sirene")),
        ("", "GE", "", ("ge", "sirene")),
        # … but does not lower a larger one.
        ("52", "ETI", "", ("ge", "sirene")),
        ("41", "ETI", "", ("eti", "sirene")),
        # PME caps a band-derived ETI/GE, and keeps micro.
        ("32", "PME", "", ("pme", "sirene")),
        ("53", "PME", "", ("pme", "sirene")),
        ("02", "PME", "", ("micro", "sirene")),
        ("", "PME", "", ("pme", "sirene")),
        # Case and spaces as they come from files.
        (" 12 ", " eti ", "", ("eti", "sirene")),
        # SIRENE wins over the declared size.
        ("12", "", "ge", ("pme", "sirene")),
        ("", "ETI", "micro", ("eti", "sirene")),
        # Declared fallback when SIRENE says nothing.
        ("", "", "eti", ("eti", "declared")),
        ("NN", "", "micro", ("micro", "declared")),
        ("99", "XYZ", "pme", ("pme", "declared")),  # unknown band and category are ignored
        # Unknown.
        ("", "", "", ("", "")),
        (None, None, None, ("", "")),
        ("NN", "", "", ("", "")),
    ],
)
def test_category_overrides_and_fallbacks(band, insee, declared, expected):
    assert tuple(derive_size_category(band, insee, declared)) == expected


@pytest.mark.django_db
def test_saving_an_organisation_derives_its_size():
    organisation = OrganisationFactory(headcount_band="32", company_category="PME", declared_size_category="ge")
    organisation.refresh_from_db()
    assert (organisation.size_category, organisation.size_source) == ("pme", "sirene")

    organisation.headcount_band = ""
    organisation.company_category = ""
    organisation.save()
    organisation.refresh_from_db()
    assert (organisation.size_category, organisation.size_source) == ("ge", "declared")
