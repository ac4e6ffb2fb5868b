"""The partner-finder combination rule (pure, deterministic)."""

from tremplin.matching.partners import Candidate, LotNeed, plan, reasons_for

LOTS = [LotNeed(1, "Gros œuvre"), LotNeed(2, "Électricité"), LotNeed(3, "Peinture")]

LEAD = Candidate("10000000000001", "Maçonnerie Lead", 70, size_category="pme", local=True)
A = Candidate("20000000000001", "Élec et Peinture", 80, distance_km=8.2, local=True, size_category="pme")
B = Candidate("30000000000001", "Grand Groupe Électricité", 90, distance_km=120, size_category="ge")
C = Candidate("40000000000001", "Peintres Solidaires", 95, distance_km=3, inclusive_status="EI", inclusive_kind="SIAE")
D = Candidate("50000000000001", "Peinture Express", 60, size_category="micro")


def sirets(groupement) -> tuple[str, ...]:
    return tuple(member.candidate.siret for member in groupement.members)


def test_from_the_lead_the_fewest_members_covering_the_other_lots():
    result = plan(LOTS, {1: [LEAD], 2: [B, A], 3: [C, A]}, LEAD.siret)
    assert result.lead_lots == (1,)
    assert result.to_cover == (2, 3)
    assert result.uncovered == ()
    assert [sirets(g) for g in result.groupements] == [(A.siret,)]  # one partner covers both lots
    assert result.groupements[0].covers_all
    assert result.groupements[0].members[0].lots == (2, 3)


def test_without_a_lead_every_lot_is_to_cover():
    result = plan(LOTS, {1: [LEAD], 2: [B, A], 3: [C, A]})
    assert result.lead_lots == ()
    assert [sirets(g) for g in result.groupements] == [(LEAD.siret, A.siret)]


def test_local_sme_and_inclusive_structures_are_preferred_to_higher_scores():
    lots = LOTS[1:]
    result = plan(lots, {2: [B, A], 3: [C, D]})
    # Two members are needed either way: A (local, PME) + C (SIAE) beats B (score 90, GE) + C, then A + D.
    assert [sirets(g) for g in result.groupements] == [(A.siret, C.siret), (A.siret, D.siret), (B.siret, C.siret)]
    assert [s.candidate.siret for s in result.per_lot[2]] == [A.siret, B.siret]
    assert [s.candidate.siret for s in result.per_lot[3]] == [C.siret, D.siret]


def test_ties_are_broken_on_the_siret_whatever_the_input_order():
    twin = Candidate("15000000000001", "Jumelle", 80, distance_km=8.2, local=True, size_category="pme")
    one = plan(LOTS[1:2], {2: [A, twin]})
    other = plan(LOTS[1:2], {2: [twin, A]})
    assert [sirets(g) for g in one.groupements] == [(twin.siret,), (A.siret,)]
    assert one == other


def test_a_lot_nobody_can_take_is_said_and_the_others_still_covered():
    result = plan(LOTS, {1: [LEAD], 2: [A], 3: []}, LEAD.siret)
    assert result.uncovered == (3,)
    assert [sirets(g) for g in result.groupements] == [(A.siret,)]
    assert not result.groupements[0].covers_all


def test_the_lead_is_never_its_own_partner_and_a_lead_covering_everything_needs_none():
    result = plan(LOTS[:1], {1: [LEAD, A]}, LEAD.siret)
    assert result.to_cover == ()
    assert result.groupements == ()


def test_members_that_add_nothing_are_left_out():
    result = plan(LOTS[1:], {2: [A, B], 3: [A]})
    assert all(len(g.members) == 1 for g in result.groupements)


def test_beyond_the_member_limit_a_greedy_cover_is_proposed():
    lots = [LotNeed(n, f"Lot {n}") for n in range(1, 7)]
    alone = {n: [Candidate(f"{n}0000000000001", f"Seul {n}", 50)] for n in range(1, 7)}
    result = plan(lots, alone)
    assert len(result.groupements) == 1
    assert len(result.groupements[0].members) == 6


def test_reasons_in_french():
    titles = {2: "Électricité", 3: "Peinture"}
    assert reasons_for(A, (2,), titles) == (
        "couvre le lot 2 — Électricité",
        "à 8 km",
        "établie dans le département d'exécution",
        "PME",
    )
    assert reasons_for(C, (3,), titles) == ("couvre le lot 3 — Peinture", "à 3 km", "SIAE")
    assert reasons_for(D, (3,), titles) == ("couvre le lot 3 — Peinture", "TPE")


def test_a_forecast_without_lots_is_one_whole_contract():
    result = plan([LotNeed(0, "Marché entier")], {0: [LEAD, A]}, LEAD.siret)
    assert result.to_cover == ()
    alone = plan([LotNeed(0, "Marché entier")], {0: [A]})
    assert alone.groupements[0].members[0].reasons[0] == "couvre le marché entier"
