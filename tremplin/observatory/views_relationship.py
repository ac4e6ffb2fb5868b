"""Observatory pages on the buyer–supplier relationship: payment delays (from the invoices recorded on the
platform) and clause uptake (from the DECP and the published forecasts). Filters live in the URL (GET forms,
shareable links, no JavaScript); each table has a CSV download carrying the same filters."""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse

from tremplin.observatory import charts, clause_stats, formatting, payment_stats, views
from tremplin.observatory.exports import csv_response, safe_text
from tremplin.observatory.formatting import decimal_comma

logger = logging.getLogger(__name__)

DATE_WIDGET = {"type": "date"}


def _sections() -> list[dict]:
    return [{"url": reverse(name), "label": label, "current": False} for name, label in views.SECTIONS]


def _with_query(path: str, params: dict) -> str:
    params = {name: value for name, value in params.items() if value not in (None, "")}
    return path + (f"?{urlencode(params)}" if params else "")


# ---------------------------------------------------------------- payment delays


class PaymentFilterForm(forms.Form):
    year = forms.TypedChoiceField(label="Année de paiement", required=False, coerce=int, empty_value=None)
    date_from = forms.DateField(
        label="Payées à partir du", required=False, widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label="Payées jusqu'au", required=False, widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d")
    )

    def __init__(self, data=None, *, years=(), **kwargs):
        super().__init__(data, **kwargs)
        choices = [(str(year), str(year)) for year in years]
        if data is not None and data.get("year") and data.get("year") not in {code for code, _ in choices}:
            choices.append((data.get("year"), data.get("year")))  # a shared link's year is kept, then checked
        self.fields["year"].choices = [("", "Toutes")] + choices

    def clean(self):
        cleaned = super().clean()
        self.period, errors = payment_stats.period_or_error(
            {name: value for name, value in cleaned.items() if value is not None}
        )
        for name, message in errors.items():
            self.add_error(name if name in self.fields else None, message)
        return cleaned


def _payment_years() -> list[int]:
    from tremplin.payments.models import Invoice

    return sorted({day.year for day in Invoice.objects.dates("paid_on", "year")}, reverse=True)


PAYMENT_CSV_HEADER = [
    "Clé",
    "Libellé",
    "Type d'acheteur",
    "Factures payées",
    "Délai moyen (jours)",
    "Délai médian (jours)",
    "Payées en retard",
    "Part payée en retard (%)",
    "Intérêts moratoires (€)",
    "Indemnités forfaitaires (€)",
    "Total dû (€)",
    "Impayées échues",
]


PAYMENT_CAPTIONS = {
    "buyer_type": "Délais de paiement par type d'acheteur (toutes les factures, quel que soit leur nombre)",
    "buyer": "Délais de paiement par acheteur ayant assez de factures payées sur la période pour être nommé",
}


def _payment_csv(stats: payment_stats.Statistics) -> HttpResponse:
    def line(group) -> list:
        share = group.late_share
        return [
            safe_text(group.key),
            safe_text(group.label),
            safe_text(group.type_label if group.key or group.buyer_type else ""),
            group.paid,
            decimal_comma(group.average_days, 1),
            decimal_comma(group.median_days, 1),
            group.late,
            decimal_comma(None if share is None else share * 100, 1),
            decimal_comma(group.interest),
            decimal_comma(group.indemnities),
            decimal_comma(group.owed),
            group.unpaid_past_due,
        ]

    rows = [line(group) for group in stats.rows] + [line(stats.total)]
    return csv_response(f"delais-de-paiement-par-{stats.by.replace('_', '-')}.csv", PAYMENT_CSV_HEADER, rows)


