"""Pure rules: lifecycle, completeness, consistency of a forecast and its lots, quarters, typed lists, fairs."""

import datetime
from dataclasses import replace
from decimal import Decimal

import pytest

from tremplin.opportunities import rules
from tremplin.opportunities.rules import ForecastData, LotData

COMPLETE = ForecastData(
    title="Restauration scolaire",
    description="Fourniture et livraison de repas.",
    category="services",
    cpv="55524000",
    publication_quarter="2026-T3",
    departments=["69"],
)


@pytest.mark.parametrize(
    ("current", "target", "allowed"),
    [
        ("draft", "published", True),
        ("draft", "abandoned", True),
        ("draft", "in_consultation", False),
        ("draft", "awarded", False),
        ("published", "in_consultation", True),
        ("published", "abandoned", True),
        ("published", "draft", False),
        ("published", "awarded", False),
        ("in_consultation", "awarded", True),
        ("in_consultation", "abandoned", True),
        ("in_consultation", "published", False),
        ("awarded", "abandoned", False),
        ("awarded", "published", False),
        ("abandoned", "published", False),
        ("abandoned", "draft", False),
    ],
)
def test_transition_table(current, target, allowed):
    data = replace(COMPLETE, consultation_url="https://marches.exemple.fr/consultation/1")
    assert (rules.transition_errors(current, target, data) == []) is allowed


@pytest.mark.parametrize(
    ("current", "target", "message"),
    [
        (
            "published",
            "draft",
            "« Publiée » ne peut pas passer au statut « Brouillon ». Statuts possibles : "
            "« En consultation », « Abandonnée ».",
        ),
        ("awarded", "abandoned", "Ce statut est définitif."),
        ("draft", "draft", "La prévision est déjà au statut « Brouillon »."),
        ("draft", "archived", "Statut inconnu « archived »."),
    ],
)
def test_refused_transitions_say_why_in_french(current, target, message):
    (error,) = rules.transition_errors(current, target, COMPLETE)
    assert message in error


def test_publishing_needs_a_complete_forecast():
    assert rules.transition_errors("draft", "published", COMPLETE) == []
    (error,) = rules.transition_errors("draft", "published", ForecastData(title="Voirie"))
    assert error == (
        "Avant de publier, indiquez la description du besoin, la catégorie (travaux, fournitures ou services), "
        "le code CPV principal, la date ou le trimestre de publication prévu et au moins un lieu d'exécution "
        "(département ou commune)."
    )
    by_date = replace(COMPLETE, publication_quarter="", publication_target_date=datetime.date(2026, 9, 1))
    assert rules.publication_blockers(by_date) == []
    by_commune = replace(COMPLETE, departments=[], communes=["69123"])
    assert rules.publication_blockers(by_commune) == []
    assert rules.publication_blockers(replace(COMPLETE, cpv="")) == [
        "Avant de publier, indiquez le code CPV principal."
    ]


def test_going_into_consultation_needs_the_consultation_link():
    assert rules.transition_errors("published", "in_consultation", COMPLETE) == [
        "Indiquez le lien vers la consultation publiée avant de passer la prévision en consultation."
    ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": " "}, "title", "Donnez un intitulé à la prévision."),
        ({"title": "x" * 301}, "title", "L'intitulé compte 300 caractères au plus."),
        ({"category": "prestations"}, "category", "Catégorie inconnue « prestations »"),
        ({"estimated_amount": Decimal("-1")}, "estimated_amount", "Le montant estimé doit être positif"),
        ({"max_duration_months": 0}, "max_duration_months", "de 1 à 600"),
        ({"cpv_secondary": ["55524000"]}, "cpv_secondary", "ne doit pas être répété"),
        ({"publication_quarter": "3e semestre"}, "publication_quarter", "Trimestre illisible « 3e semestre »"),
        (
            {"publication_target_date": datetime.date(2026, 12, 1)},
            "publication_quarter",
            "La date de publication prévue (01/12/2026) n'est pas dans le 3e trimestre 2026.",
        ),
        (
            {"offer_deadline": datetime.date(2026, 6, 30)},
            "offer_deadline",
            "La date limite de remise des offres doit suivre la publication prévue",
        ),
        ({"reservations": ["L2113-99"]}, "reservations", "Réservation inconnue « L2113-99 »."),
        ({"social_kinds": ["quota"]}, "social_kinds", "Considération sociale inconnue « quota »."),
        ({"keywords": ["mot"] * 21}, "keywords", "20 mots-clés au plus."),
        ({"procedure_type": "gré à gré"}, "procedure_type", "Type de procédure inconnu"),
        ({"consultation_url": "javascript:alert(1)"}, "consultation_url", "doit être une adresse web"),
        ({"consultation_url": "https://"}, "consultation_url", "doit être une adresse web"),
        ({"contact_email": "achats(at)lyon.fr"}, "contact_email", "« achats(at)lyon.fr » n'est pas une adresse"),
        ({"contact_name": "x" * 151}, "contact_name", "150 caractères au plus."),
        ({"procedure_details": "x" * 201}, "procedure_details", "200 caractères au plus."),
        ({"estimated_amount": Decimal("NaN")}, "estimated_amount", "Le montant estimé doit être positif"),
        ({"estimated_amount": Decimal("1e15")}, "estimated_amount", "Le montant estimé doit être positif"),
    ],
)
def test_forecast_errors(changes, field, message):
    errors = rules.forecast_errors(replace(COMPLETE, **changes))
    assert any(message in error for error in errors.get(field, [])), errors


