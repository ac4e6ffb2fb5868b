"""Synthetic DECP (2019 JSON format) at a chosen size, shaped like the real samples.

Shapes measured on shared/data/decp/real/format_2019 (marches-publics.info, AIFE, PES):
- one holder for ~95 % of contracts, 2–4 for most of the rest; modifications on ~2 %;
- amounts log-spread: 5 % < 2.4 k€, median ~51 k€, 95 % < 1 M€, 99 % < 4 M€;
- procedures: MAPA ~72 %, open call for tenders ~25 %, the rest negotiated/restricted/dialogue;
- place of execution: postcode ~90 %, department ~7 %, commune ~3 %;
- national scale (data-notes §5): 1.54 M contracts, 26,773 buyers, 193,799 holders → one buyer per ~58
  contracts, one holder per ~8, with a heavy tail (a few buyers and holders have thousands).
Names as in the real files: holders 96 % and buyers 70 % in plain upper-case ASCII, the others accented.
Faults injected at rates seen in the real files (data-notes §4): time-zone suffixes, missing notification
dates, amounts as strings, placeholder amounts (0, 1, 9s), CPV with check digit or missing, invalid holder
SIRETs, flat `acheteur.id`, lost accents (U+FFFD), re-published copies (duplicates, some with one more
modification) and lots sharing one id.

Usage: python bench/synthetic_decp.py --contracts 1540000 --out var/bench/decp-1.54M.json
"""

import argparse
import csv
import gzip
import json
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import orjson

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DATA_DIR = ROOT.parent / "shared" / "data"

PROCEDURES = [
    ("Procédure adaptée", 72),
    ("Appel d'offres ouvert", 25),
    ("Marché passé sans publicité ni mise en concurrence préalable", 2),
    ("Procédure avec négociation", 0.6),
    ("Appel d'offres restreint", 0.2),
    ("Dialogue compétitif", 0.2),
]
NATURES = [("Marché", 66), ("Accord-cadre", 31), ("Marché subséquent", 2), ("Marché de partenariat", 0.2)]
PRICE_FORMS = [("Ferme", 40), ("Révisable", 35), ("Ferme et actualisable", 25)]
DURATIONS = [(12, 30), (48, 13), (36, 8), (3, 5), (6, 5), (2, 5), (24, 5), (1, 4), (4, 3), (18, 2), (60, 2)]
BUYER_KINDS = ["COMMUNE DE", "DEPARTEMENT", "SYNDICAT MIXTE", "OPH", "CENTRE HOSPITALIER", "COMMUNAUTE DE COMMUNES"]
LEGAL_FORMS = ["SARL", "SAS", "SA", "EURL", "SASU", "ETS"]
BUSY_DIVISIONS = {"45": 30, "71": 8, "79": 6, "90": 6, "50": 6, "33": 5, "34": 4, "30": 3, "39": 3, "72": 3}


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        v = int(ch) * (2 if i % 2 else 1)
        total += v - 9 if v > 9 else v
    return total % 10 == 0


def make_siret(rng: random.Random) -> str:
    while True:
        base = f"{rng.randrange(10**8):08d}"
        siren = next(base + str(d) for d in range(10) if luhn_ok(base + str(d)))
        nic = f"{rng.randrange(10**4):04d}"
        return next(siren + nic + str(d) for d in range(10) if luhn_ok(siren + nic + str(d)))


def weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def load_cpv(data_dir: Path) -> list[tuple[str, str]]:
    """(code8, check digit) weighted towards the busy divisions, from the real CPV reference file."""
    path = data_dir / "reference" / "cpv" / "cpv_2008_fr.csv"
    with path.open(encoding="utf-8") as handle:
        rows = [(row["code8"], row["check_digit"]) for row in csv.DictReader(handle)]
    weighted_rows = []
    for code, check in rows:
        weighted_rows.extend([(code, check)] * BUSY_DIVISIONS.get(code[:2], 1))
    return weighted_rows


def load_places(data_dir: Path) -> list[tuple[str, str, str]]:
    """(INSEE commune code, first postcode, department) for real current communes."""
    path = data_dir / "reference" / "geo" / "decoupage-administratif-6.0.0" / "communes.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        communes = json.load(handle)
    return [
        (c["code"], c["codesPostaux"][0], c["departement"])
        for c in communes
        if c.get("type") == "commune-actuelle" and c.get("codesPostaux") and c.get("departement")
    ]


