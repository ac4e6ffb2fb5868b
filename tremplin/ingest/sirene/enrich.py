"""Pure mapping from a SIRENE row to changes on one organisation. No ORM: the current state comes in as a plain
mapping and the changes go out as one, both keyed by the logical field names below.

Who owns which field
--------------------
* SIRENE-owned facts are overwritten whenever SIRENE gives a value (an empty SIRENE value leaves ours alone):
  from the establishment row, `establishment_headcount_band`, `naf`, `is_closed`/`closed_on`; from the legal
  unit row, `headcount_band`, `company_category`, `legal_category`, and `is_ess` (set when SIRENE says "O";
  never unset, a member may hold an ESS status INSEE does not know of).
* Fields a member can also fill on the platform (`name`, `address`, `postcode`, `commune`/`department`,
  `buyer_type`) are only written when blank or still holding the value the import wrote last time, remembered in
  `sirene_values`; any other value was typed on the platform and is kept. The name is also replaced when it is a
  placeholder (an identifier, "Inconnu"…), and `buyer_type` is inferred from the legal category.
* The legal unit's APE code only fills a blank `naf` (the establishment's own code owns the field).

Size: `headcount_band` is the *legal unit's* band (trancheEffectifsUniteLegale) because company size is a property
of the company, not of one of its sites; the establishment's band goes to `establishment_headcount_band`, for
information only. `derive_size_category` (as in Organisation.save()) then combines the unit band with INSEE's
categorieEntreprise (PME/ETI/GE, computed at group level); without a unit band nor category, a declared size
stays in force.

Privacy: on a partially diffusible row (statutDiffusion* = "P"), no street address, postcode, commune or personal
name is imported, and those previously written by the import are erased (what a member typed stays; a natural
person's name the import wrote becomes "SIREN 123456789"). The economic facts (activity, headcount band, state,
legal category, company category, ESS) are kept: INSEE still publishes them for these units.
"""

import re
from collections.abc import Container, Mapping
from dataclasses import dataclass, field
from datetime import date

from unidecode import unidecode

from tremplin.core.text import search_key
from tremplin.ingest.sirene import columns as col
from tremplin.organisations.rules import HEADCOUNT_BANDS, is_ascii_digits, luhn_valid, siret_checksum_valid

# Street types as coded by SIRENE (typeVoieEtablissement). Only these abbreviations are expanded; any other value
# (a full word, a newer code) is kept as it is.
STREET_TYPES: dict[str, str] = {
    "ALL": "Allée",
    "AV": "Avenue",
    "BD": "Boulevard",
    "CAR": "Carrefour",
    "CHE": "Chemin",
    "CHS": "Chaussée",
    "CITE": "Cité",
    "COR": "Corniche",
    "CRS": "Cours",
    "DOM": "Domaine",
    "DSC": "Descente",
    "ECA": "Écart",
    "ESP": "Esplanade",
    "FG": "Faubourg",
    "GR": "Grande Rue",
    "HAM": "Hameau",
    "HLE": "Halle",
    "IMP": "Impasse",
    "LD": "Lieu-dit",
    "LOT": "Lotissement",
    "MAR": "Marché",
    "MTE": "Montée",
    "PAS": "Passage",
    "PL": "Place",
    "PLN": "Plaine",
    "PLT": "Plateau",
    "PRO": "Promenade",
    "PRV": "Parvis",
    "QUA": "Quartier",
    "QUAI": "Quai",
    "RES": "Résidence",
    "RLE": "Ruelle",
    "ROC": "Rocade",
    "RPT": "Rond-point",
    "RTE": "Route",
    "RUE": "Rue",
    "SEN": "Sentier",
    "SQ": "Square",
    "TPL": "Terre-plein",
    "TRA": "Traverse",
    "VLA": "Villa",
    "VLGE": "Village",
}

# indiceRepetitionEtablissement: B bis, T ter, Q quater, C quinquies; other letters are kept.
REPETITION_INDEXES: dict[str, str] = {"B": "bis", "T": "ter", "Q": "quater", "C": "quinquies"}

