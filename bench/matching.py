"""Matching bench: synthetic opportunities and suppliers shaped like the real data (CPV divisions weighted as in
BOAMP/DECP, departments, amounts), index build time, p50/p95/max latency of both directions over random queries,
CPU time per query (``time.process_time``, less sensitive to the load of a shared machine), peak RSS and the
load average. The indexes are built from feature records (what the loaders read from the database), so the
figures are those of the in-memory engine; reading 100,000 rows from the database comes on top, once per change.

    .venv/bin/python bench/matching.py --opportunities 100000 --suppliers 100000 --queries 200
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")

# CPV divisions and their rough share of French notices (BOAMP/DECP): works dominate, then services and supplies.
DIVISIONS = {"45": 30, "71": 8, "79": 6, "50": 6, "90": 5, "72": 4, "33": 4, "34": 3, "15": 3, "39": 3, "30": 3,
             "60": 3, "80": 2, "85": 2, "44": 2, "77": 2, "09": 2, "48": 2, "42": 2, "55": 2, "98": 2, "31": 2,
             "18": 1, "22": 1, "32": 1, "35": 1, "37": 1, "38": 1, "43": 1, "51": 1, "63": 1, "64": 1, "65": 1,
             "66": 1, "70": 1, "73": 1, "75": 1, "92": 1}  # fmt: skip
DEPARTMENTS = [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B", "971", "972", "973", "974", "976"]
WORDS = (
    "renovation batiment ecole gymnase voirie assainissement menuiserie electricite plomberie chauffage "
    "nettoyage locaux restauration collective transport scolaire informatique logiciel maintenance espaces "
    "verts elagage peinture toiture etancheite isolation ascenseur securite gardiennage formation conseil "
    "etudes architecture ingenierie mobilier fournitures bureau vehicules carburant energie eclairage "
    "signalisation imprimerie communication evenementiel traiteur blanchisserie dechets collecte tri"
).split()


def centre(department: str) -> tuple[float, float]:
    random.seed(department)
    return 43 + random.random() * 7, -1 + random.random() * 8


def cpv(rng) -> str:
    division = rng.choices(list(DIVISIONS), weights=list(DIVISIONS.values()))[0]
    return f"{division}{rng.randrange(10)}{rng.randrange(10)}{rng.choice('0000123')}000"


def opportunities(n: int, rng):
    from tremplin.matching.opportunity_index import OpportunityFeatures
    from tremplin.matching.text import stems

    now = time.time()
    records = []
    for pk in range(n):
        dept = rng.choice(DEPARTMENTS)
        lat, lon = centres[dept]
        kind = rng.choices(("notice", "forecast", "lot"), weights=(8, 1, 1))[0]
        records.append(OpportunityFeatures(
            kind=kind, pk=pk, title=f"Avis {pk}", deadline_ts=now + rng.randrange(-5, 60) * 86400,
            published_ts=now - rng.randrange(60) * 86400, cpv=(cpv(rng),),
            secondary_cpv=tuple(cpv(rng) for _ in range(rng.choice((0, 0, 1, 2)))), departments=(dept,),
            regions=(dept[:1],), point=(lat + rng.random() * 0.5, lon + rng.random() * 0.5),
            amount=rng.choice((None, rng.lognormvariate(11.5, 1.5))),
            reservations=("L2113-13",) if rng.random() < 0.02 else (),
            stems=tuple(stems(" ".join(rng.sample(WORDS, 6)))),
        ))  # fmt: skip
    return records


def suppliers(n: int, rng):
    from tremplin.matching.supplier_index import SupplierFeatures
    from tremplin.matching.text import stems

    records = []
    for pk in range(n):
        dept = rng.choice(DEPARTMENTS)
        lat, lon = centres[dept]
        scope = rng.random()
        records.append(SupplierFeatures(
            organisation_pk=pk, siret=f"{pk:014d}", name=f"Fournisseur {pk}",
            inclusive_status=rng.choices(("", "EI", "ACI", "EA", "ESAT"), weights=(90, 3, 3, 2, 2))[0],
            is_ess=rng.random() < 0.05, size_category=rng.choice(("micro", "pme", "pme", "eti", "")), department=dept,
            point=(lat + rng.random() * 0.5, lon + rng.random() * 0.5),
            cpv=tuple(cpv(rng) for _ in range(rng.randint(1, 5))),
            stems=tuple(stems(" ".join(rng.sample(WORDS, 8)))), national=scope < 0.1,
            departments=(dept, rng.choice(DEPARTMENTS)) if 0.1 <= scope < 0.7 else (),
            regions=(dept[:1],) if 0.7 <= scope < 0.8 else (),
            radius_km=rng.choice((30, 50, 100)) if scope >= 0.8 else None,
            turnover=rng.choice((None, rng.lognormvariate(13.5, 1.5))),
            won={cpv(rng)[:2]: rng.randint(1, 5)} if rng.random() < 0.3 else {},
        ))  # fmt: skip
    return records


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--opportunities", type=int, default=100_000)
    parser.add_argument("--suppliers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    import django

    django.setup()
    from tremplin.matching.opportunity_index import OpportunityIndex
    from tremplin.matching.supplier_index import Place, SupplierIndex
    from tremplin.matching.text import stem_words
    from tremplin.matching.types import OpportunityQuery, SupplierQuery

    global centres
    centres = {d: centre(d) for d in DEPARTMENTS}
    rng = random.Random(args.seed)
    started = time.perf_counter()
    opp_records = opportunities(args.opportunities, rng)
    sup_records = suppliers(args.suppliers, rng)
    print(f"données synthétiques : {time.perf_counter() - started:.1f} s")
    started, cpu_started = time.perf_counter(), time.process_time()
    opp_index = OpportunityIndex(opp_records)
    opp_build, opp_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    started, cpu_started = time.perf_counter(), time.process_time()
    sup_index = SupplierIndex(sup_records)
    sup_build, sup_cpu = time.perf_counter() - started, time.process_time() - cpu_started
    print(f"construction de l'index des opportunités ({args.opportunities}) : {opp_build:.2f} s (CPU {opp_cpu:.2f} s)")
    print(f"construction de l'index des fournisseurs ({args.suppliers}) : {sup_build:.2f} s (CPU {sup_cpu:.2f} s)")

    now = time.time()
    timings = {"opportunités pour un fournisseur": [], "fournisseurs pour un besoin": []}
    cpu = {name: [] for name in timings}
    for _ in range(args.queries):
        profile = rng.choice(sup_records)
        text = " ".join(rng.sample(WORDS, 4))
        words = stem_words(text)
        query = OpportunityQuery(
            text=text, cpv=profile.cpv, departments=profile.departments, regions=profile.regions,
            national=profile.national, origin=profile.point, radius_km=profile.radius_km,
            inclusive_status=profile.inclusive_status, is_ess=profile.is_ess,
            turnover=int(profile.turnover) if profile.turnover else None,
        )  # fmt: skip
        started, cpu_started = time.perf_counter(), time.process_time()
        opp_index.search(query, list(words), words, profile.won, limit=20, offset=0, since_ts=None, now_ts=now)
        timings["opportunités pour un fournisseur"].append(time.perf_counter() - started)
        cpu["opportunités pour un fournisseur"].append(time.process_time() - cpu_started)
        need = rng.choice(opp_records)
        text = " ".join(rng.sample(WORDS, 3))
        words = stem_words(text)
        place = Place(need.departments, need.regions, need.point, "")
        query = SupplierQuery(text=text, cpv=need.cpv, departments=need.departments, amount=100_000)
        started, cpu_started = time.perf_counter(), time.process_time()
        sup_index.search(query, list(words), words, place, limit=20, offset=0)
        timings["fournisseurs pour un besoin"].append(time.perf_counter() - started)
        cpu["fournisseurs pour un besoin"].append(time.process_time() - cpu_started)
    for name, values in timings.items():
        ms = [v * 1000 for v in values]
        cpu_ms = [v * 1000 for v in cpu[name]]
        print(
            f"{name} ({len(ms)} requêtes) : p50 {percentile(ms, 50):.1f} ms, p95 {percentile(ms, 95):.1f} ms, "
            f"max {max(ms):.1f} ms, moyenne {statistics.mean(ms):.1f} ms ; "
            f"temps CPU par requête : moyenne {statistics.mean(cpu_ms):.1f} ms, p95 {percentile(cpu_ms, 95):.1f} ms"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"mémoire maximale (RSS) : {peak:.0f} Mo")
    print(f"charge de la machine (load average 1/5/15 min) : {' / '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
