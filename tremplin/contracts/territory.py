"""A contract's territory: where it is carried out, resolved to a department and a region.

Definition (also stated on the observatory pages): the territory is the place of execution (`lieuExecution`: a
department code, a postcode or an INSEE commune code, resolved to its department and region); when the place is
absent or cannot be resolved, the department of the buyer's establishment when it is known; otherwise
"unknown".

`resolve_territory()` is pure: it reads nothing but its arguments. The referentials come through a
`TerritoryLookup` (postcode → departments, commune → department, department → region), built once per import
with one query per table (`TerritoryLookup.from_database()`), or from plain dicts in tests.

How codes are read (real DECP values are messy, see data-notes §4):
- The declared type (« Code postal », « Code commune », « Code département », « Code région », « Code pays »,
  « Code arrondissement », « Code canton », in any case or accent) is tried first, then the shape of the code:
  a two-digit « Code postal » is a department, a five-digit « Code département » is a postcode or a commune.
- Postcodes use the La Poste table (a postcode serving several departments resolves only if the buyer's
  department, or the department of its prefix, is one of them); a five-digit postcode missing from the table
  (CEDEX codes…) falls back to its prefix: two digits, three for 97x/98x overseas, and for Corsica (20xxx)
  20000–20199 → 2A, 20200–20999 → 2B. Postcodes written "FR75012" or with a lost leading zero ("1000")
  are accepted.
- Communes use the COG table, else their prefix (2A/2B, 97x).
- A region given as the place gives a region-only territory (department unknown, region known); so does the
  former department code "20" (Corsica, region 94: 2A or 2B cannot be told).
- A country: France ("FR", "FRA", "250") says nothing more precise, so the buyer's department is used; "FR"
  followed by a postcode is that postcode; any other country means abroad: the territory is unknown.
- Departmental arrondissement and canton codes (e.g. "544", "0905") start with their department code.
- Anything else (NUTS codes, "DEP", "00", six-digit codes…) is unresolvable: the buyer's department is used.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

# The values of `contracts.models.TerritorySource` (not imported: this module needs no Django app loaded).
EXECUTION, BUYER, UNKNOWN_SOURCE = "execution", "buyer", "unknown"

__all__ = ["Territory", "TerritoryLookup", "UNKNOWN", "refresh_territories", "resolve_territory"]


@dataclass(frozen=True)
class Territory:
    department: str = ""
    region: str = ""
    source: str = UNKNOWN_SOURCE

    @property
    def is_known(self) -> bool:
        return self.source != UNKNOWN_SOURCE


UNKNOWN = Territory()

CORSICA_REGION = "94"
FRANCE_CODES = frozenset({"FR", "FRA", "250", "FRANCE"})
_DEPARTMENT_SHAPE = re.compile(r"\d{1,3}|2[AB]")
_POSTCODE_SHAPE = re.compile(r"\d{5}")
_COMMUNE_SHAPE = re.compile(r"\d{5}|2[AB]\d{3}")
_SPACES = re.compile(r"[\s\u00a0]+")


class TerritoryLookup:
    """Referential tables as dicts. Pass dicts directly (tests), or use `from_database()`: each table is then
    read lazily, with one query, the first time it is needed."""

    def __init__(
        self,
        postcode_departments: Mapping[str, Iterable[str]] | None = None,
        commune_departments: Mapping[str, str] | None = None,
        department_regions: Mapping[str, str] | None = None,
        regions: Iterable[str] | None = None,
    ):
        if postcode_departments is not None:
            self.postcode_departments = {code: frozenset(depts) for code, depts in postcode_departments.items()}
        if commune_departments is not None:
            self.commune_departments = dict(commune_departments)
        if department_regions is not None:
            self.department_regions = dict(department_regions)
        if regions is not None:
            self.regions = frozenset(regions)
        elif department_regions is not None:
            self.regions = frozenset(department_regions.values())

    @classmethod
    def from_database(cls) -> TerritoryLookup:
        return _DatabaseLookup()

    def department_of_postcode(self, postcode: str, buyer_department: str) -> str:
        departments = self.postcode_departments.get(postcode)
        if not departments:
            return ""
        if len(departments) == 1:
            return next(iter(departments))
        for preferred in (buyer_department, _postcode_prefix_department(postcode)):
            if preferred in departments:
                return preferred
        return ""  # ambiguous: several departments and nothing to choose between them


class _DatabaseLookup(TerritoryLookup):
    @cached_property
    def postcode_departments(self) -> dict[str, frozenset[str]]:
        from tremplin.referentials.models import CommunePostcode

        table: dict[str, set[str]] = {}
        for postcode, department in CommunePostcode.objects.values_list("postcode", "commune__department_id"):
            table.setdefault(postcode, set()).add(department)
        return {code: frozenset(depts) for code, depts in table.items()}

    @cached_property
    def commune_departments(self) -> dict[str, str]:
        from tremplin.referentials.models import Commune

        return dict(Commune.objects.values_list("code", "department_id"))

    @cached_property
    def department_regions(self) -> dict[str, str]:
        from tremplin.referentials.models import Department

        return dict(Department.objects.values_list("code", "region_id"))

    @cached_property
    def regions(self) -> frozenset[str]:
        from tremplin.referentials.models import Region

        return frozenset(Region.objects.values_list("code", flat=True))


def _kind(place_type: str | None) -> str:
    """The declared type of code, from the free text DECP publishes ("Code Postal", "CODE DEPARTEMENT"…)."""
    text = unicodedata.normalize("NFKD", place_type or "").encode("ascii", "ignore").decode().lower()
    for keyword, kind in (
        ("postal", "postcode"),
        ("commune", "commune"),
        ("insee", "commune"),
        ("arrondissement", "arrondissement"),
        ("canton", "arrondissement"),
        ("dep", "department"),
        ("gion", "region"),  # "région", "region", and "r�gion" once mangled
        ("pays", "country"),
        ("country", "country"),
    ):
        if keyword in text:
            return kind
    return ""


def _postcode_prefix_department(postcode: str) -> str:
    if postcode.startswith("20"):
        return "2A" if postcode < "20200" else "2B"
    if postcode.startswith(("97", "98")):
        return postcode[:3]
    return postcode[:2]


def _commune_prefix_department(code: str) -> str:
    return code[:3] if code.startswith(("97", "98")) else code[:2]


def _department_code(code: str) -> str:
    """ "1" → "01", "2a" → "2A"; the caller checks the department exists."""
    code = code.upper()
    return code.zfill(2) if code.isdigit() and len(code) < 2 else code


class _Resolver:
    def __init__(self, lookup: TerritoryLookup, buyer_department: str):
        self.lookup = lookup
        self.buyer_department = buyer_department

    def department(self, code: str) -> str:
        code = _department_code(code)
        return code if code in self.lookup.department_regions else ""

    def postcode(self, code: str, use_prefix: bool = True) -> str:
        if len(code) == 4 and code.isdigit():  # a leading zero lost in a spreadsheet: "1000" for "01000"
            code, use_prefix = "0" + code, False
        if not _POSTCODE_SHAPE.fullmatch(code):
            return ""
        found = self.lookup.department_of_postcode(code, self.buyer_department)
        if found or not use_prefix or code in self.lookup.postcode_departments:
            return found
        return self.department(_postcode_prefix_department(code))

    def commune(self, code: str, use_prefix: bool = True) -> str:
        if not _COMMUNE_SHAPE.fullmatch(code):
            return ""
        found = self.lookup.commune_departments.get(code, "")
        if found or not use_prefix:
            return found
        return self.department(_commune_prefix_department(code))

    def five_characters(self, code: str, kind: str) -> str:
        """A five-character code: the declared kind first, then the other reading of the tables, then the prefix
        of the declared kind (or of the postcode when the kind says neither)."""
        if kind == "commune":
            return self.commune(code, False) or self.postcode(code, False) or self.commune(code)
        return self.postcode(code, False) or self.commune(code, False) or self.postcode(code)

    def arrondissement(self, code: str) -> str:
        """A departmental arrondissement or canton code: its department code followed by 1 or 2 digits."""
        if not code.isdigit() or not 3 <= len(code) <= 5:
            return ""
        if code.startswith(("97", "98")):
            return self.department(code[:3])
        return self.department(code[:2])

    def place_department(self, kind: str, code: str) -> str:
        if len(code) == 5:
            return self.five_characters(code, kind)
        if kind == "arrondissement":
            return self.arrondissement(code)
        if kind == "postcode" and len(code) == 4:
            return self.postcode(code)
        if _DEPARTMENT_SHAPE.fullmatch(code):
            return self.department(code)
        return ""


def _clean_code(place_code: str | None) -> str:
    return _SPACES.sub("", place_code or "").upper()


def resolve_territory(
    place_type: str | None,
    place_code: str | None,
    buyer_department_code: str | None,
    lookup: TerritoryLookup,
) -> Territory:
    """The contract's territory from its place of execution (type and code as published) and the department of
    the buyer's establishment (None or "" when unknown). Never raises: garbage gives the buyer's department or
    UNKNOWN."""
    kind, code = _kind(place_type), _clean_code(place_code)
    buyer_department = _department_code(buyer_department_code or "")
    resolver = _Resolver(lookup, buyer_department)

    if code:
        if kind == "country" or code in FRANCE_CODES:
            if code.startswith("FR") and _POSTCODE_SHAPE.fullmatch(code[2:]):
                kind, code = "postcode", code[2:]
            elif code not in FRANCE_CODES and not code.startswith("FR"):
                return UNKNOWN  # carried out abroad: neither the place nor the buyer says where in France
            else:
                code = ""  # France, or a NUTS code ("FRK26"): nothing more precise than the buyer's department
        elif code.startswith("FR") and _POSTCODE_SHAPE.fullmatch(code[2:]):
            code = code[2:]
            kind = kind or "postcode"

    if code:
        if kind == "region":
            if code in lookup.regions:
                return Territory("", code, EXECUTION)
        elif code == "20" and kind in ("", "department", "postcode", "commune") and CORSICA_REGION in lookup.regions:
            return Territory("", CORSICA_REGION, EXECUTION)  # the former department of Corsica: 2A or 2B?
        else:
            department = resolver.place_department(kind, code)
            if department:
                return Territory(department, lookup.department_regions[department], EXECUTION)

    if buyer_department and buyer_department in lookup.department_regions:
        return Territory(buyer_department, lookup.department_regions[buyer_department], BUYER)
    return UNKNOWN


def refresh_territories(queryset=None, lookup: TerritoryLookup | None = None, batch_size: int = 2000) -> int:
    """Recompute the three territory columns of the contracts (all, or `queryset`) in batches of `batch_size`,
    writing only those that change (their `updated_at` too, so that the observatory snapshot sees it). Run it
    after the buyers' departments change (SIRENE enrichment) or the referentials are reloaded. Returns the number
    of contracts changed."""
    from django.db import transaction
    from django.utils import timezone

    from tremplin.contracts.models import Contract

    lookup = lookup or TerritoryLookup.from_database()
    queryset = Contract.objects.all() if queryset is None else queryset
    columns = ("pk", "place_type", "place_code", "buyer__department_id")
    columns += ("territory_department", "territory_region", "territory_source")
    changed, last_pk = 0, None
    while True:
        batch = queryset.order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        rows = list(batch.values_list(*columns)[:batch_size])
        if not rows:
            return changed
        now, updates = timezone.now(), []
        for pk, place_type, place_code, buyer_department, department, region, source in rows:
            territory = resolve_territory(place_type, place_code, buyer_department, lookup)
            if (territory.department, territory.region, territory.source) != (department, region, source):
                updates.append(
                    Contract(
                        pk=pk,
                        territory_department=territory.department,
                        territory_region=territory.region,
                        territory_source=territory.source,
                        updated_at=now,
                    )
                )
        if updates:
            with transaction.atomic():
                Contract.objects.bulk_update(
                    updates, ["territory_department", "territory_region", "territory_source", "updated_at"]
                )
            changed += len(updates)
        last_pk = rows[-1][0]
