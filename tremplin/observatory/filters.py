"""The observatory's filters: one definition, read from a query string (pages, API, exports) and applied either
to the columnar snapshot (parameterised DuckDB SQL) or to the database (a Django queryset).

Every filter is combinable. Values are validated before any query: a SIRET is 14 digits, a department or a
region an INSEE code, a CPV filter a prefix of the 8-digit code (a full 8-digit code stands for its level:
45210000 → every code starting with 4521)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields
from datetime import date
from urllib.parse import urlencode

from django.db.models import Q, QuerySet

SIRET_PATTERN = r"^\d{14}$"
DEPARTMENT_PATTERN = r"^(\d{2,3}|2[AB])$"
REGION_PATTERN = r"^\d{2,3}$"
CPV_PATTERN = r"^\d{1,8}(-\d)?$"
YEAR_MIN, YEAR_MAX = 1990, 2100
TEXT_MAX = 120

_SPACES = re.compile(r"[\s\u00a0.]+")


class FilterError(ValueError):
    """Invalid filter values: `errors` maps each parameter to a French message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{name} : {message}" for name, message in errors.items()))
        self.errors = errors


def cpv_prefix(value: str) -> str:
    """ "45" → "45"; "4521" → "4521"; "45210000" or "45210000-2" → "4521" (a full code stands for its level, so
    trailing zeros are dropped, down to the two digits of a division)."""
    code = value.split("-")[0]
    if len(code) == 8:
        code = code.rstrip("0")
        code = code.ljust(2, "0")
    return code


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    region: str = ""
    department: str = ""
    buyer: str = ""
    holder: str = ""
    cpv: str = ""
    procedure: str = ""
    nature: str = ""
    include_suspicious: bool = False

    @classmethod
    def from_params(cls, params: Mapping[str, object], lenient_identifiers: bool = False) -> Filters:
        """Read and check query parameters (strings, or already typed values from the API). With
        `lenient_identifiers` (forms typed by people) spaces and dots inside SIRETs are removed first."""
        errors: dict[str, str] = {}
        values: dict[str, object] = {}

        def text(name: str) -> str:
            value = params.get(name)
            return "" if value is None else str(value).strip()

        year = text("year")
        if year:
            if not year.isascii() or not year.isdigit() or not YEAR_MIN <= int(year) <= YEAR_MAX:
                errors["year"] = f"Année invalide (entre {YEAR_MIN} et {YEAR_MAX})."
            else:
                values["year"] = int(year)
        for name in ("date_from", "date_to"):
            raw = params.get(name)
            if isinstance(raw, date):
                values[name] = raw
            elif text(name):
                try:
                    values[name] = date.fromisoformat(text(name))
                except ValueError:
                    errors[name] = "Date invalide (format AAAA-MM-JJ)."
        if "date_from" in values and "date_to" in values and values["date_from"] > values["date_to"]:
            errors["date_to"] = "La date de fin précède la date de début."
        patterns = {"region": REGION_PATTERN, "department": DEPARTMENT_PATTERN}
        patterns |= {"buyer": SIRET_PATTERN, "holder": SIRET_PATTERN, "cpv": CPV_PATTERN}
        messages = {
            "region": "Code de région INSEE invalide (ex. 84).",
            "department": "Code de département invalide (ex. 69, 2A, 974).",
            "buyer": "Un SIRET compte exactement 14 chiffres.",
            "holder": "Un SIRET compte exactement 14 chiffres.",
            "cpv": "Code CPV invalide : de 1 à 8 chiffres (ex. 45, 4521, 45210000).",
        }
        for name, pattern in patterns.items():
            value = text(name)
            if name in ("buyer", "holder", "cpv") and lenient_identifiers:
                value = _SPACES.sub("", value)
            if name == "department":
                value = value.upper()
            if not value:
                continue
            if not re.fullmatch(pattern, value, re.ASCII):
                errors[name] = messages[name]
            else:
                values[name] = cpv_prefix(value) if name == "cpv" else value
        for name in ("procedure", "nature"):
            value = text(name)
            if len(value) > TEXT_MAX:
                errors[name] = f"{TEXT_MAX} caractères au plus."
            elif value:
                values[name] = value
        raw = params.get("include_suspicious")
        if isinstance(raw, bool):
            values["include_suspicious"] = raw
        elif text("include_suspicious"):
            values["include_suspicious"] = text("include_suspicious").lower() in {"1", "true", "on", "yes", "oui"}
        if errors:
            raise FilterError(errors)
        return cls(**values)

    # ---- Representations ----

    def params(self) -> dict[str, str]:
        """The non-default filters as query parameters (the URL form, shared by pages, API and exports)."""
        result = {}
        for name, value in asdict(self).items():
            if value in (None, "", False):
                continue
            result[name] = "1" if value is True else value.isoformat() if isinstance(value, date) else str(value)
        return result

    def querystring(self, **extra: object) -> str:
        params = self.params() | {name: str(value) for name, value in extra.items() if value not in (None, "")}
        return urlencode(params)

    def replace(self, **changes: object) -> Filters:
        return Filters(**(asdict(self) | changes))

    @property
    def is_empty(self) -> bool:
        return not self.params()

    @property
    def by_holder(self) -> bool:
        """A holder filter makes the facts one row per contract (that holder's row): amounts are its share."""
        return bool(self.holder)

    # ---- Snapshot (DuckDB) ----

    def sql(self) -> tuple[str, list]:
        """A WHERE clause over the snapshot's `facts` table and its parameters. Column names are fixed here;
        values only ever travel as parameters."""
        clauses, params = ["TRUE"], []
        for name, clause in (
            ("year", "year = ?"),
            ("date_from", "notification_date >= ?"),
            ("date_to", "notification_date <= ?"),
            ("region", "territory_region = ?"),
            ("department", "territory_department = ?"),
            ("buyer", "buyer_key = (SELECT buyer_key FROM buyers WHERE siret = ?)"),
            ("holder", "holder_key = (SELECT holder_key FROM holders WHERE siret = ?)"),
            ("procedure", "procedure = ?"),
            ("nature", "nature = ?"),
        ):
            value = getattr(self, name)
            if value not in (None, ""):
                clauses.append(clause)
                params.append(value)
        if self.cpv:
            if len(self.cpv) >= 2:  # the division column is cheap to compare and prunes first
                clauses.append("cpv_division = ?")
                params.append(self.cpv[:2])
            if len(self.cpv) != 2:
                clauses.append("starts_with(cpv, ?)")
                params.append(self.cpv)
        return " AND ".join(clauses), params

    # ---- Database (Django ORM) ----

    def queryset(self, queryset: QuerySet) -> QuerySet:
        """Apply the filters to a Contract queryset (the database stays the source of truth for lists and
        exports). Same meaning as `sql()`: the holder filter keeps contracts that SIRET holds at notification."""
        from tremplin.contracts.models import ContractHolder

        lookups = {
            "notification_date__year": self.year,
            "notification_date__gte": self.date_from,
            "notification_date__lte": self.date_to,
            "territory_region": self.region,
            "territory_department": self.department,
            "cpv__startswith": self.cpv,
            "procedure": self.procedure,
            "nature": self.nature,
        }
        queryset = queryset.filter(**{name: value for name, value in lookups.items() if value not in (None, "")})
        if self.buyer or self.holder:
            from tremplin.organisations.models import Organisation

            ids = dict(Organisation.objects.filter(siret__in=[self.buyer, self.holder]).values_list("siret", "id"))
        if self.buyer:
            # Through the indexed buyer key when the buyer is in the directory; the published identifier otherwise.
            by_identifier = Q(buyer__isnull=True, buyer_identifier=self.buyer)
            buyer_id = ids.get(self.buyer)
            queryset = queryset.filter(Q(buyer_id=buyer_id) | by_identifier if buyer_id else by_identifier)
        if self.holder:
            by_identifier = Q(organisation__isnull=True, identifier=self.holder)
            holder_id = ids.get(self.holder)
            held = ContractHolder.objects.filter(
                Q(organisation_id=holder_id) | by_identifier if holder_id else by_identifier, is_initial=True
            )
            queryset = queryset.filter(pk__in=held.values("contract_id"))
        return queryset


FILTER_NAMES = [field.name for field in fields(Filters)]