class Generator:
    def __init__(self, contracts: int, seed: int, data_dir: Path):
        self.rng = random.Random(seed)
        self.contracts = contracts
        self.cpv = load_cpv(data_dir)
        self.places = load_places(data_dir)
        rng = self.rng
        self.buyers = [(make_siret(rng), self._buyer_name(i)) for i in range(max(5, contracts // 58))]
        self.holders = [(make_siret(rng), self._holder_name(i)) for i in range(max(10, contracts // 8))]
        # Heavy tail: pick with a Pareto-like index so a few buyers/holders have many contracts.
        self.buyer_home = {siret: rng.choice(self.places) for siret, _ in self.buyers}

    def _buyer_name(self, i: int) -> str:
        """Like the real ones: about 70 % plain upper-case ASCII ("COMMUNE DE …"), the rest with accents."""
        if self.rng.random() < 0.7:
            return f"{self.rng.choice(BUYER_KINDS)} SYNTHETIQUE {i}"
        return f"Commune synthétique de Saint-Étienne-{i}"

    def _holder_name(self, i: int) -> str:
        """Like the real ones: 96 % upper-case ASCII ("SARL …", "EUROVIA …"), a few with accents."""
        if self.rng.random() < 0.96:
            return f"{self.rng.choice(LEGAL_FORMS)} ENTREPRISE SYNTHETIQUE {i}"
        return f"Société synthétique d'Électricité {i}"

    def _pick(self, pool):
        index = min(int(self.rng.paretovariate(1.1)) - 1, len(pool) - 1)
        return pool[(index * 7919 + self.rng.randrange(8)) % len(pool)] if index > 0 else self.rng.choice(pool)

    def _date(self, day: date) -> str:
        text = day.isoformat()
        return text + "+01:00" if self.rng.random() < 0.10 else text

    def _amount(self):
        rng = self.rng
        roll = rng.random()
        if roll < 0.002:
            return rng.choice([0, 1, 999999, 99999999, 999999999])
        amount = round(min(10 ** rng.gauss(4.72, 0.78), 9e8), 2)
        return f"{amount:.2f}" if roll < 0.012 else amount

    def _holder(self):
        siret, name = self._pick(self.holders)
        if self.rng.random() < 0.025:  # invalid checksum, as in the real files
            siret = siret[:-1] + str((int(siret[-1]) + 1) % 10)
        return {"typeIdentifiant": "SIRET", "id": siret, "denominationSociale": name}

    def contract(self, n: int) -> dict:
        rng = self.rng
        buyer_siret, buyer_name = self._pick(self.buyers)
        notified = date(2019, 1, 1) + timedelta(days=rng.randrange(6 * 365))
        code, check = rng.choice(self.cpv)
        commune, postcode, department = self.buyer_home[buyer_siret] if rng.random() < 0.7 else rng.choice(self.places)
        roll = rng.random()
        place = (
            {"code": postcode, "typeCode": "Code postal", "nom": ""}
            if roll < 0.90
            else {"code": department, "typeCode": "Code département", "nom": ""}
            if roll < 0.97
            else {"code": commune, "typeCode": "Code commune", "nom": ""}
        )
        holders = [self._holder() for _ in range(1 if rng.random() < 0.95 else rng.randint(2, 4))]
        record = {
            "_type": "Marché",
            "id": f"{notified.year}-{n:08d}",
            "acheteur": {"id": buyer_siret, "nom": buyer_name},
            "nature": weighted(rng, NATURES),
            "objet": f"Marché synthétique n°{n} : prestations de la classe CPV {code}",
            "codeCPV": code + (f"-{check}" if rng.random() < 0.05 else ""),
            "procedure": weighted(rng, PROCEDURES),
            "lieuExecution": place,
            "dureeMois": weighted(rng, DURATIONS),
            "dateNotification": self._date(notified),
            "datePublicationDonnees": self._date(notified + timedelta(days=rng.randrange(1, 60))),
            "montant": self._amount(),
            "formePrix": weighted(rng, PRICE_FORMS),
            "titulaires": holders,
            "modifications": [],
        }
        if rng.random() < 0.02:
            record["modifications"] = [self._modification(notified, record, k) for k in range(rng.randint(1, 3))]
        if rng.random() < 0.03:
            del record["dateNotification"]
        if rng.random() < 0.01:
            record["codeCPV"] = ""
        if rng.random() < 0.01:
            record["acheteur.id"] = record.pop("acheteur")["id"]
        if rng.random() < 0.005:
            record["objet"] = record["objet"].replace("é", "\ufffd")
        return record

    def _modification(self, notified: date, record: dict, k: int) -> dict:
        amount = record["montant"]
        base = float(amount) if isinstance(amount, (int, float, str)) else 0.0
        return {
            "objetModification": f"Avenant n°{k + 1}",
            "dateNotificationModification": (notified + timedelta(days=90 * (k + 1))).isoformat(),
            "datePublicationDonneesModification": (notified + timedelta(days=90 * (k + 1) + 10)).isoformat(),
            "montant": round(base * (1.05 + 0.05 * k), 2),
            "dureeMois": record["dureeMois"] + 6 * (k + 1),
            "titulaires": [],
        }

    def records(self):
        """Yields `contracts` distinct contracts plus re-published copies (~3 %) and lots sharing an id (~3 %)."""
        rng = self.rng
        recent: list[dict] = []
        for n in range(self.contracts):
            record = self.contract(n)
            yield record
            roll = rng.random()
            if roll < 0.03 and recent:
                copy = json.loads(orjson.dumps(rng.choice(recent)))
                if rng.random() < 0.3 and copy.get("dateNotification"):
                    notified = date.fromisoformat(copy["dateNotification"][:10])
                    copy["modifications"] = copy["modifications"] + [
                        self._modification(notified, copy, len(copy["modifications"]))
                    ]
                yield copy
            elif roll < 0.06:
                lot = dict(record, titulaires=[self._holder()], montant=self._amount())
                lot["objet"] = record["objet"] + " (lot 2)"
                yield lot
            recent.append(record)
            if len(recent) > 1000:
                recent.pop(0)


def write(path: Path, generator: Generator, progress=True) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    opener = gzip.open if path.suffix == ".gz" else open
    count = 0
    started = time.perf_counter()
    with opener(path, "wb") as out:
        out.write(b'{"marches": [\n')
        for record in generator.records():
            if count:
                out.write(b",\n")
            out.write(orjson.dumps(record))
            count += 1
            if progress and count % 200_000 == 0:
                print(f"  {count:,} enregistrements écrits…", file=sys.stderr)
        out.write(b"\n]}\n")
    if progress:
        print(f"{count:,} enregistrements en {time.perf_counter() - started:.1f} s → {path}", file=sys.stderr)
    return count


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contracts", type=int, default=10_000, help="distinct contracts (before copies and lots)")
    parser.add_argument("--out", type=Path, required=True, help="output .json or .json.gz")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR)
    args = parser.parse_args(argv)
    write(args.out, Generator(args.contracts, args.seed, args.data_dir))


if __name__ == "__main__":
    main()
