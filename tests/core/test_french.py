import pytest

from tremplin.core.templatetags.french import pluriel


@pytest.mark.parametrize(
    ("count", "suffixes", "expected"),
    [
        (0, "s", ""),
        (1, "s", ""),
        (2, "s", "s"),
        (-3, "s", "s"),
        (1, "al,aux", "al"),
        (5, "al,aux", "aux"),
        ([1, 2], "s", "s"),
        (None, "s", ""),
    ],
)
def test_pluriel_follows_the_french_rule(count, suffixes, expected):
    assert pluriel(count, suffixes) == expected
