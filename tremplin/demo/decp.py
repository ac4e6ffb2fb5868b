"""Reading the real tabular DECP sample (one row per contract × holder) and choosing a coherent subset.

The file is streamed (csv over gzip) and folded into per-organisation aggregates; nothing here touches the
database."""

import csv
import gzip
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from tremplin.demo.naming import clean_name, infer_inclusive_status
from tremplin.organisations.rules import InvalidIdentifier, validate_siret

TABULAR_SAMPLE = Path("decp/real/tabular/decp-processing-tabular_2024H2_travaux_cpv4521.csv.gz")
MISSING_ID = "identifiant absent"


@dataclass
class Party:
    """A buyer or a holder as the file shows it."""

    siret: str
    name: str
    department_code: str
    region_code: str
    company_category: str = ""
    contracts: set[str] = field(default_factory=set)


@dataclass
class DecpSample:
    path: Path
    rows: int = 0
    contracts: set[str] = field(default_factory=set)
    buyers: dict[str, Party] = field(default_factory=dict)
    holders: dict[str, Party] = field(default_factory=dict)
    # buyer SIRET -> holder SIRET -> number of contracts between them
    holders_by_buyer: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    # (role, reason) -> distinct identifiers skipped; role is "acheteur" or "titulaire"
    skipped: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    skipped_rows: int = 0
    has_company_category: bool = False


def _siret_or_reason(raw: str) -> tuple[str, str]:
    if not raw.strip():
        return "", MISSING_ID
    try:
        return validate_siret(raw), ""
    except InvalidIdentifier as exc:
        return "", str(exc)


def _party(parties: dict[str, Party], siret: str, row: dict, prefix: str) -> Party:
    party = parties.get(siret)
    if party is None:
        party = parties[siret] = Party(
            siret=siret,
            name=clean_name(row.get(f"{prefix}_nom")),
            department_code=(row.get(f"{prefix}_departement_code") or "").strip().upper(),
            region_code=(row.get(f"{prefix}_region_code") or "").strip(),
            company_category=(row.get(f"{prefix}_categorie") or "").strip().upper(),
        )
    return party


def read_tabular(path: Path) -> DecpSample:
    """Fold the tabular file into buyers, holders and who worked for whom; invalid SIRETs are counted, not kept."""
    sample = DecpSample(path=path)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as stream:
        reader = csv.DictReader(stream)
        sample.has_company_category = "titulaire_categorie" in (reader.fieldnames or [])
        for row in reader:
            sample.rows += 1
            contract = row["uid"] or f"{row['acheteur_id']}{row['id']}"
            sample.contracts.add(contract)
            buyer_siret, buyer_problem = _siret_or_reason(row["acheteur_id"])
            holder_siret, holder_problem = _siret_or_reason(row["titulaire_id"])
            if buyer_problem:
                sample.skipped["acheteur", buyer_problem].add(row["acheteur_id"])
            if holder_problem:
                sample.skipped["titulaire", holder_problem].add(row["titulaire_id"])
            if buyer_problem or holder_problem:
                sample.skipped_rows += 1
            if buyer_siret:
                _party(sample.buyers, buyer_siret, row, "acheteur").contracts.add(contract)
            if holder_siret:
                _party(sample.holders, holder_siret, row, "titulaire").contracts.add(contract)
            if buyer_siret and holder_siret:
                sample.holders_by_buyer[buyer_siret][holder_siret] += 1
    return sample


@dataclass
class Selection:
    buyers: list[str]  # the busiest buyers first, then one per region not yet represented
    region_fillers: list[str]
    suppliers: list[str]
    inclusive_suppliers: list[str]  # real holders whose name states an inclusive status
    main_buyer: str
    main_supplier: str


def _busiest(parties: dict[str, Party]) -> list[Party]:
    return sorted(parties.values(), key=lambda party: (-len(party.contracts), party.siret))


def select_subset(sample: DecpSample, top: int = 40) -> Selection:
    """The `top` buyers with the most contracts, plus the busiest buyer of each region they leave out; the
    holders of their contracts; and any holder whose name states an inclusive-economy status."""
    ranked = _busiest(sample.buyers)
    if not ranked:
        raise ValueError("Le fichier ne contient aucun acheteur au SIRET valide.")
    chosen = [party.siret for party in ranked[:top]]
    covered = {sample.buyers[siret].region_code for siret in chosen}
    fillers = []
    for party in ranked[top:]:
        if party.region_code and party.region_code not in covered:
            fillers.append(party.siret)
            covered.add(party.region_code)
    buyers = chosen + fillers
    suppliers = {holder for buyer in buyers for holder in sample.holders_by_buyer[buyer]}
    inclusive = sorted(s for s, party in sample.holders.items() if infer_inclusive_status(party.name))
    main_buyer = buyers[0]
    # The supplier that worked most for the main buyer (then the busiest overall), so the demo tells one story.
    partners = sample.holders_by_buyer[main_buyer] or Counter(dict.fromkeys(suppliers, 0))
    if not partners:
        raise ValueError("Les acheteurs retenus n'ont aucun titulaire au SIRET valide.")
    main_supplier = min(partners, key=lambda s: (-partners[s], -len(sample.holders[s].contracts), s))
    return Selection(
        buyers=buyers,
        region_fillers=fillers,
        suppliers=sorted(suppliers | set(inclusive)),
        inclusive_suppliers=inclusive,
        main_buyer=main_buyer,
        main_supplier=main_supplier,
    )