def payments(request):
    form = PaymentFilterForm(request.GET or None, years=_payment_years())
    valid = form.is_valid() if form.is_bound else True
    period = form.period if form.is_bound and valid else payment_stats.Period()
    wanted_csv = request.GET.get("csv")
    if wanted_csv in payment_stats.BY_CHOICES and valid:
        return _payment_csv(payment_stats.payment_delays(wanted_csv, period))
    context = {
        "form": form,
        "valid": valid,
        "period": period,
        "sections": _sections(),
        "section": "observatory:payments",
        "min_paid_invoices": payment_stats.MIN_PAID_INVOICES,
        "mediation": _mediation_summary(),
    }
    if valid:
        found, excluded = payment_stats.observations(period)  # computed once, grouped twice
        by_type = payment_stats.aggregate(found, "buyer_type", period)
        by_buyer = payment_stats.aggregate(found, "buyer", period)
        by_type.excluded = by_buyer.excluded = excluded
        path = reverse("observatory:payments")
        api = "/api/v1/observatory/payment-delays"
        context.update(
            by_type=by_type,
            by_buyer=by_buyer,
            tables=[
                {
                    "by": by,
                    "id": by.replace("_", "-"),
                    "title": title,
                    "caption": caption,
                    "first_column": first_column,
                    "stats": stats,
                    "csv": _with_query(path, {**period.params(), "csv": by}),
                    "api": _with_query(api, {**period.params(), "by": by}),
                }
                for by, stats, title, caption, first_column in (
                    ("buyer_type", by_type, "Par type d'acheteur", PAYMENT_CAPTIONS["buyer_type"], "Type d'acheteur"),
                    ("buyer", by_buyer, "Par acheteur", PAYMENT_CAPTIONS["buyer"], "Acheteur"),
                )
            ],
            delay_chart=charts.bar_chart(
                [
                    {"label": row.label, "median": float(row.median_days)}
                    for row in by_type.rows
                    if row.median_days is not None
                ],
                "Délai de paiement médian par type d'acheteur (en jours)",
                "Délai médian, en jours, entre le départ du délai et le paiement, pour chaque type d'acheteur ; "
                "les valeurs figurent dans le tableau qui suit.",
                measure="median",
            ),
        )
    return render(request, "observatory/payments.html", context, status=200 if valid else 400)


def _mediation_summary():
    """The anonymised mediation figures for a summary card (None when the mediation app gives none)."""
    try:
        from tremplin.mediation.statistics import mediation_statistics

        return mediation_statistics()
    except Exception:  # the card is a bonus: the page must not fail because of it
        logger.exception("Mediation statistics unavailable for the observatory card")
        return None


# ---------------------------------------------------------------- clauses

CLAUSE_TABLES = [
    ("year", "Par année de notification"),
    ("region", "Par région (territoire du marché)"),
    ("department", "Par département (territoire du marché)"),
    ("cpv_division", "Par secteur (division CPV)"),
]
CLAUSE_CSV_HEADER = [
    "Clé",
    "Libellé",
    "Marchés",
    "Considération sociale : oui",
    "Considération sociale : non",
    "Considération sociale : non renseigné",
    "Part sociale (%)",
    "Considération environnementale : oui",
    "Considération environnementale : non",
    "Considération environnementale : non renseigné",
    "Part environnementale (%)",
]


def _percent_cell(rate) -> str:
    return decimal_comma(None if rate is None else rate * 100, 1)


def _clause_csv(by: str, uptake: dict) -> HttpResponse:
    def line(row: clause_stats.Uptake) -> list:
        return [
            safe_text(row.key),
            safe_text(row.label),
            row.contracts,
            row.social_yes,
            row.social_known - row.social_yes,
            row.social_unknown,
            _percent_cell(row.social_rate),
            row.environmental_yes,
            row.environmental_known - row.environmental_yes,
            row.environmental_unknown,
            _percent_cell(row.environmental_rate),
        ]

    rows = [line(row) for row in uptake["rows"]] + [line(uptake["total"])]
    return csv_response(f"clauses-par-{by.replace('_', '-')}.csv", CLAUSE_CSV_HEADER, rows)