# INSEE legal categories (catégories juridiques, niveau III) → BuyerType key. Only unambiguous codes: others
# (7225 overseas collectivities, 7229 other territorial collectivities such as the Collectivité de Corse, 7361
# CCAS, 7331 EPLE, local EPIC 4140/4150 which are *not* "entreprises publiques" for payment delays, …) leave
# buyer_type blank.
BUYER_TYPE_BY_LEGAL_CATEGORY: dict[str, str] = {
    # State: constitutional and independent authorities, ministries and their services, national schools
    **dict.fromkeys(["7111", "7112", "7113", "7120", "7150", "7160", "7171", "7172", "7179", "7190"], "etat"),
    # State's national administrative public establishments (universities 7383, CROUS 7389…)
    **dict.fromkeys(["7382", "7383", "7384", "7385", "7389"], "etat"),
    "7210": "commune",  # Commune et commune nouvelle
    "7312": "commune",  # Commune associée et commune déléguée
    "7220": "departement",
    "7230": "region",
    # Groupings of collectivities: EPCI with own tax status, syndicates, pôles métropolitains
    **dict.fromkeys(["7340", "7343", "7344", "7345", "7346", "7347", "7348", "7353", "7354", "7355"], "epci"),
    "7364": "etablissement_public_sante",  # Établissement d'hospitalisation
    "7371": "bailleur_social",  # Office public d'habitation à loyer modéré (OPH)
    # National EPIC (with or without a public accountant) and "exploitant public" (La Poste)
    **dict.fromkeys(["4110", "4120", "4130"], "entreprise_publique"),
}

LEGAL_CATEGORY_NATURAL_PERSON = "1000"  # Entrepreneur individuel
COMPANY_CATEGORIES = frozenset({"PME", "ETI", "GE"})

# Municipal districts (SIRENE codes Paris, Lyon and Marseille establishments by district) → their commune.
_DISTRICTS = [("751", 1, 20, "75056"), ("6938", 1, 9, "69123"), ("132", 1, 16, "13055")]
DISTRICT_PARENTS: dict[str, str] = {
    f"{prefix}{n:0{5 - len(prefix)}d}": parent for prefix, low, high, parent in _DISTRICTS for n in range(low, high + 1)
}

PLACEHOLDER_NAMES = frozenset({"", "nd", "inconnu", "inconnue", "non renseigne", "non diffusible", "sans nom", "n a"})
_PLACEHOLDER_SIREN = re.compile(r"^SIREN \d{9}$")

ADDRESS_FIELDS = ("address", "postcode", "commune", "department")


@dataclass(frozen=True)
class Lookups:
    """Reference data the mapping needs: INSEE commune code → department code, and the known NAF codes."""

    communes: Mapping[str, str]
    naf_codes: Container[str]

    def commune(self, code: str) -> str | None:
        """The commune code we know for a SIRENE code (a district falls back to its commune), or None."""
        if code in self.communes:
            return code
        parent = DISTRICT_PARENTS.get(code)
        return parent if parent in self.communes else None


@dataclass
class Plan:
    """What one row does to one organisation.

    considered: fields SIRENE had something to say about; changes: the subset whose value changes (logical field →
    new value, "" for a blank text or FK); kept: fields where a value typed on the platform was preserved;
    sirene_values: the new bookkeeping dict when it changes; warnings: reason codes about the row."""

    considered: list[str] = field(default_factory=list)
    changes: dict[str, object] = field(default_factory=dict)
    kept: list[str] = field(default_factory=list)
    sirene_values: dict[str, str] | None = None
    warnings: list[str] = field(default_factory=list)


def clean(value: str | None) -> str:
    """A SIRENE value trimmed, with the "[ND]" mask of partially diffusible units read as empty."""
    value = (value or "").strip()
    return "" if value == col.MASKED_VALUE else value


def siret_problem(siren: str, nic: str, siret: str) -> str | None:
    """Why a row's identifiers are unusable ("invalid_siret"), or None."""
    if len(siret) != 14 or not is_ascii_digits(siret) or siret[:9] != siren or (nic and siret[9:] != nic):
        return "invalid_siret"
    if not luhn_valid(siret[:9]) or not siret_checksum_valid(siret):
        return "invalid_siret"
    return None