def test_a_consistent_forecast_has_no_error_and_a_draft_may_be_incomplete():
    assert rules.forecast_errors(COMPLETE) == {}
    assert rules.forecast_errors(ForecastData(title="Idée d'achat")) == {}


@pytest.mark.parametrize(
    ("category", "months", "reservations", "expected"),
    [
        ("services", 36, ["L2113-15"], []),
        ("services", 48, ["L2113-15"], ["Un marché réservé à l'ESS (L2113-15) dure 36 mois (3 ans) au plus."]),
        (
            "travaux",
            12,
            ["L2113-15"],
            ["Une réservation à l'ESS (L2113-15) ne concerne que des services (services sociaux)."],
        ),
        ("travaux", 48, ["L2113-13"], []),
    ],
)
def test_ess_reservation_limits(category, months, reservations, expected):
    assert rules.ess_errors(category, months, reservations) == expected


def test_an_ess_reserved_lot_counts_too():
    data = replace(COMPLETE, category="fournitures", lots=[LotData(1, "Repas", reservation="L2113-15")])
    assert "ne concerne que des services" in rules.forecast_errors(data)["reservations"][0]


@pytest.mark.parametrize(
    ("lots", "total", "expected"),
    [
        ([LotData(1, "A", estimated_amount=Decimal("60000")), LotData(2, "B")], Decimal("100000"), []),
        (
            [LotData(1, "A", estimated_amount=Decimal("60000")), LotData(2, "B", estimated_amount=Decimal("50000"))],
            Decimal("100000"),
            [
                "La somme des montants des lots (110\u202f000,00\u202f€) dépasse le montant estimé de la prévision "
                "(100\u202f000,00\u202f€)."
            ],
        ),
        ([LotData(1, "A"), LotData(1, "B")], None, ["Lot 1 : ce numéro de lot est utilisé deux fois."]),
        ([LotData(0, "A")], None, ["Lot 0 : le numéro d'un lot est un entier positif."]),
        ([LotData(2, "")], None, ["Lot 2 : donnez un intitulé au lot."]),
        ([LotData(3, "C", reservation="L2113-14")], None, ["Lot 3 : réservation inconnue « L2113-14 »."]),
        ([LotData(4, "D", estimated_amount=Decimal("-5"))], None, ["Lot 4 : le montant estimé doit être positif."]),
    ],
)
def test_lot_errors(lots, total, expected):
    assert rules.lot_errors(lots, total) == expected


def test_normalise_derives_the_quarter_the_flags_and_sorts_lots():
    data = rules.normalise(
        ForecastData(
            title="Entretien des espaces verts",
            publication_target_date=datetime.date(2026, 2, 10),
            environmental_kinds=["clause_environnementale"],
            keywords=["espaces verts", "espaces verts", "tonte"],
            lots=[LotData(2, "Tonte", reservation="L2113-13"), LotData(1, "Taille")],
        )
    )
    assert data.publication_quarter == "2026-T1"
    assert (data.environmental_considerations, data.social_considerations) == (True, True)
    assert data.social_kinds == ["marche_reserve"]  # a reserved lot is a social consideration
    assert data.keywords == ["espaces verts", "tonte"]
    assert [lot.number for lot in data.lots] == [1, 2]
    assert data.reserved_articles() == ["L2113-13"]


