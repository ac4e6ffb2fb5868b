"""The pure scoring rules, table-driven."""

import pytest

from tremplin.matching import rules, text
from tremplin.matching.text import stems


@pytest.mark.parametrize(
    ("wanted", "main", "secondary", "value", "reason"),
    [
        (["45210000"], ["45210000"], [], 1.0, "CPV 45210000 dans vos activités"),
        (["45214200"], ["45210000"], [], 0.8, "CPV 45210000 : même classe que vos activités"),
        (["45210000"], ["45214200"], [], 1.0, "CPV 45214200 : compris dans le code 45210000 de vos activités"),
        (["45000000"], ["45112700"], [], 1.0, "CPV 45112700 : compris dans le code 45000000 de vos activités"),
        (["45214200"], ["45200000"], [], 0.6, "CPV 45200000 : même groupe que vos activités"),
        (["45210000"], ["45400000"], [], 0.1, "CPV 45400000 : même division que vos activités"),
        (["45112700"], ["45000000"], [], 0.1, "CPV 45000000 : même division que vos activités"),  # broad notice
        (["45210000"], ["60100000"], ["45210000"], 0.6, "CPV secondaire 45210000 dans vos activités"),
        (["45210000"], ["60100000"], ["45214200"], 0.6,
         "CPV secondaire 45214200 : compris dans le code 45210000 de vos activités"),
        (["45210000"], ["60100000"], [], 0.0, ""),
        ([], ["60100000"], [], None, ""),
    ],
)  # fmt: skip
def test_cpv(wanted, main, secondary, value, reason):
    criterion = rules.cpv_criterion(wanted, main, secondary)
    assert criterion.value == (pytest.approx(value) if value is not None else None)
    assert criterion.reason == reason


@pytest.mark.parametrize(
    ("need", "supplier", "value", "reason"),
    [
        (["45214200"], ["45210000"], 1.0, "CPV 45214200 : compris dans le code 45210000 de ses activités"),
        (["45210000"], ["45214200"], 0.8, "CPV 45214200 : même classe que ses activités"),  # narrower supplier
        (["45210000"], ["45000000"], 1.0, "CPV 45210000 : compris dans le code 45000000 de ses activités"),
        (["45210000"], ["45400000"], 0.1, "CPV 45400000 : même division que ses activités"),
    ],
)
def test_cpv_the_suppliers_code_covers_the_needs(need, supplier, value, reason):
    criterion = rules.cpv_criterion(need, supplier, you=False, covering=rules.CANDIDATE)
    assert criterion.value == pytest.approx(value) and criterion.reason == reason


@pytest.mark.parametrize(
    ("broad", "code", "expected"),
    [("45000000", "45214200", True), ("45210000", "45214200", True), ("45214000", "45214200", True),
     ("45214200", "45214200", True), ("45214200", "45210000", False), ("45200000", "45310000", False),
     ("45210000", "46210000", False), ("", "45210000", False), ("4521x", "45210000", False)],
)  # fmt: skip
def test_covers(broad, code, expected):
    assert rules.covers(broad, code) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Menuiseries", ["menuiser"]),
        ("menuiserie", ["menuiser"]),
        ("Électricité", ["electricit"]),
        ("electricite", ["electricit"]),
        ("Travaux de la commune et des écoles", ["ecol"]),  # stop words and short words out
        ("D'après 14 marchés remportés.", []),  # the demo's boilerplate says nothing of an activity
        ("Produits de base et matériels divers", []),  # generic words of CPV labels
        ("après examen des offres de la consultation", ["examen"]),
    ],
)
def test_french_stems(text, expected):
    assert stems(text) == expected


@pytest.mark.parametrize(
    ("description", "generated"),
    [("D'après 14 marchés remportés.", True), ("D’après 1 marché remporté.", True),
     ("d'apres 3 marches remportes", True), ("D'après 14 marchés remportés, pose de sols souples", False),
     ("Pose de sols souples", False), ("", False)],
)  # fmt: skip
def test_the_demos_generated_descriptions_are_recognised(description, generated):
    assert text.is_generated(description) is generated
    assert text.meaningful([description, "Nettoyage"]) == ([] if generated or not description else [description]) + [
        "Nettoyage"
    ]


@pytest.mark.parametrize(
    ("query", "candidate", "size", "value"),
    [(["a"], ["a", "b"], None, 1.0), (["a", "b", "c", "d"], ["a"], None, 1 / 3), (["a", "b"], ["c"], None, 0.0),
     ([], ["a"], None, None),
     (["a"], ["a"], 2, 0.5),  # one word in common of the query's two (the other is found nowhere): half a match
     (["a"], ["a"], 10, 1 / 3), (["a", "b"], ["a", "b"], 2, 1.0), (["a", "b"], ["a"], 0, 0.5)],
)  # fmt: skip
def test_text(query, candidate, size, value):
    criterion = rules.text_criterion(query, candidate, size=size)
    assert criterion.value == (pytest.approx(value) if value is not None else None)


@pytest.mark.parametrize(
    ("km", "value", "reason"),
    [(5, 1.0, "à 5 km de votre établissement"), (160, 0.75, "à 160 km de votre établissement"),
     (400, 0.5, "à 400 km de votre établissement"), (None, 0.5, "dans votre zone d'intervention : Rhône (69)")],
)  # fmt: skip
def test_geo(km, value, reason):
    criterion = rules.geo_criterion(True, True, km, "Rhône (69)")
    assert criterion.value == pytest.approx(value) and criterion.reason == reason