def clauses(request):
    context = views._base_context(request, "observatory:clauses")
    context["section"] = "observatory:clauses"
    if not context["valid"]:
        return render(request, "observatory/clauses.html", context, status=400)
    filters = context["filters"]
    wanted_csv = request.GET.get("csv")
    if wanted_csv in clause_stats.BY_CHOICES:
        return _clause_csv(wanted_csv, clause_stats.contract_uptake(filters, wanted_csv))
    path = reverse("observatory:clauses")
    uptake = clause_stats.contract_uptake_all(filters)  # the total and the four tables in one scan
    tables = []
    for by, title in CLAUSE_TABLES:
        tables.append(
            {
                "by": by,
                "title": title,
                "dimension": clause_stats.BY_LABELS[by],
                "rows": uptake[by],
                "csv": path + "?" + filters.querystring(csv=by),
                "api": "/api/v1/observatory/clause-uptake?" + filters.querystring(by=by),
            }
        )
    total = uptake["total"]
    years = [row for row in tables[0]["rows"] if row.key]
    context.update(
        total=total,
        tables=tables,
        forecasts=clause_stats.forecast_uptake(filters)["total"],
        insertion=_insertion_summary(filters),
        year_chart=None
        if not any(row.social_rate is not None for row in years)
        else charts.column_chart(
            [{"key": row.key, "label": row.label, "rate": _percent_or_zero(row.social_rate)} for row in years],
            "Part des marchés avec une considération sociale, par année (en %)",
            "Parmi les marchés dont les considérations sont renseignées ; les valeurs, et la part environnementale, "
            "figurent dans le tableau par année.",
            measure="rate",
        ),
    )
    return render(request, "observatory/clauses.html", context)


def _percent_or_zero(rate) -> float:
    return round(rate * 100, 1) if rate is not None else 0.0


def _insertion_summary(filters) -> list[dict] | None:
    """Insertion hours due and done, and EGalim shares, as key figures, when the clauses app provides them
    (None when it does not, or has nothing to show)."""
    try:
        from tremplin.clauses import rules as clause_rules
        from tremplin.clauses import services as clause_services
        from tremplin.clauses.models import EgalimPurchase
    except ImportError:
        return None
    try:
        items = []
        insertion = clause_services.insertion_summary(
            clause_services.InsertionFilters(buyer=filters.buyer, department=filters.department, year=filters.year),
            group_by=(),
        )
        if filters.region and not filters.department:
            insertion = []  # the clauses app filters by department only: no region total rather than a wrong one
        if insertion:
            total = clause_services.insertion_total(insertion)
            items.append(
                {
                    "label": "Heures d'insertion réalisées",
                    "value": f"{formatting.number(total.hours_done)}{formatting.NBSP}h",
                    "note": f"sur {formatting.number(total.hours_due)}{formatting.NBSP}h dues "
                    f"({formatting.percent(_rate(total))}), "
                    f"{formatting.count(total.contracts)} marché{'s' if total.contracts >= 2 else ''}",
                }
            )
        purchases = EgalimPurchase.objects.all()
        if filters.buyer:
            purchases = purchases.filter(buyer__siret=filters.buyer)
        if filters.department:
            purchases = purchases.filter(buyer__department__code=filters.department)
        elif filters.region:
            purchases = purchases.filter(buyer__department__region__code=filters.region)
        year = filters.year or purchases.order_by("-year").values_list("year", flat=True).first()
        if year:
            chosen = purchases.filter(year=year)
            buyers = chosen.values("buyer").distinct().count()
            result = clause_rules.egalim_shares(purchase.as_rule() for purchase in chosen)
            for share in result.shares:
                if share.share is None:
                    continue
                items.append(
                    {
                        "label": f"EGalim {year} : {share.label}",
                        "value": f"{formatting.number(share.share, 1)}{formatting.NBSP}%",
                        "note": f"objectif {formatting.number(share.target)}{formatting.NBSP}%, {buyers} acheteur"
                        f"{'s' if buyers >= 2 else ''} déclarant{'s' if buyers >= 2 else ''}",
                    }
                )
        return items or None
    except Exception:  # another app's figures must not break the page
        logger.exception("Insertion and EGalim figures unavailable for the observatory")
        return None


def _rate(total) -> float | None:
    return float(total.hours_done) / total.hours_due if total.hours_due else None
