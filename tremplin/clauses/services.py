"""Use cases on clauses: attaching and removing clauses, declaring insertion hours, EGalim purchases, and the
insertion summary shared with the observatory. Access is checked here through tremplin.policy."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Sum

from tremplin import policy
from tremplin.clauses import rules
from tremplin.clauses.models import Clause, ClauseType, EgalimPurchase, HoursDeclaration, InsertionDefaults, LabourShare
from tremplin.contracts.models import Contract
from tremplin.opportunities.models import Forecast, Lot
from tremplin.referentials.models import Department


class ClauseError(Exception):
    """A request that cannot be done; `errors` maps field names to French messages."""

    def __init__(self, message: str, errors: dict[str, str] | None = None):
        super().__init__(message)
        self.errors = errors or {}


class NotAllowed(ClauseError):
    pass


# ---------- Insertion practice defaults ----------


@dataclass(frozen=True)
class Suggestion:
    amount_excl_vat: Decimal | None
    labour_share: Decimal
    insertion_rate: Decimal
    hourly_cost: Decimal
    hours_due: int | None
    division: str
    division_known: bool


def suggest_insertion(cpv: str | None, amount_excl_vat) -> Suggestion:
    """The practice values proposed for an insertion clause on a purchase of this CPV code and amount."""
    defaults = InsertionDefaults.current()
    shares = dict(LabourShare.objects.values_list("division", "labour_share"))
    division = rules.cpv_division(cpv)
    share = rules.labour_share_for(cpv, shares, defaults.default_labour_share)
    amount = Decimal(str(amount_excl_vat)) if amount_excl_vat is not None else None
    hours = None
    if amount is not None and amount >= 0:
        hours = rules.hours_due(amount, share, defaults.insertion_rate, defaults.hourly_cost)
    return Suggestion(amount, share, defaults.insertion_rate, defaults.hourly_cost, hours, division, division in shares)


# ---------- Clauses ----------

INSERTION_INPUTS = ("amount_excl_vat", "labour_share", "insertion_rate", "hourly_cost")


def complete_targets(clause_type: ClauseType, data: dict) -> dict:
    """Check and complete a clause's targets: an insertion clause has its hours due, given or computed from the
    four inputs; the other kinds keep no insertion input and state a target (a percentage or a text)."""
    data = dict(data)
    if clause_type.code == ClauseType.INSERTION:
        inputs = {name: data.get(name) for name in INSERTION_INPUTS}
        if all(value is not None for value in inputs.values()):
            try:
                computed = rules.hours_due(**inputs)
            except rules.InvalidInput as error:
                raise ClauseError(str(error), error.errors) from error
            if data.get("hours_due") is None:
                data["hours_due"] = computed
        elif data.get("hours_due") is None:
            raise ClauseError(
                "Indiquez les heures d'insertion dues, ou le montant, la part de main-d'œuvre, le taux et le coût "
                "horaire pour les calculer.",
                {"hours_due": "Indiquez les heures dues ou les éléments de leur calcul."},
            )
        if data["hours_due"] < 0:
            raise ClauseError("Les heures dues ne peuvent pas être négatives.", {"hours_due": "Nombre négatif."})
    else:
        for name in (*INSERTION_INPUTS, "hours_due"):
            data[name] = None
        if data.get("target_percent") is None and not (data.get("target_text") or "").strip():
            raise ClauseError(
                "Indiquez l'objectif de la clause : un pourcentage ou l'engagement attendu.",
                {"target_text": "Indiquez un pourcentage ou décrivez l'engagement attendu."},
            )
    return data


CLAUSE_FIELDS = ("hours_due", "target_percent", "target_text", "notes", *INSERTION_INPUTS)


@transaction.atomic
def attach_clause(user, target: Forecast | Lot | Contract, clause_type: ClauseType, data: dict) -> Clause:
    """Attach a clause of this type to a forecast, one of its lots or a contract."""
    if isinstance(target, Contract):
        allowed, link = policy.can_attach_clause_to_contract(user, target), {"contract": target}
    elif isinstance(target, Lot):
        allowed, link = policy.can_attach_clause_to_forecast(user, target.forecast), {"lot": target}
    else:
        allowed, link = policy.can_attach_clause_to_forecast(user, target), {"forecast": target}
    if not allowed:
        raise NotAllowed("Seuls les agents de l'acheteur peuvent ajouter une clause ici.")
    data = complete_targets(clause_type, data)
    values = {name: data.get(name) for name in CLAUSE_FIELDS}
    values["target_text"] = (values["target_text"] or "").strip()
    values["notes"] = (values["notes"] or "").strip()
    return Clause.objects.create(clause_type=clause_type, created_by=user, **link, **values)


def remove_clause(user, clause: Clause) -> None:
    if not policy.can_edit_clause(user, clause):
        raise NotAllowed("Seuls les agents de l'acheteur peuvent retirer cette clause.")
    if clause.declarations.exists():
        raise ClauseError("Des heures sont déjà déclarées sur cette clause : retirez d'abord les déclarations.")
    clause.delete()


def clause_queryset():
    return Clause.objects.select_related("clause_type", "lot__forecast", "forecast", "contract")


# ---------- Insertion hours ----------


def clause_progress(clause: Clause) -> rules.Progress:
    periods = [
        rules.Period(d.period_start, d.period_end, d.hours)
        for d in clause.declarations.only("period_start", "period_end", "hours")
    ]
    return rules.insertion_progress(clause.hours_due or 0, periods)


@transaction.atomic
def declare_hours(
    user,
    clause: Clause,
    organisation,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    hours,
    comment: str = "",
    today: datetime.date | None = None,
) -> HoursDeclaration:
    """Record insertion hours done over a period on a contract's insertion clause."""
    if not clause.contract_id or not clause.is_insertion:
        raise ClauseError("Les heures se déclarent sur la clause d'insertion d'un marché attribué.")
    allowed = policy.hours_declarant_organisations(user, clause.contract)
    if not allowed:
        raise NotAllowed("Seuls les titulaires du marché et les facilitateurs déclarent des heures d'insertion.")
    if organisation is None and len(allowed) == 1:
        organisation = allowed[0]
    if organisation is None or organisation.pk not in {o.pk for o in allowed}:
        raise ClauseError(
            "Choisissez l'organisation pour laquelle vous déclarez.",
            {"organisation": "Vous ne déclarez pas pour cette organisation : choisissez-en une de la liste."},
        )
    # Lock the clause so that two declarations sent at once cannot both pass the overlap check.
    Clause.objects.select_for_update().filter(pk=clause.pk).first()
    existing = clause.declarations.values_list("period_start", "period_end")
    today = today or datetime.date.today()
    errors = rules.period_errors(period_start, period_end, hours, list(existing), today)
    if period_start is None:
        errors.setdefault("period_start", "Indiquez le début de la période.")
    if period_end is None:
        errors.setdefault("period_end", "Indiquez la fin de la période.")
    if errors:
        raise ClauseError(" ".join(errors.values()), errors)
    return HoursDeclaration.objects.create(
        clause=clause,
        period_start=period_start,
        period_end=period_end,
        hours=Decimal(str(hours)),
        comment=(comment or "").strip(),
        declared_by=user,
        organisation=organisation,
    )