def street_line(number: str, repetition: str, street_type: str, street: str) -> str:
    """ "12 BIS AVENUE DES CHAMPS" from SIRENE's address parts (empty parts are left out). SIRENE writes street names
    in capitals without accents, as the postal standard does; the expanded words follow suit."""
    if number and repetition:
        number = f"{number} {REPETITION_INDEXES.get(repetition.upper(), repetition)}"
    kind = STREET_TYPES.get(street_type.upper(), street_type)
    return unidecode(" ".join(part for part in (number, kind, street) if part)).upper()[:255]


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def is_placeholder_name(name: str | None, siret: str = "") -> bool:
    """An organisation name that says nothing: empty, an identifier, "SIREN 123456789", "Inconnu"…"""
    name = (name or "").strip()
    compact = "".join(name.split())
    if compact and (compact in {siret, siret[:9]} or is_ascii_digits(compact)):
        return True
    if _PLACEHOLDER_SIREN.match(name):
        return True
    return search_key(name) in PLACEHOLDER_NAMES


def naf_code(code: str, nomenclature: str) -> str:
    """The NAF rév. 2 code of a row ("62.01Z"), or "" for another nomenclature (NAFRev1, NAF1993, NAP)."""
    return code.upper() if code and nomenclature == col.NAF_REV2 else ""


# --- establishment rows -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class EstablishmentFacts:
    siret: str
    partial: bool
    headcount_band: str
    address: str
    postcode: str
    commune_code: str
    state: str
    state_since: date | None
    naf: str

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> "EstablishmentFacts":
        return cls(
            siret=clean(row["siret"]),
            partial=clean(row["statutDiffusionEtablissement"]) == col.DIFFUSION_PARTIAL,
            headcount_band=clean(row["trancheEffectifsEtablissement"]).upper(),
            address=street_line(
                clean(row["numeroVoieEtablissement"]),
                clean(row.get("indiceRepetitionEtablissement")),
                clean(row["typeVoieEtablissement"]),
                clean(row["libelleVoieEtablissement"]),
            ),
            postcode=clean(row["codePostalEtablissement"])[:5],
            commune_code=clean(row["codeCommuneEtablissement"]).upper(),
            state=clean(row["etatAdministratifEtablissement"]).upper(),
            state_since=parse_date(clean(row["dateDebut"])),
            naf=naf_code(
                clean(row["activitePrincipaleEtablissement"]), clean(row["nomenclatureActivitePrincipaleEtablissement"])
            ),
        )


def plan_establishment(facts: EstablishmentFacts, current: Mapping[str, object], lookups: Lookups) -> Plan:
    plan = _Planner(current)
    if facts.headcount_band in HEADCOUNT_BANDS:
        plan.own("establishment_headcount_band", facts.headcount_band)
    if facts.naf:
        if facts.naf in lookups.naf_codes:
            plan.own("naf", facts.naf)
        else:
            plan.warn("unknown_naf")
    if facts.state == col.STATE_CLOSED:
        plan.own("is_closed", True)
        plan.own("closed_on", facts.state_since)
    elif facts.state == col.STATE_ACTIVE:
        plan.own("is_closed", False)
        plan.own("closed_on", None)

    commune = lookups.commune(facts.commune_code) if facts.commune_code else None
    if facts.commune_code and commune is None:
        plan.warn("unknown_commune")
    if facts.partial:
        plan.warn("partial_diffusion")
        for name in ADDRESS_FIELDS:
            plan.erase(name)
    else:
        if commune:
            plan.fill("commune", commune)
            if "commune" in plan.result.changes or current.get("commune") == commune:
                plan.fill("department", lookups.communes[commune], follow=True)
        plan.fill("postcode", facts.postcode)
        plan.fill("address", facts.address)
    return plan.done()


# --- legal unit rows ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegalUnitFacts:
    siren: str
    partial: bool
    headcount_band: str
    company_category: str
    legal_category: str
    naf: str
    is_ess: bool
    denomination: str
    person_name: str

    @classmethod
    def from_row(cls, row: Mapping[str, str]) -> "LegalUnitFacts":
        partial = clean(row["statutDiffusionUniteLegale"]) == col.DIFFUSION_PARTIAL
        first_name = clean(row.get("prenomUsuelUniteLegale")) or clean(row.get("prenom1UniteLegale"))
        last_name = clean(row.get("nomUsageUniteLegale")) or clean(row["nomUniteLegale"])
        return cls(
            siren=clean(row["siren"]),
            partial=partial,
            headcount_band=clean(row["trancheEffectifsUniteLegale"]).upper(),
            company_category=clean(row["categorieEntreprise"]).upper(),
            legal_category=clean(row["categorieJuridiqueUniteLegale"]),
            naf=naf_code(
                clean(row["activitePrincipaleUniteLegale"]), clean(row["nomenclatureActivitePrincipaleUniteLegale"])
            ),
            is_ess=clean(row["economieSocialeSolidaireUniteLegale"]).upper() == "O",
            denomination=clean(row["denominationUniteLegale"])[:255],
            # Personal names are never read from a partially diffusible unit (INSEE masks them anyway).
            person_name="" if partial else " ".join(p for p in (first_name, last_name) if p)[:255],
        )

    @property
    def name(self) -> str:
        return self.denomination or self.person_name


