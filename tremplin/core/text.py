"""Text helpers shared by every app (search keys, accent-insensitive matching)."""

import re

from unidecode import unidecode

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def search_key(text: str | None) -> str:
    """Lower-case, accent-free, punctuation-free form used for accent-insensitive search.

    >>> search_key("Travaux d'électricité — Bâtiment")
    'travaux d electricite batiment'
    """
    if not text:
        return ""
    return _NON_ALNUM.sub(" ", unidecode(text).lower()).strip()


def search_words(query: str | None) -> list[str]:
    """The distinct words of a query, in search-key form."""
    return list(dict.fromkeys(search_key(query).split()))