def withdraw_declaration(user, declaration: HoursDeclaration) -> None:
    if not policy.can_withdraw_hours_declaration(user, declaration):
        raise NotAllowed("Seuls l'organisation déclarante et l'acheteur peuvent retirer cette déclaration.")
    declaration.delete()


# ---------- Insertion summary (public aggregates, also used by the observatory) ----------


@dataclass(frozen=True)
class InsertionFilters:
    buyer: str = ""  # SIRET of the buyer
    department: str = ""  # INSEE code of the contract's territory department
    year: int | None = None  # notification year of the contract


@dataclass(frozen=True)
class InsertionRow:
    year: int | None
    buyer_siret: str
    buyer_name: str
    department: str
    department_name: str
    contracts: int
    hours_due: int
    hours_done: Decimal

    @property
    def achieved(self) -> Decimal | None:
        return rules.achieved_percent(self.hours_done, self.hours_due)


GROUPS = ("year", "buyer", "department")


def insertion_summary(
    filters: InsertionFilters | None = None, group_by: tuple[str, ...] = GROUPS
) -> list[InsertionRow]:
    """Insertion hours due vs done on awarded contracts, grouped by any of "year" (the contract's notification
    year: a cohort, done hours counted whenever they were worked), "buyer" and "department" (the contract's
    territory department). Only insertion clauses of contracts with hours due count. Rows are sorted by year
    (newest first), buyer name, department; a grouping left out is blank in the rows ("" or None)."""
    filters = filters or InsertionFilters()
    unknown = set(group_by) - set(GROUPS)
    if unknown:
        raise ValueError(f"Unknown grouping: {sorted(unknown)}")
    clauses = Clause.objects.filter(
        clause_type__code=ClauseType.INSERTION, contract__isnull=False, hours_due__isnull=False
    )
    if filters.buyer:
        clauses = clauses.filter(contract__buyer__siret=filters.buyer)
    if filters.department:
        clauses = clauses.filter(contract__territory_department=filters.department)
    if filters.year:
        clauses = clauses.filter(contract__notification_date__year=filters.year)
    done = dict(
        HoursDeclaration.objects.filter(clause__in=clauses)
        .values("clause_id")
        .annotate(total=Sum("hours"))
        .values_list("clause_id", "total")
    )
    groups: dict[tuple, dict] = defaultdict(lambda: {"contracts": set(), "due": 0, "done": Decimal(0)})
    names: dict[str, str] = {}
    for pk, contract_id, day, siret, name, published, department, due in clauses.values_list(
        "pk",
        "contract_id",
        "contract__notification_date",
        "contract__buyer__siret",
        "contract__buyer__name",
        "contract__buyer_name",
        "contract__territory_department",
        "hours_due",
    ):
        siret = siret or ""
        names[siret] = name or published or siret
        key = (
            day.year if "year" in group_by and day else None,
            siret if "buyer" in group_by else "",
            department if "department" in group_by else "",
        )
        group = groups[key]
        group["contracts"].add(contract_id)
        group["due"] += due
        group["done"] += done.get(pk) or Decimal(0)
    department_names = dict(Department.objects.values_list("code", "name"))
    rows = [
        InsertionRow(
            year=year,
            buyer_siret=siret,
            buyer_name=names.get(siret, "") if siret else "",
            department=department,
            department_name=department_names.get(department, ""),
            contracts=len(group["contracts"]),
            hours_due=group["due"],
            hours_done=group["done"],
        )
        for (year, siret, department), group in groups.items()
    ]
    rows.sort(key=lambda r: (-(r.year or 0), r.buyer_name.lower(), r.department))
    return rows