def test_geo_unknown_place_and_unjudged():
    assert rules.geo_criterion(True, None, None).value == rules.GEO_UNKNOWN_PLACE
    assert rules.geo_criterion(False, True, 3).value is None


@pytest.mark.parametrize(
    ("amount", "turnover", "value", "warning"),
    [(100, 1000, 1.0, False), (300, 1000, 1.0, False), (400, 1000, 0.5, True), (600, 1000, 0.0, True),
     (None, 1000, 0.5, False), (100, None, 0.5, False)],
)  # fmt: skip
def test_size(amount, turnover, value, warning):
    criterion = rules.size_criterion(amount, turnover)
    assert criterion.value == value and criterion.warning == warning


@pytest.mark.parametrize(
    ("articles", "status", "ess", "eligible"),
    [
        (["L2113-13"], "EI", False, True),
        (["L2113-13"], "GEIQ", False, False),  # not an SIAE under L5132-4
        (["L2113-13"], "ESAT", False, False),
        (["L2113-12"], "EA", False, True),
        (["L2113-15"], "", True, True),
        (["L2113-15"], "EI", False, False),
        (["L2113-12", "L2113-13"], "ACI", False, True),
        (["reserved"], "", True, True),
        (["reserved"], "", False, False),
        ([], "", False, True),
    ],
)
def test_eligibility(articles, status, ess, eligible):
    assert rules.is_eligible(articles, status, ess) is eligible


@pytest.mark.parametrize(
    ("won", "value", "reason"),
    [
        (0, 0.0, ""),
        (1, 0.5, "1 marché remporté dans ce secteur"),
        (3, 1.0, "3 marchés remportés dans ce secteur"),
        (9, 1.0, "9 marchés remportés dans ce secteur"),
    ],
)
def test_track(won, value, reason):
    criterion = rules.track_criterion(won)
    assert criterion.value == value and criterion.reason == reason


def test_combine_weights_only_judged_criteria_and_caps_the_bonus():
    full = {"cpv": rules.Criterion(1.0), "geo": rules.Criterion(0.5), "size": rules.Criterion(None)}
    assert rules.combine(full) == round(100 * (40 + 10) / 60, 1)
    assert rules.combine({"cpv": rules.Criterion(1.0)}, eligible_reserved=True) == 100.0
    assert rules.combine({}) == 0.0
    assert sum(rules.WEIGHTS.values()) == 100


@pytest.mark.parametrize(
    ("place", "buyer", "abroad"),
    [("DE", "FR", True), ("", "BE", True), ("FR", "BE", False), ("fr", "", False), ("", "", False),
     ("", "FR", False), (" nl ", "", True)],
)  # fmt: skip
def test_outside_france(place, buyer, abroad):
    assert rules.outside_france(place, buyer) is abroad


@pytest.mark.parametrize(
    ("score", "relevance", "shown"),
    [(rules.MIN_SCORE, rules.MIN_RELEVANCE, True), (rules.MIN_SCORE - 0.1, 0.9, False), (90.0, 0.29, False),
     (5.0, None, True), (80.0, 1.0, True)],
)  # fmt: skip
def test_weak_matches_are_not_shown(score, relevance, shown):
    assert rules.shown(score, relevance) is shown


@pytest.mark.parametrize(
    ("criteria", "expected"),
    [({"cpv": rules.Criterion(0.6), "text": rules.Criterion(None), "geo": rules.Criterion(1.0)}, 0.6),
     ({"cpv": rules.Criterion(0.1), "text": rules.Criterion(1 / 3)}, (4 + 25 / 3) / 65),
     ({"cpv": rules.Criterion(None), "text": rules.Criterion(None), "geo": rules.Criterion(1.0)}, None)],
)  # fmt: skip
def test_relevance_is_the_what_part_of_the_score(criteria, expected):
    assert rules.relevance(criteria) == (pytest.approx(expected) if expected is not None else None)


def test_a_division_in_common_and_a_covered_place_are_not_shown():
    """What filled the top 10 before: a division-only CPV match, the place in the perimeter, a track record in
    another group of the division — with or without words judged."""
    weak = {"cpv": rules.cpv_criterion(["45112700"], ["45210000"]), "text": rules.Criterion(0.0),
            "geo": rules.Criterion(1.0), "track": rules.track_criterion(0)}  # fmt: skip
    assert not rules.shown(rules.combine(weak), rules.relevance(weak))
    no_words = {**weak, "text": rules.Criterion(None), "track": rules.Criterion(None)}
    assert rules.combine(no_words) > rules.MIN_SCORE  # the place weighs a third of a score without words…
    assert not rules.shown(rules.combine(no_words), rules.relevance(no_words))  # … the "what" is too weak
    group = {**weak, "cpv": rules.cpv_criterion(["45112700"], ["45100000"]), "geo": rules.Criterion(0.5)}
    assert rules.shown(rules.combine(group), rules.relevance(group))  # the same group, the place far: shown


@pytest.mark.parametrize(
    ("code", "group"), [("45214200", "452"), ("45000000", "450"), ("", ""), ("4", ""), ("ab1", "")]
)
def test_track_groups(code, group):
    assert rules.track_group(code) == group
