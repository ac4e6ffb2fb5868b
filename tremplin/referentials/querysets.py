"""Look-ups on reference tables: CPV hierarchy, accent-insensitive searches ranked simply and deterministically.

Searches match every word of the query inside the stored `search_text` (the `search_key` form of the label or
name), so "electricite" finds "Électricité" on SQLite and PostgreSQL alike.
"""

import re

from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Concat

from tremplin.core.text import search_key, search_words
from tremplin.referentials.rules import (
    CpvCodeError,
    NafCodeError,
    cpv_ancestor_candidates,
    cpv_significant_digits,
    normalize_cpv,
    normalize_naf,
)

_CODE_PUNCTUATION = re.compile(r"[\s.\-]+")


def _matching_all_words(queryset: models.QuerySet, words: list[str]) -> models.QuerySet:
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def _ranked_by_words(queryset: models.QuerySet, key: str, words: list[str]) -> models.QuerySet:
    """Annotate `exact_match` (the whole text is the query) and `whole_words` (how many query words are
    whole words of the text, not mere substrings), to order on."""
    queryset = queryset.annotate(
        padded_text=Concat(Value(" "), F("search_text"), Value(" "), output_field=models.CharField())
    )
    whole_words = sum(
        (Case(When(padded_text__contains=f" {word} ", then=1), default=0) for word in words), start=Value(0)
    )
    return queryset.annotate(
        exact_match=Case(When(search_text=key, then=1), default=0),
        whole_words=whole_words,
    )


class CpvCodeQuerySet(models.QuerySet):
    def ancestors_of(self, code: str) -> "CpvCodeQuerySet":
        """The existing codes above `code` (8 digits), from the division down to the parent."""
        return self.filter(code__in=cpv_ancestor_candidates(code)).order_by("level", "code")

    def descendants_of(self, code: str) -> "CpvCodeQuerySet":
        """Every code below `code` (8 digits): those sharing its significant digits."""
        return self.filter(code__startswith=cpv_significant_digits(code)).exclude(code=code).order_by("code")

    def search(self, query: str) -> "CpvCodeQuerySet":
        """Digits: codes starting with them (a full code with check digit: that code), shortest levels first.
        Words: labels holding every word, exact label first, then most whole-word matches, then level, code."""
        compact = _CODE_PUNCTUATION.sub("", query or "")
        if compact.isascii() and compact.isdigit():
            if len(compact) >= 9 or "-" in (query or ""):
                try:
                    return self.filter(code=normalize_cpv(query)).order_by("code")
                except CpvCodeError:
                    return self.none()
            return self.filter(code__startswith=compact).order_by("level", "code")
        words = search_words(query)
        if not words:
            return self.none()
        ranked = _ranked_by_words(_matching_all_words(self, words), search_key(query), words)
        return ranked.order_by("-exact_match", "-whole_words", "level", "code")


class NafCodeQuerySet(models.QuerySet):
    def search(self, query: str) -> "NafCodeQuerySet":
        """A code form (``62``, ``62.0``, ``6201``, ``62.01Z``, ``J``): that code and the codes below it
        (a section letter: the section only). Otherwise labels holding every word, ranked like CPV."""
        try:
            code = normalize_naf(query)
        except NafCodeError:
            code = None
        if code is not None and code[0].isdigit():
            return self.filter(code__startswith=code).order_by("level", "code")
        if code is not None and len(query.strip()) == 1:
            return self.filter(code=code)
        words = search_words(query)
        if not words:
            return self.none()
        ranked = _ranked_by_words(_matching_all_words(self, words), search_key(query), words)
        return ranked.order_by("-exact_match", "-whole_words", "level", "code")


class CommuneQuerySet(models.QuerySet):
    def with_geography(self) -> "CommuneQuerySet":
        """Department, region and postcodes fetched along, for listings."""
        return self.select_related("department__region").prefetch_related("postcodes")

    def with_postcode(self, postcode: str) -> "CommuneQuerySet":
        return self.filter(postcodes__postcode=postcode.strip()).order_by("code")

    def search(self, query: str) -> "CommuneQuerySet":
        """Names holding every word: exact name first, then names starting with the query, then the most
        populated (so "paris" gives Paris before Cormeilles-en-Parisis), then by INSEE code."""
        key = search_key(query)
        words = key.split()
        if not words:
            return self.none()
        ranked = _matching_all_words(self, words).annotate(
            name_rank=Case(
                When(search_text=key, then=0),
                When(search_text__startswith=key, then=1),
                default=2,
            )
        )
        return ranked.order_by("name_rank", F("population").desc(nulls_last=True), "code")