def insertion_total(rows: list[InsertionRow]) -> InsertionRow:
    return InsertionRow(
        year=None,
        buyer_siret="",
        buyer_name="",
        department="",
        department_name="",
        contracts=sum(r.contracts for r in rows),
        hours_due=sum(r.hours_due for r in rows),
        hours_done=sum((r.hours_done for r in rows), Decimal(0)),
    )


# ---------- EGalim ----------


def egalim_result(buyer, year: int) -> rules.EgalimResult:
    return rules.egalim_shares(p.as_rule() for p in EgalimPurchase.objects.filter(buyer=buyer, year=year))


def egalim_years(buyer) -> list[int]:
    return list(EgalimPurchase.objects.filter(buyer=buyer).values_list("year", flat=True).distinct().order_by("-year"))


def declare_egalim(user, buyer, year: int, category: str, family: str, amount, label: str = "") -> EgalimPurchase:
    if not policy.can_declare_egalim(user, buyer):
        raise NotAllowed("Seuls les agents de l'acheteur déclarent ses achats alimentaires.")
    errors = {}
    if category not in rules.CATEGORIES:
        errors["category"] = "Catégorie inconnue."
    if family not in rules.FAMILIES:
        errors["family"] = "Famille de produits inconnue."
    if not 2000 <= int(year) <= datetime.date.today().year:
        errors["year"] = "Indiquez une année passée ou l'année en cours."
    if Decimal(str(amount)) <= 0:
        errors["amount_excl_vat"] = "Le montant HT doit être supérieur à zéro."
    if errors:
        raise ClauseError(" ".join(errors.values()), errors)
    return EgalimPurchase.objects.create(
        buyer=buyer,
        year=year,
        category=category,
        family=family,
        amount_excl_vat=Decimal(str(amount)),
        label=(label or "").strip(),
        declared_by=user,
    )


def delete_egalim(user, purchase: EgalimPurchase) -> None:
    if not policy.can_declare_egalim(user, purchase.buyer):
        raise NotAllowed("Seuls les agents de l'acheteur modifient ses achats alimentaires.")
    purchase.delete()