def plan_legal_unit(facts: LegalUnitFacts, current: Mapping[str, object], lookups: Lookups) -> Plan:
    plan = _Planner(current)
    if facts.headcount_band in HEADCOUNT_BANDS:
        plan.own("headcount_band", facts.headcount_band)
    if facts.company_category in COMPANY_CATEGORIES:
        plan.own("company_category", facts.company_category)
    if len(facts.legal_category) == 4 and is_ascii_digits(facts.legal_category):
        plan.own("legal_category", facts.legal_category)
        buyer_type = BUYER_TYPE_BY_LEGAL_CATEGORY.get(facts.legal_category)
        if buyer_type:
            plan.fill("buyer_type", buyer_type)
    if facts.is_ess:
        plan.own("is_ess", True)
    if facts.naf:
        if facts.naf in lookups.naf_codes:
            plan.fill("naf", facts.naf, remember=False)  # a fallback: the establishment's code owns the field
        else:
            plan.warn("unknown_naf")
    if facts.partial:
        plan.warn("partial_diffusion")
    if facts.name:
        siret = str(current.get("siret") or "")
        if is_placeholder_name(str(current.get("name") or ""), siret):
            plan.fill("name", facts.name, blank=True)
        else:
            plan.fill("name", facts.name)
    elif facts.partial and not facts.denomination:
        # A natural person who opted out: a name the import wrote while they were diffusible goes.
        plan.erase("name", replacement=f"SIREN {facts.siren}")
    return plan.done()


class _Planner:
    def __init__(self, current: Mapping[str, object]):
        self.current = current
        self.memo = dict(current.get("sirene_values") or {})
        self.memo_changed = False
        self.result = Plan()

    def _set(self, name: str, value: object) -> None:
        if name not in self.result.considered:
            self.result.considered.append(name)
        if self.current.get(name) != value:
            self.result.changes[name] = value
        else:
            self.result.changes.pop(name, None)

    def own(self, name: str, value: object) -> None:
        """A SIRENE-owned fact: SIRENE's value wins."""
        self._set(name, value)

    def fill(self, name: str, value: str, *, blank: bool = False, follow: bool = False, remember: bool = True) -> None:
        """A field a member may also fill: written when blank (or `blank` says to treat it so), when it still holds
        the import's last value, or when it `follow`s a field the import just wrote (department after commune).
        Without `remember`, only a blank is filled and nothing is recorded."""
        if not value:
            return
        present = str(self.current.get(name) or "")
        if remember:
            writable = blank or follow or not present or present == value or self.memo.get(name) == present
        else:
            writable = not present or present == value
        if not writable:
            if name not in self.result.considered:
                self.result.considered.append(name)
            if present != value and name not in self.result.kept:
                self.result.kept.append(name)
            return
        self._set(name, value)
        if remember and self.memo.get(name) != value:
            self.memo[name] = value
            self.memo_changed = True

    def forget(self, name: str) -> None:
        if name in self.memo:
            del self.memo[name]
            self.memo_changed = True

    def erase(self, name: str, replacement: str = "") -> None:
        """Privacy: remove a value the import wrote (still untouched on the platform)."""
        present = str(self.current.get(name) or "")
        if present and self.memo.get(name) == present:
            self._set(name, replacement)
        self.forget(name)

    def warn(self, reason: str) -> None:
        if reason not in self.result.warnings:
            self.result.warnings.append(reason)

    def done(self) -> Plan:
        if self.memo_changed and self.memo != (self.current.get("sirene_values") or {}):
            self.result.sirene_values = self.memo
        return self.result