@pytest.mark.parametrize(
    ("raw", "quarter"),
    [
        ("2026-T3", "2026-T3"),
        ("T3 2026", "2026-T3"),
        ("t1-2027", "2027-T1"),
        ("2026 Q4", "2026-T4"),
        ("2026T2", "2026-T2"),
        ("3e trimestre 2026", "2026-T3"),
        ("1er trimestre 2027", "2027-T1"),
    ],
)
def test_parse_quarter(raw, quarter):
    assert rules.parse_quarter(raw) == quarter


@pytest.mark.parametrize("raw", ["", "2026-T5", "T0 2026", "2026", "Q3", "1850-T1"])
def test_unreadable_quarters(raw):
    with pytest.raises(rules.RuleError, match="Trimestre illisible"):
        rules.parse_quarter(raw)


def test_quarter_helpers():
    assert rules.quarter_of(datetime.date(2026, 12, 31)) == "2026-T4"
    assert rules.quarter_bounds("2026-T1") == (datetime.date(2026, 1, 1), datetime.date(2026, 3, 31))
    assert rules.quarter_bounds("2026-T4") == (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    assert rules.quarter_label("2026-T1") == "1er trimestre 2026"
    assert rules.quarter_label("2027-T2") == "2e trimestre 2027"
    assert rules.upcoming_quarters(datetime.date(2026, 11, 5), 3) == ["2026-T4", "2027-T1", "2027-T2"]


@pytest.mark.parametrize(
    ("raw", "prefix"),
    [
        ("45", "45"),
        ("4523", "4523"),
        ("45210000-2", "4521"),
        ("452100002", "4521"),
        ("45 21", "4521"),
        ("03000000", "03"),
        ("4", ""),
        ("", ""),
        ("travaux", ""),
    ],
)
def test_cpv_prefix(raw, prefix):
    assert rules.cpv_prefix(raw) == prefix


def test_typed_lists():
    assert rules.split_codes("69, 42;13 |69") == ["69", "42", "13"]
    assert [rules.normalise_department(c) for c in ("1", "2a", "974", "69")] == ["01", "2A", "974", "69"]
    assert rules.parse_keywords("voirie ; enrobés,  signalisation   horizontale,voirie") == [
        "voirie",
        "enrobés",
        "signalisation horizontale",
    ]
    assert rules.format_euros(Decimal("1234567.5")) == "1\u202f234\u202f567,50\u202f€"
    assert rules.format_euros(Decimal("950")) == "950,00\u202f€"


@pytest.mark.parametrize(
    ("capacity", "confirmed", "status"),
    [(None, 500, "confirmed"), (10, 9, "confirmed"), (10, 10, "waiting"), (1, 0, "confirmed"), (1, 3, "waiting")],
)
def test_registration_status(capacity, confirmed, status):
    assert rules.registration_status_for(capacity, confirmed) == status


@pytest.mark.parametrize(
    ("capacity", "confirmed", "waiting", "promoted"),
    [(10, 9, 3, 1), (10, 10, 3, 0), (10, 6, 3, 3), (None, 4, 2, 2), (5, 7, 2, 0), (3, 2, 0, 0)],
)
def test_seats_to_promote(capacity, confirmed, waiting, promoted):
    assert rules.seats_to_promote(capacity, confirmed, waiting) == promoted


def test_registration_closed_reason():
    start = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    deadline = start - datetime.timedelta(days=2)
    before = start - datetime.timedelta(days=3)
    assert rules.registration_closed_reason(before, start, deadline, cancelled=False) == ""
    assert rules.registration_closed_reason(before, start, deadline, cancelled=True) == "Ce salon est annulé."
    assert "limite d'inscription est passée" in rules.registration_closed_reason(
        start - datetime.timedelta(days=1), start, deadline, cancelled=False
    )
    assert "déjà commencé" in rules.registration_closed_reason(start, start, None, cancelled=False)


def test_fair_errors():
    start = datetime.datetime(2026, 5, 1, 9, 0, tzinfo=datetime.UTC)
    assert rules.fair_errors(start, start + datetime.timedelta(hours=2), 20, start) == {}
    errors = rules.fair_errors(start, start, 0, start + datetime.timedelta(minutes=1))
    assert set(errors) == {"ends_at", "capacity", "registration_deadline"}
