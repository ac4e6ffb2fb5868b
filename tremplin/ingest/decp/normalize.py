"""Normalise a ``RawRecord`` (2019, 2024 or tabular shape) into a ``Contract``.

``normalize(raw, source)`` returns a frozen ``Contract`` with canonical values and quality
``flags`` (names in ``FLAGS``, French descriptions for people), or a ``Rejection`` when the
record cannot be a contract (not an object, no buyer id, no contract id). Data-level
problems never raise: they are repaired when the repair is certain, otherwise the value is
dropped (set to None) and flagged; the original payload stays in ``Contract.raw``.

Decisions (see also the module docstrings of the parsers):

- ``uid`` = buyer id + contract id, where the contract id is trimmed and each space,
  comma, backslash, dot or slash is replaced by ``_`` — the rule of decp-processing
  (``clean.py``), so that uids match the consolidated tabular dataset (whose ids contain
  ``_`` but never `` ,./``). ``Contract.id`` is that cleaned id; the original is in
  ``raw``. uids are not unique in real data (lots published under one id: 47 of 159
  records in the Croix file), see ``Contract.dedup_key``.
- CPV: the check digit is dropped; a 7-digit code starting with 3 or 9 lost its leading
  zero (divisions 03 and 09 are the only ones starting with 0; in the AIFE 2019 file
  ``9310000`` is ``09310000`` électricité, never ``93100000``), other short codes are
  right-padded with 0 (decp-processing); 9 digits without dash = code + check digit.
- Procedures are mapped onto the 2019/2024 regulatory list: older labels ("Procédure
  concurrentielle avec négociation", "Marché négocié sans publicité…") become "Procédure
  avec négociation" and "Marché passé sans publicité ni mise en concurrence préalable".
- Amounts: missing, ≤ 1 €, ≥ 1 bn € or made only of 9s all carry ``amount_suspicious`` (the issue's flag:
  such contracts are counted but left out of amount sums) plus the specific flag (``amount_missing``,
  ``amount_placeholder``, ``amount_negative``, ``amount_too_large``); a modification's amount in those ranges
  adds ``modification_amount_suspicious`` and ``amount_suspicious``.
- Lengths: values longer than the database columns (``MAX_*``) are cut (texts) or dropped (holder id, place
  code), flagged ``value_too_long``; a uid over 100 characters or a buyer id over 20 is not an identifier: the
  record is rejected (``identifier_too_long``).
- Speed: the pure functions of repeated values (dates, CPV, vocabularies, places, buyers, holders) are
  memoised, within ``MEMO_SIZE`` entries each — a national file repeats a few hundred thousand distinct values
  across 1.5 million records.
- Mojibake: ``mojibake`` only for text that is provably double-encoded UTF-8 (a sequence
  such as ``Ã©``/``Â°``/``â€™`` that decodes as UTF-8 once re-encoded); the different
  artefact "ÉlÉments connectÉs" (accented capitals inside lowercase words, from a broken
  case conversion) is ``garbled_accents``. Nothing is guessed back: flag only.
"""

from __future__ import annotations

import re
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from .records import (
    FORMAT_2019,
    FORMAT_2024,
    FORMAT_TABULAR,
    KIND_CONCESSION,
    KIND_MARCHE,
    RawRecord,
    guess_format,
)
from .siret import siret_is_valid
from .vocabulary import (
    CCAG,
    ENVIRONMENTAL,
    GROUPEMENTS,
    HOLDER_ID_TYPES,
    MODALITIES,
    NATURES_CONCESSION,
    NATURES_MARCHE,
    PLACE_TYPE_WORDS,
    PRICE_FORMS,
    PRICE_TYPES,
    PROCEDURES,
    SOCIAL,
    TECHNIQUES,
    fold,
)

# --------------------------------------------------------------------------------------
# Flags and rejection reasons (French descriptions, for people)
# --------------------------------------------------------------------------------------

FLAGS: dict[str, str] = {
    "amount_suspicious": (
        "Montant suspect (absent, d'au plus 1 €, d'au moins 1 milliard d'euros ou fait uniquement de 9) : "
        "le marché est compté mais son montant est exclu des sommes"
    ),
    "amount_missing": "Montant absent ou illisible",
    "amount_placeholder": "Montant fictif : 1 € ou moins, ou uniquement des 9 (99 999, 999 999…)",
    "amount_too_large": "Montant d'au moins 1 milliard d'euros, probablement erroné",
    "amount_negative": "Montant négatif",
    "modification_amount_suspicious": (
        "Montant d'une modification suspect (d'au plus 1 €, d'au moins 1 milliard d'euros ou fait uniquement de 9)"
    ),
    "siret_checksum": "SIRET de l'acheteur ou d'un titulaire invalide (clé de contrôle de Luhn fausse)",
    "siret_malformed": "Identifiant déclaré comme SIRET qui ne compte pas 14 chiffres",
    "missing_notification_date": "Date de notification (ou de signature) absente ou inexploitable",
    "date_repaired": (
        "Date corrigée : année mal saisie (0222 → 2022, 5021 → 2021, « 220- » → 2020) ou format non standard"
    ),
    "date_invalid": "Date impossible ou dans le futur, ignorée",
    "publication_before_notification": "Données publiées avant la date de notification",
    "missing_cpv": "Code CPV absent",
    "cpv_repaired": "Code CPV corrigé (zéro initial perdu, code incomplet complété par des 0, clé collée)",
    "cpv_invalid": "Code CPV inexploitable, ignoré",
    "duration_invalid": "Durée invalide (0 mois, plus de 1 200 mois, « NC » ou non numérique), ignorée",
    "replacement_characters": "Caractères de remplacement (�) : accents perdus à la source",
    "mojibake": "Texte doublement encodé (« Ã© » pour « é », « Â° » pour « ° »)",
    "garbled_accents": "Majuscules accentuées au milieu de mots en minuscules (« ÉlÉments »)",
    "place_type_fixed": "Type de code du lieu d'exécution corrigé d'après la forme du code",
    "place_code_repaired": "Code du lieu d'exécution complété (zéro initial perdu)",
    "missing_holder": "Aucun titulaire",
    "holder_not_siret": "Titulaire identifié autrement que par un SIRET (TVA, hors UE…) ou sans identifiant",
    "holder_type_inferred": "Type d'identifiant du titulaire absent, déduit du format (14 chiffres : SIRET)",
    "holder_dropped": "Entrée de titulaire inexploitable ignorée",
    "contract_id_placeholder": "Identifiant du marché fictif (uniquement des zéros) : uid non fiable",
    "kind_fixed": "Contrat de concession publié comme marché (ou l'inverse), corrigé d'après sa nature",
    "nature_unknown": "Nature du contrat non reconnue",
    "procedure_unknown": "Procédure non reconnue",
    "offers_invalid": "Nombre d'offres reçues non numérique ou négatif, ignoré",
    "json_repaired": "JSON réparé à la lecture (barre oblique inverse ou guillemet non échappés)",
    "value_too_long": "Valeur trop longue : texte tronqué, identifiant de titulaire ou code de lieu ignoré",
}

REJECTIONS: dict[str, str] = {
    "invalid_payload": "Enregistrement inexploitable : un objet (marché ou concession) était attendu",
    "missing_buyer_id": "Identifiant (SIRET) de l'acheteur ou de l'autorité concédante absent",
    "missing_contract_id": "Identifiant du marché absent",
    "identifier_too_long": (
        "Identifiant de l'acheteur (plus de 20 caractères) ou du marché (uid de plus de 100 caractères) trop long"
    ),
}

PLACE_TYPES = ("postcode", "commune", "arrondissement", "canton", "department", "region", "country")

AMOUNT_SUSPICIOUS = Decimal(1_000_000_000)
MAX_DURATION_MONTHS = 1200
MAX_COUNT = 10**9
MAX_EXPONENT = 30  # amounts beyond 10^30 are unreadable, not numbers
MIN_YEAR = 1950
# Longest values the database keeps (max_length in tremplin.contracts.models; a test checks they agree).
# Identifiers longer than that are not identifiers: the record is rejected (uid, buyer) or the value dropped
# (holder id, place code); texts are cut. Both are flagged ``value_too_long``.
MAX_UID = 100
MAX_BUYER_ID = 20
MAX_HOLDER_ID = 40
MAX_ID_TYPE = 12
MAX_PLACE_CODE = 20
MAX_NAME = 300
MAX_PLACE_NAME = 200
MAX_NATURE = 60
MAX_PROCEDURE = 120
MAX_PRICE_FORM = 60
MAX_MODIFICATION_ID = 40
MEMO_SIZE = 50_000  # entries per memo of a pure field function (dates, CPV, places, vocabularies)

# --------------------------------------------------------------------------------------
# Result types
# --------------------------------------------------------------------------------------


def _fast_init(cls: type) -> type:
    """Give a frozen slotted dataclass a faster ``__init__`` (same signature, no defaults): it sets the slots
    through their descriptors instead of ``object.__setattr__`` — 3 µs instead of 7 µs for ``Contract``,
    which is built a million and a half times in a national import. Instances stay frozen."""
    names = [f.name for f in fields(cls)]
    if any(f.default is not MISSING or f.default_factory is not MISSING for f in fields(cls)):
        raise TypeError(f"{cls.__name__}: fields with defaults are not supported")
    setters = {f"_set_{name}": getattr(cls, name).__set__ for name in names}
    body = "\n".join(f"    _set_{name}(self, {name})" for name in names)
    source = f"def __init__(self, {', '.join(names)}):\n{body}\n"
    namespace: dict[str, Any] = {}
    exec(source, setters, namespace)  # noqa: S102 - generated from the dataclass field names only
    init = namespace["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init
    return cls


@_fast_init
@dataclass(frozen=True, slots=True)
class Holder:
    id_type: str | None
    id: str | None
    name: str | None


@_fast_init
@dataclass(frozen=True, slots=True)
class Modification:
    id: str | None
    notification_date: date | None
    publication_date: date | None
    object: str | None
    duration_months: int | None
    amount: Decimal | None
    holders: tuple[Holder, ...]


@dataclass(frozen=True, slots=True)
class Rejection:
    position: str
    reason_code: str
    reason_fr: str


@_fast_init
@dataclass(frozen=True, slots=True)
class Contract:
    uid: str
    id: str
    buyer_id: str
    buyer_name: str | None
    kind: str
    nature: str | None
    object: str | None
    cpv: str | None
    procedure: str | None
    place_code: str | None
    place_type: str | None
    place_name: str | None
    duration_months: int | None
    amount: Decimal | None
    notification_date: date | None
    publication_date: date | None
    offers_received: int | None
    price_form: str | None
    holders: tuple[Holder, ...]
    modifications: tuple[Modification, ...]
    techniques: tuple[str, ...]
    execution_modalities: tuple[str, ...]
    social_considerations: tuple[str, ...]
    environmental_considerations: tuple[str, ...]
    innovative: bool | None
    subcontracting_declared: bool | None
    framework_id: str | None
    groupement_type: str | None
    ccag: str | None
    price_types: tuple[str, ...]
    flags: tuple[str, ...]
    format: str
    source: str
    position: str
    raw: Any = field(compare=False, repr=False)

    @property
    def current_amount(self) -> Decimal | None:
        """Amount after the modifications (each modification states the new total)."""
        for mod in reversed(self.modifications):
            if mod.amount is not None:
                return mod.amount
        return self.amount

    @property
    def current_duration_months(self) -> int | None:
        for mod in reversed(self.modifications):
            if mod.duration_months is not None:
                return mod.duration_months
        return self.duration_months

    @property
    def current_holders(self) -> tuple[Holder, ...]:
        for mod in reversed(self.modifications):
            if mod.holders:
                return mod.holders
        return self.holders

    @property
    def dedup_key(self) -> tuple[str, str, tuple[str, ...]]:
        """decp-processing's duplicate key: uid, notification date, holder ids."""
        holder_ids = tuple(sorted(h.id or "" for h in self.holders))
        notified = self.notification_date.isoformat() if self.notification_date else ""
        return (self.uid, notified, holder_ids)


# --------------------------------------------------------------------------------------
# Small value helpers
# --------------------------------------------------------------------------------------

# Null-equivalents, compared after strip() and lower().
_NULL_TOKENS = frozenset(
    {
        "",
        "nc",
        "n/c",
        "n.c.",
        "n.c",
        "nd",
        "n/d",
        "na",
        "n/a",
        "null",
        "none",
        "nan",
        "nil",
        "sans objet",
        "non renseigné",
        "non renseigne",
        "inconnu",
        "-",
        "--",
        "?",
    }
)
_NULL_PREFIXES = ("pas de ", "pas d ", "aucun ", "aucune ")
_TRUE = frozenset({"true", "1", "oui", "yes", "vrai", "o", "y", "t"})
_FALSE = frozenset({"false", "0", "non", "no", "faux", "n", "f"})
_CONTROL_TABLE = {i: " " for i in range(32)} | {0x7F: " ", 0xA0: " ", 0x202F: " "}
_HTML_BREAK = re.compile(r"<\s*br\s*/?\s*>", re.I)
_ID_CLEAN = re.compile(r"[\s,\\./]")

# Double-encoded UTF-8: a lead byte read as Latin-1/Windows-1252 (Ã, Â, Å, or â + €) followed
# by continuation bytes read the same way.
_CP1252_HIGH = bytes(range(0x80, 0xC0)).decode("cp1252", errors="ignore")
_CONTINUATION = "".join(sorted(set(_CP1252_HIGH + "".join(chr(b) for b in range(0x80, 0xC0)))))
_MOJIBAKE = re.compile("(?:[ÂÃÅ]|â[€\x80])[" + re.escape(_CONTINUATION) + "]+")
_GARBLED_CASE = re.compile(r"[a-zß-ÿ][ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ][a-zß-ÿ]")


def _encode_mojibake(text: str) -> bytes:
    out = bytearray()
    for char in text:
        try:
            out += char.encode("cp1252")
        except UnicodeEncodeError:
            out += char.encode("latin-1")
    return bytes(out)


def is_mojibake(text: str) -> bool:
    """True when ``text`` holds a provably double-encoded UTF-8 sequence: re-encoded as
    Windows-1252 (Latin-1 for the five bytes it leaves undefined), it decodes as UTF-8."""
    for match in _MOJIBAKE.finditer(text):
        run = match.group()
        sequence = run[:3] if run[0] == "â" else run[:2]
        try:
            _encode_mojibake(sequence).decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            continue
        return True
    return False


def is_null(value: Any) -> bool:
    """Null-equivalents: None, NaN, "", "NC", "N/C", "null", "None", "NaN", "Sans objet"…"""
    if value is None:
        return True
    if isinstance(value, str):
        return len(value) < 16 and value.strip().lower() in _NULL_TOKENS
    if isinstance(value, float):
        return value != value
    return False


def is_null_choice(value: Any) -> bool:
    """Null-equivalents for enumerated fields, where "Pas de …" / "Aucun…" mean "none"."""
    if is_null(value):
        return True
    return isinstance(value, str) and (fold(value) + " ").startswith(_NULL_PREFIXES)


def clean_text(value: Any) -> str | None:
    """Trimmed single-spaced text (``<br />`` and control characters as spaces), or None."""
    if not isinstance(value, str):
        if value is None or isinstance(value, (dict, list, bool)):
            return None
        if isinstance(value, float) and value != value:
            return None
        value = str(value)
    if not value.isprintable():  # control characters, tabs, newlines, no-break spaces
        value = value.translate(_CONTROL_TABLE)
    if "<" in value:
        value = _HTML_BREAK.sub(" ", value)
    text = value.strip()
    if "  " in text:
        text = " ".join(text.split())
    if len(text) < 16 and text.lower() in _NULL_TOKENS:
        return None
    return text


def to_bool(value: Any) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value == value:
        return bool(value) if value in (0, 1) else None
    if isinstance(value, str):
        key = value.strip().lower()
        if key in _TRUE:
            return True
        if key in _FALSE:
            return False
    return None


def to_decimal(value: Any) -> tuple[Decimal | None, bool]:
    """Parse an amount. Returns (value, present): ``present`` is False for null-equivalents
    and True for anything else, including unreadable text (value None)."""
    if isinstance(value, bool) or is_null(value):
        return None, False
    if isinstance(value, int):
        return Decimal(value), True
    if isinstance(value, float):
        if value in (float("inf"), float("-inf")):
            return None, True
        return Decimal(repr(value)), True
    if isinstance(value, Decimal):
        return (value if value.is_finite() and abs(value.adjusted()) <= MAX_EXPONENT else None), True
    if not isinstance(value, str):
        return None, True
    text = "".join(value.replace("€", "").replace("EUR", "").split()).replace("\u202f", "")
    if "," in text:
        if "." in text:
            # 1.234,56 (French) or 1,234.56 (English): the last separator is the decimal one.
            text = (
                text.replace(".", "").replace(",", ".") if text.rfind(",") > text.rfind(".") else text.replace(",", "")
            )
        else:
            text = text.replace(",", ".")
    try:
        number = Decimal(text)
    except InvalidOperation:
        return None, True
    if not number.is_finite() or not -MAX_EXPONENT <= number.adjusted() <= MAX_EXPONENT:
        return None, True  # "1e999999999": unreadable, and beyond what Decimal arithmetic accepts
    return number, True


def to_int(value: Any) -> tuple[int | None, bool]:
    """Parse a count (duration, offers). Returns (value, present) like ``to_decimal``."""
    if isinstance(value, bool):
        return None, True
    if isinstance(value, int):
        return (value if abs(value) < MAX_COUNT else None), True
    number, present = to_decimal(value)
    if number is None:
        return None, present
    if abs(number) >= MAX_COUNT:  # also avoids materialising 1E+999999999
        return None, True
    return int(number.to_integral_value()), True


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

_DATE_ISO = re.compile(r"(\d{1,4})-(\d{1,2})-(\d{1,2})(?=$|[T\s+\-Z]|\.\d)")
_DATE_FR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})(?=$|\s)")
_DATE_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})$")
_DATE_WORDS = re.compile(r"([A-Za-zéû]+)\.?,?\s+(\d{1,2}),?\s+(\d{4})\b")
_MONTHS = {
    name: index
    for index, names in enumerate(
        (
            ("january", "jan", "janvier", "janv"),
            ("february", "feb", "fevrier", "février", "fev", "fév"),
            ("march", "mar", "mars"),
            ("april", "apr", "avril", "avr"),
            ("may", "mai"),
            ("june", "jun", "juin"),
            ("july", "jul", "juillet", "juil"),
            ("august", "aug", "aout", "août"),
            ("september", "sep", "sept", "septembre"),
            ("october", "oct", "octobre"),
            ("november", "nov", "novembre"),
            ("december", "dec", "decembre", "décembre", "déc"),
        ),
        start=1,
    )
    for name in names
}

DATE_OK = "ok"
DATE_MISSING = "missing"
DATE_REPAIRED = "repaired"
DATE_INVALID = "invalid"


def _repair_year(text: str, today: date) -> tuple[int | None, bool]:
    """Year from the data, with the known typing slips fixed. Returns (year, repaired)."""
    digits = text.lstrip("0")
    if len(text) == 4 and len(digits) == 4:
        year = int(text)
        if year > today.year and text[0] != "2":
            fixed = 2000 + int(text[1:])  # 5021 → 2021: slip on the first digit
            if 2000 <= fixed <= today.year:
                return fixed, True
        return year, False
    if len(digits) == 3 and digits[0] == "2":
        return 2000 + int(digits[1:]), True  # "220-" / "0222-" → 2020 / 2022
    if len(digits) == 2 and int(digits) >= 10:
        return 2000 + int(digits), True  # "0022" → 2022
    return None, False


def parse_date(value: Any, today: date) -> tuple[date | None, str]:
    """Parse a DECP date. A timezone suffix (``2018-12-17+01:00``) or a time is normal and
    dropped silently. Returns (date, status) with status ok / missing / repaired /
    invalid (impossible date, year before 1950 or garbage, or date in the future)."""
    if isinstance(value, date):
        return value, DATE_OK
    if is_null(value):
        return None, DATE_MISSING
    text = str(value).strip()
    repaired = False
    match = _DATE_ISO.match(text)
    if match:
        year_text, month, day = match.groups()
        year, repaired = _repair_year(year_text, today)
    else:
        match = _DATE_FR.match(text)
        if match:
            day, month, year_text = match.groups()
            year = int(year_text)
        else:
            match = _DATE_COMPACT.match(text)
            if match:
                year_text, month, day = match.groups()
                year = int(year_text)
            else:
                match = _DATE_WORDS.search(text)
                month_number = _MONTHS.get(match.group(1).lower()) if match else None
                if not month_number:
                    return None, DATE_INVALID
                month, day, year = month_number, match.group(2), int(match.group(3))
                repaired = True
    if year is None:
        return None, DATE_INVALID
    try:
        result = date(year, int(month), int(day))
    except ValueError:
        return None, DATE_INVALID
    if result.year < MIN_YEAR or result > today:
        return None, DATE_INVALID
    return result, DATE_REPAIRED if repaired else DATE_OK


def _canonical(value: Any, table: dict[str, str]) -> tuple[str | None, bool]:
    text = clean_text(value)
    if text is None:
        return None, True
    found = table.get(fold(text))
    return (found, True) if found else (text, False)


# Memo of canonical() for string values, per table (id → (table, {value: result})). Enumerated fields take
# a few hundred distinct spellings nationally; the memo is bounded anyway.
_CANONICAL_MEMO: dict[int, tuple[dict[str, str], dict[str, tuple[str | None, bool]]]] = {}


def canonical(value: Any, table: dict[str, str]) -> tuple[str | None, bool]:
    """(canonical value or the cleaned original, known?). Null-equivalents → (None, True)."""
    if type(value) is not str:
        return _canonical(value, table)
    entry = _CANONICAL_MEMO.get(id(table))
    if entry is None or entry[0] is not table:
        entry = _CANONICAL_MEMO[id(table)] = (table, {})
    memo = entry[1]
    result = memo.get(value)
    if result is None:
        result = _canonical(value, table)
        if len(memo) < MEMO_SIZE:
            memo[value] = result
    return result


def place_type(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    key = fold(text)
    if key.startswith("code "):
        key = key[5:]
    return PLACE_TYPE_WORDS.get(key)


# --------------------------------------------------------------------------------------
# Structure helpers
# --------------------------------------------------------------------------------------


def _obj(value: Any) -> dict[str, Any]:
    """A dict with keys stripped of surrounding spaces (``"nom "`` in real data)."""
    if not isinstance(value, dict):
        return {}
    try:
        keys = "\x00".join(value)
    except TypeError:  # non-string keys
        return {str(k).strip(): v for k, v in value.items()}
    if " \x00" in keys or "\x00 " in keys or keys[:1] == " " or keys[-1:] == " ":
        return {k.strip(): v for k, v in value.items()}
    return value


def _first(data: dict[str, Any], *keys: str) -> Any:
    for key in keys:
        value = data.get(key)
        if value is not None and not (isinstance(value, str) and not value.strip()):
            return value
    return None


def flatten(value: Any, wrappers: tuple[str, ...]) -> list[Any]:
    """Items of a list field in any of its real shapes: plain list, list of lists (any
    depth), list of one-key wrappers (``[{"titulaire": {...}}]``), wrapper object
    (``{"modification": [...]}``) or a single object."""
    out: list[Any] = []
    _flatten_into(value, wrappers, out)
    return out


def _flatten_into(value: Any, wrappers: tuple[str, ...], out: list[Any]) -> None:
    if value is None:
        return
    if isinstance(value, (list, tuple)):
        for item in value:
            _flatten_into(item, wrappers, out)
        return
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, inner),) = value.items()
            if key in wrappers or isinstance(inner, (list, dict)) and key.rstrip("s") in wrappers:
                _flatten_into(inner, wrappers, out)
                return
        for key in wrappers:
            inner = value.get(key)
            if isinstance(inner, (list, dict)):
                _flatten_into(inner, wrappers, out)
                return
        out.append(value)
        return
    out.append(value)


def _is_scalar_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and not any(isinstance(x, (dict, list)) for x in value)


def unzip(item: dict[str, Any]) -> list[dict[str, Any]]:
    """Split an item whose fields are parallel lists (``{"id": ["a", "b"],
    "typeIdentifiant": ["SIRET", "SIRET"]}``: several holders or modifications packed into
    one XML element, then converted to JSON) into one dict per position."""
    lengths = [len(value) for value in item.values() if _is_scalar_list(value)]
    if not lengths:
        return [item]
    return [
        {
            key: (value[index] if index < len(value) else None) if _is_scalar_list(value) else value
            for key, value in item.items()
        }
        for index in range(max(lengths))
    ]


def _choices(payload: dict[str, Any], keys: tuple[str, ...], wrapper: str, table: dict[str, str]) -> tuple[str, ...]:
    raw = _first(payload, *keys)
    values: list[str] = []
    for item in flatten(raw, (wrapper,)):
        if isinstance(item, str) and any(sep in item for sep in ",;|"):
            parts: list[Any] = re.split(r"[,;|]", item)
        else:
            parts = [item]
        for part in parts:
            if isinstance(part, (dict, list)) or is_null_choice(part):
                continue
            text, _known = canonical(part, table)
            if text and text not in values:
                values.append(text)
    return tuple(values)


_TECHNIQUE_KEYS = ("techniques", "techniques_technique", "technique")
_MODALITY_KEYS = ("modalitesExecution", "modalitesExecution_modaliteExecution", "modaliteExecution")
_SOCIAL_KEYS = ("considerationsSociales", "considerationsSociales_considerationSociale", "considerationSociale")
_ENVIRONMENTAL_KEYS = (
    "considerationsEnvironnementales",
    "considerationsEnvironnementales_considerationEnvironnementale",
    "considerationEnvironnementale",
)
_PRICE_TYPE_KEYS = ("typesPrix", "typesPrix_typePrix", "typePrix", "TypePrix")
_CHOICE_KEYS = frozenset(_TECHNIQUE_KEYS + _MODALITY_KEYS + _SOCIAL_KEYS + _ENVIRONMENTAL_KEYS + _PRICE_TYPE_KEYS)


def _all_choices(payload: dict[str, Any]) -> tuple[tuple[str, ...], ...]:
    return (
        _choices(payload, _TECHNIQUE_KEYS, "technique", TECHNIQUES),
        _choices(payload, _MODALITY_KEYS, "modaliteExecution", MODALITIES),
        _choices(payload, _SOCIAL_KEYS, "considerationSociale", SOCIAL),
        _choices(payload, _ENVIRONMENTAL_KEYS, "considerationEnvironnementale", ENVIRONMENTAL),
        _choices(payload, _PRICE_TYPE_KEYS, "typePrix", PRICE_TYPES),
    )


# --------------------------------------------------------------------------------------
# Field normalisers
# --------------------------------------------------------------------------------------


def clean_contract_id(value: Any) -> str | None:
    text = clean_text(value)
    if text is None:
        return None
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    return _ID_CLEAN.sub("_", text)


def clean_siret_like(value: Any) -> str | None:
    """Identifier with spaces removed; ``123.0`` (spreadsheet float) → ``123``."""
    if isinstance(value, float) and value == value and value.is_integer():
        value = int(value)
    text = clean_text(value)
    if text is None:
        return None
    compact = "".join(text.split())
    if compact.endswith(".0") and compact[:-2].isdigit():
        compact = compact[:-2]
    if compact.replace(".", "").isdigit():
        compact = compact.replace(".", "")
    return compact


_CPV_CHECK_DIGIT = re.compile(r"\s*[-/]\s*")


_CPV_MEMO: dict[str, tuple[str | None, str]] = {}


def normalize_cpv(value: Any) -> tuple[str | None, str]:
    """CPV → 8 digits. Returns (code, status) with status ok / missing / repaired / invalid."""
    if type(value) is str:
        hit = _CPV_MEMO.get(value)
        if hit is None:
            hit = _normalize_cpv(value)
            if len(_CPV_MEMO) < MEMO_SIZE:
                _CPV_MEMO[value] = hit
        return hit
    return _normalize_cpv(value)


def _normalize_cpv(value: Any) -> tuple[str | None, str]:
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else None
    elif isinstance(value, bool):
        value = None
    text = clean_text(value)
    if text is None:
        return None, "missing"
    main = _CPV_CHECK_DIGIT.split(text, maxsplit=1)[0]
    digits = "".join(main.split())
    if not digits.isdigit():
        return None, "invalid"
    repaired = digits != main
    if len(digits) == 8:
        code = digits
    elif len(digits) == 9:
        code, repaired = digits[:8], True  # check digit glued on
    elif len(digits) > 9:
        code, repaired = digits[:8], True
    elif len(digits) == 7 and digits[0] in "39":
        code, repaired = "0" + digits, True  # lost leading zero (divisions 03 / 09)
    elif len(digits) >= 2:
        code, repaired = digits.ljust(8, "0"), True
    else:
        return None, "invalid"
    if code == "00000000" or code[:2] == "00":
        return None, "invalid"
    return code, "repaired" if repaired else "ok"


_PLACE_MEMO: dict[tuple, tuple[str | None, str | None, str | None, tuple[str, ...]]] = {}
_PLACE_KEYS = frozenset({"code", "typeCode", "nom"})
_MEMO_SCALARS = (str, int, type(None))


def _place(payload: dict[str, Any], flags: dict[str, None]) -> tuple[str | None, str | None, str | None]:
    place = payload.get("lieuExecution")
    if type(place) is dict and place.keys() <= _PLACE_KEYS:
        key = (place.get("code"), place.get("typeCode"), place.get("nom"))
        if type(key[0]) in _MEMO_SCALARS and type(key[1]) in _MEMO_SCALARS and type(key[2]) in _MEMO_SCALARS:
            hit = _PLACE_MEMO.get(key)
            if hit is None:
                found: dict[str, None] = {}
                hit = (*_read_place(place, found), tuple(found))
                if len(_PLACE_MEMO) < MEMO_SIZE:
                    _PLACE_MEMO[key] = hit
            code, kind, name, place_flags = hit
            for flag in place_flags:
                flags[flag] = None
            return code, kind, name
    place = _obj(place)
    if not place:
        place = {k.split(".", 1)[1]: v for k, v in payload.items() if k.startswith("lieuExecution.")}
    return _read_place(place, flags)


def _read_place(place: dict[str, Any], flags: dict[str, None]) -> tuple[str | None, str | None, str | None]:
    code = clean_text(place.get("code"))
    if code is not None:
        code = "".join(code.split()).upper()
        if len(code) > MAX_PLACE_CODE:
            code = None
            flags["value_too_long"] = None
    kind = place_type(place.get("typeCode"))
    name = _limit(clean_text(place.get("nom")), MAX_PLACE_NAME, flags)
    if code is None:
        return None, kind, name
    if code.isdigit():
        if kind in ("department", "region") and len(code) == 5:
            kind = "postcode"
            flags["place_type_fixed"] = None
        elif kind == "postcode" and (len(code) == 2 or (len(code) == 3 and code[:2] in ("97", "98"))):
            kind = "department"
            flags["place_type_fixed"] = None
        elif kind == "postcode" and len(code) == 4:
            code = "0" + code
            flags["place_code_repaired"] = None
        elif kind == "department" and len(code) == 1:
            code = "0" + code
            flags["place_code_repaired"] = None
    elif kind == "postcode" and code in ("2A", "2B"):
        kind = "department"
        flags["place_type_fixed"] = None
    return code, kind, name


_HOLDER_MEMO: dict[tuple, tuple[Holder | None, tuple[str, ...]]] = {}
_HOLDER_MEMO_SIZE = 200_000  # ~200,000 distinct holders nationally (data-notes §5)
_HOLDER_KEYS = frozenset({"typeIdentifiant", "id", "denominationSociale"})
_STR_OR_NONE = (str, type(None))


_CONCESSION_BUYER_KEYS = ("autoriteConcedante", "acheteur")
_MARCHE_BUYER_KEYS = ("acheteur", "autoriteConcedante")
_BUYER_FIELDS = frozenset({"id", "nom"})
_BUYER_MEMO: dict[tuple[str, str | None], tuple[tuple[str, str | None] | str, tuple[str, ...]]] = {}


def _buyer(payload: dict[str, Any], keys: tuple[str, str], flags: dict[str, None]) -> tuple[str, str | None] | str:
    """(buyer id, buyer name) from the first of ``keys`` that names one (nested object, flat ``key.id``
    field or bare value), or the rejection code. The common shape ``{"id": "…", "nom": "…"}`` is memoised
    (27,000 buyers nationally)."""
    first = payload.get(keys[0])
    if type(first) is dict and first.keys() <= _BUYER_FIELDS:
        ident, name = first.get("id"), first.get("nom")
        if type(ident) is str and not is_null(ident) and type(name) in _STR_OR_NONE:
            memo_key = (ident, name)
            hit = _BUYER_MEMO.get(memo_key)
            if hit is None:
                found: dict[str, None] = {}
                hit = (_buyer_values(ident, clean_text(name), found), tuple(found))
                if len(_BUYER_MEMO) < MEMO_SIZE:
                    _BUYER_MEMO[memo_key] = hit
            result, buyer_flags = hit
            if type(result) is str or result[1] is not None or f"{keys[0]}.nom" not in payload:
                for flag in buyer_flags:
                    flags[flag] = None
                return result
    buyer: dict[str, Any] = {}
    buyer_id_value: Any = None
    for key in keys:
        candidate = payload.get(key)
        if isinstance(candidate, dict):
            buyer = _obj(candidate)
            buyer_id_value = buyer.get("id")
        elif not is_null(candidate) and not isinstance(candidate, list):
            buyer_id_value = candidate
        if is_null(buyer_id_value):
            buyer_id_value = payload.get(f"{key}.id")
        if not is_null(buyer_id_value):
            buyer_name = clean_text(buyer.get("nom")) or clean_text(payload.get(f"{key}.nom"))
            return _buyer_values(buyer_id_value, buyer_name, flags)
    return "missing_buyer_id"


def _buyer_values(value: Any, name: str | None, flags: dict[str, None]) -> tuple[str, str | None] | str:
    buyer_id = clean_siret_like(value)
    if buyer_id is None:
        return "missing_buyer_id"
    if len(buyer_id) > MAX_BUYER_ID:
        return "identifier_too_long"
    name = _limit(name, MAX_NAME, flags)
    if buyer_id.isdigit() and len(buyer_id) == 14:
        if not siret_is_valid(buyer_id):
            flags["siret_checksum"] = None
    else:
        flags["siret_malformed"] = None
    return buyer_id, name


def _holders(value: Any, flags: dict[str, None], fmt: str) -> tuple[Holder, ...]:
    if type(value) is list:
        fast = _holders_fast(value, flags, fmt)
        if fast is not None:
            return fast
    holders: list[Holder] = []
    items: list[Any] = []
    for item in flatten(value, ("titulaire", "concessionnaire")):
        items.extend(unzip(_obj(item)) if isinstance(item, dict) else (item,))
    for item in items:
        if not isinstance(item, dict):
            if not is_null(item):
                flags["holder_dropped"] = None
            continue
        holder = _holder(item, flags, fmt)
        if holder is not None and holder not in holders:
            holders.append(holder)
    return tuple(holders)


def _holders_fast(value: list[Any], flags: dict[str, None], fmt: str) -> tuple[Holder, ...] | None:
    """The common shape (a list of flat ``{typeIdentifiant, id, denominationSociale}`` objects with text
    values), memoised per holder; None when the list has any other shape (the general path handles it)."""
    holders: list[Holder] = []
    tabular = fmt == FORMAT_TABULAR
    for item in value:
        if type(item) is not dict or not item.keys() <= _HOLDER_KEYS:
            return None
        raw_type, raw_id, raw_name = item.get("typeIdentifiant"), item.get("id"), item.get("denominationSociale")
        if type(raw_type) not in _STR_OR_NONE or type(raw_id) not in _STR_OR_NONE or type(raw_name) not in _STR_OR_NONE:
            return None
        key = (raw_type, raw_id, raw_name, "typeIdentifiant" in item, tabular)
        hit = _HOLDER_MEMO.get(key)
        if hit is None:
            found: dict[str, None] = {}
            hit = (_holder(item, found, fmt), tuple(found))
            if len(_HOLDER_MEMO) < _HOLDER_MEMO_SIZE:
                _HOLDER_MEMO[key] = hit
        holder, holder_flags = hit
        for flag in holder_flags:
            flags[flag] = None
        if holder is not None and holder not in holders:
            holders.append(holder)
    return tuple(holders)


def _holder(item: dict[str, Any], flags: dict[str, None], fmt: str) -> Holder | None:
    raw_type = item.get("typeIdentifiant")
    id_type, _known = canonical(raw_type, HOLDER_ID_TYPES)
    if id_type is not None:
        id_type = id_type.upper()
        if len(id_type) > MAX_ID_TYPE:
            id_type = id_type[:MAX_ID_TYPE]
            flags["value_too_long"] = None
    ident = clean_siret_like(item.get("id"))
    if ident is not None and len(ident) > MAX_HOLDER_ID:
        ident = None
        flags["value_too_long"] = None
    name = _limit(clean_text(_first(item, "denominationSociale", "nom", "raisonSociale")), MAX_NAME, flags)
    if ident is None and name is None:
        flags["holder_dropped"] = None
        return None
    if ident is not None and id_type in (None, "SIRET") and ident.isdigit():
        if id_type is None and len(ident) == 14:
            id_type = "SIRET"
            if fmt != FORMAT_TABULAR or "typeIdentifiant" in item:
                flags["holder_type_inferred"] = None
    if id_type == "SIRET" and ident is not None:
        if len(ident) != 14 or not ident.isdigit():
            flags["siret_malformed"] = None
        elif not siret_is_valid(ident):
            flags["siret_checksum"] = None
    if id_type != "SIRET" or ident is None:
        flags["holder_not_siret"] = None
    return Holder(id_type, ident, name)


def _limit(text: str | None, size: int, flags: dict[str, None]) -> str | None:
    """``text`` cut to ``size`` characters (flagged ``value_too_long`` when it was longer)."""
    if text is not None and len(text) > size:
        flags["value_too_long"] = None
        return text[:size].rstrip()
    return text


def _amount(value: Any, flags: dict[str, None]) -> Decimal | None:
    """Parse the amount at notification and flag the suspicious ones. Every suspicious case (missing, ≤ 1 €,
    ≥ 1 bn €, only 9s) carries ``amount_suspicious`` plus its specific flag: such contracts count in numbers
    but are left out of amount sums."""
    kind = type(value)
    if kind is float:
        if 1.0 < value < 1e9 and int(value) not in _NINES:  # the common case; NaN and ±inf fail the test
            return Decimal(repr(value))
    elif kind is int and 1 < value < 1_000_000_000 and value not in _NINES:
        return Decimal(value)
    amount, _present = to_decimal(value)
    if amount is None:
        flags["amount_missing"] = None
        flags["amount_suspicious"] = None
        return None
    specific = suspicious_amount(amount)
    if specific is not None:
        flags[specific] = None
        flags["amount_suspicious"] = None
    return amount


def suspicious_amount(amount: Decimal) -> str | None:
    """The specific flag of a suspicious amount (``amount_negative``, ``amount_placeholder`` for ≤ 1 € or
    only 9s, ``amount_too_large`` for ≥ 1 bn €), or None for a plausible amount."""
    if amount < 0:
        return "amount_negative"
    if amount <= 1:
        return "amount_placeholder"
    if amount >= AMOUNT_SUSPICIOUS:
        return "amount_too_large"
    if int(amount) in _NINES:
        return "amount_placeholder"  # 99,99 / 999 999 / 999 999 999
    return None


_NINES = frozenset(10**n - 1 for n in range(1, 10))  # 9 … 999,999,999 (larger amounts are already suspicious)


def _duration(value: Any, flags: dict[str, None]) -> int | None:
    months, present = to_int(value)
    if months is None:
        if present or (isinstance(value, str) and fold(value) == "nc"):
            flags["duration_invalid"] = None
        return None
    if months <= 0 or months > MAX_DURATION_MONTHS:
        flags["duration_invalid"] = None
        return None
    return months


_DATE_MEMO: dict[str, tuple[date | None, str]] = {}
_DATE_MEMO_DAY: list[date | None] = [None]  # the "today" the memo was computed for


def _date(value: Any, flags: dict[str, None], today: date) -> date | None:
    if type(value) is str:
        if _DATE_MEMO_DAY[0] != today:
            _DATE_MEMO.clear()
            _DATE_MEMO_DAY[0] = today
        hit = _DATE_MEMO.get(value)
        if hit is None:
            hit = parse_date(value, today)
            if len(_DATE_MEMO) < MEMO_SIZE:
                _DATE_MEMO[value] = hit
        result, status = hit
    else:
        result, status = parse_date(value, today)
    if status == DATE_REPAIRED:
        flags["date_repaired"] = None
    elif status == DATE_INVALID:
        flags["date_invalid"] = None
    return result


def _modifications(value: Any, kind: str, flags: dict[str, None], fmt: str, today: date) -> tuple[Modification, ...]:
    if not value:  # None, [] or "": the common case
        return ()
    items: list[Any] = []
    for item in flatten(value, ("modification",)):
        if isinstance(item, dict):
            items.extend(unzip(_obj(item)))
    keyed: list[tuple[tuple[bool, date, int], Modification]] = []
    for position, item in enumerate(items):
        notified = _date(
            _first(item, "dateNotificationModification", "dateSignatureModification", "dateNotification"), flags, today
        )
        published = _date(_first(item, "datePublicationDonneesModification", "datePublicationDonnees"), flags, today)
        duration = _duration(item.get("dureeMois"), flags) if not is_null(item.get("dureeMois")) else None
        amount_value = (
            _first(item, "valeurGlobale", "montant")
            if kind == KIND_CONCESSION
            else _first(item, "montant", "valeurGlobale")
        )
        amount, _present = to_decimal(amount_value)
        holders = _holders(_first(item, "titulaires", "concessionnaires"), flags, fmt)
        obj = clean_text(_first(item, "objetModification", "objet"))
        ident = _limit(clean_text(item.get("id")), MAX_MODIFICATION_ID, flags)
        if all(v is None for v in (notified, published, duration, amount, obj)) and not holders:
            continue  # empty <modification/> or {"id": 1} only
        mod = Modification(ident, notified, published, obj, duration, amount, holders)
        when = notified or published
        keyed.append(((when is None, when or date.min, position), mod))
    keyed.sort(key=lambda pair: pair[0])
    return tuple(mod for _key, mod in keyed)


# The characters the mojibake and garbled-accent patterns start from: one fast scan tells whether the two
# slower searches are needed at all (they are not for most French text).
_TEXT_FAULT_LEADS = re.compile("[ÂÃÅâÀÄÇÉÈÊËÎÏÔÖÙÛÜ]")


def _text_flags(texts: list[str | None], flags: dict[str, None]) -> None:
    joined = "\n".join([t for t in texts if t])
    if not joined or joined.isascii():
        return
    if "\ufffd" in joined:
        flags["replacement_characters"] = None
    if _TEXT_FAULT_LEADS.search(joined) is None:
        return
    if is_mojibake(joined):
        flags["mojibake"] = None
    if _GARBLED_CASE.search(joined):
        flags["garbled_accents"] = None


# --------------------------------------------------------------------------------------
# Entry point
# --------------------------------------------------------------------------------------


_NATURE_MEMO: dict[str, tuple[str | None, str | None, tuple[str, ...]]] = {}


def _nature(value: Any, flags: dict[str, None]) -> tuple[str | None, str | None]:
    """(canonical nature, the kind it implies or None)."""
    nature, known = canonical(value, NATURES_CONCESSION)
    if known and nature is not None:
        return nature, KIND_CONCESSION
    nature, known = canonical(value, NATURES_MARCHE)
    if known:
        return nature, KIND_MARCHE if nature is not None else None
    flags["nature_unknown"] = None
    return _limit(nature, MAX_NATURE, flags), None


def reject(raw: RawRecord, code: str) -> Rejection:
    return Rejection(raw.position, code, REJECTIONS[code])


def normalize(raw: RawRecord, source: str, *, today: date | None = None) -> Contract | Rejection:
    """Turn one raw record into a ``Contract`` (with flags) or a ``Rejection``. Never raises
    on bad data."""
    try:
        return _normalize(raw, source, today or date.today())
    except RecursionError:  # lists nested hundreds of levels deep
        return reject(raw, "invalid_payload")


def _normalize(raw: RawRecord, source: str, today: date) -> Contract | Rejection:
    payload = raw.payload
    if not isinstance(payload, dict) or not payload:
        return reject(raw, "invalid_payload")
    payload = _obj(payload)
    fmt = raw.format or guess_format(payload)
    flags: dict[str, None] = {}
    for note in raw.notes:
        if note.startswith("json_"):
            flags["json_repaired"] = None

    # Kind and nature (a concession published in a <marche> element is fixed by nature).
    kind = raw.kind
    nature_value = _first(payload, "nature")
    if type(nature_value) is str:
        hit = _NATURE_MEMO.get(nature_value)
        if hit is None:
            found_flags: dict[str, None] = {}
            hit = (*_nature(nature_value, found_flags), tuple(found_flags))
            if len(_NATURE_MEMO) < MEMO_SIZE:
                _NATURE_MEMO[nature_value] = hit
        nature, nature_kind, nature_flags = hit
        for flag in nature_flags:
            flags[flag] = None
    else:
        nature, nature_kind = _nature(nature_value, flags)
    if nature_kind is not None and nature_kind != kind:
        kind = nature_kind
        flags["kind_fixed"] = None
    concession = kind == KIND_CONCESSION

    # Buyer
    buyer_keys = _CONCESSION_BUYER_KEYS if concession else _MARCHE_BUYER_KEYS
    found = _buyer(payload, buyer_keys, flags)
    if type(found) is str:
        return reject(raw, found)
    buyer_id, buyer_name = found

    contract_id = clean_contract_id(payload.get("id"))
    if contract_id is None:
        return reject(raw, "missing_contract_id")
    if len(buyer_id) + len(contract_id) > MAX_UID:
        return reject(raw, "identifier_too_long")
    if not contract_id.strip("0_-"):
        flags["contract_id_placeholder"] = None

    # Dates
    notification = _date(
        _first(payload, "dateSignature", "dateNotification")
        if concession
        else _first(payload, "dateNotification", "dateSignature"),
        flags,
        today,
    )
    publication = _date(payload.get("datePublicationDonnees"), flags, today)
    if notification is None:
        flags["missing_notification_date"] = None
    elif publication is not None and publication < notification:
        flags["publication_before_notification"] = None

    # Amount, duration, CPV, procedure, place
    amount_value = (
        _first(payload, "valeurGlobale", "montant") if concession else _first(payload, "montant", "valeurGlobale")
    )
    amount = _amount(amount_value, flags)
    duration = _duration(payload.get("dureeMois"), flags)
    cpv, cpv_status = normalize_cpv(payload.get("codeCPV"))
    if cpv_status == "missing":
        flags["missing_cpv"] = None
    elif cpv_status == "repaired":
        flags["cpv_repaired"] = None
    elif cpv_status == "invalid":
        flags["cpv_invalid"] = None
    procedure, known = canonical(payload.get("procedure"), PROCEDURES)
    if not known:
        flags["procedure_unknown"] = None
        procedure = _limit(procedure, MAX_PROCEDURE, flags)
    place_code, place_kind, place_name = _place(payload, flags)
    price_form, known = canonical(payload.get("formePrix"), PRICE_FORMS)
    if not known:
        price_form = _limit(price_form, MAX_PRICE_FORM, flags)

    offers, present = to_int(payload.get("offresRecues"))
    if (offers is None and present) or (offers is not None and offers < 0):
        flags["offers_invalid"] = None
        offers = None

    # Holders and modifications
    holder_keys = ("concessionnaires", "titulaires") if concession else ("titulaires", "concessionnaires")
    holders = _holders(_first(payload, *holder_keys), flags, fmt)
    if not holders:
        flags["missing_holder"] = None
    modifications = _modifications(payload.get("modifications"), kind, flags, fmt, today)
    for modification in modifications:
        if modification.amount is not None and suspicious_amount(modification.amount) is not None:
            flags["modification_amount_suspicious"] = None
            flags["amount_suspicious"] = None

    # 2024 fields (list fields under their JSON, flattened or singular names)
    if _CHOICE_KEYS.isdisjoint(payload):
        techniques = modalities = social = environmental = price_types = ()
    else:
        techniques, modalities, social, environmental, price_types = _all_choices(payload)
    groupement_value = payload.get("typeGroupementOperateurs")
    groupement = None if is_null_choice(groupement_value) else canonical(groupement_value, GROUPEMENTS)[0]
    ccag_value = payload.get("ccag")
    ccag = None if is_null_choice(ccag_value) else canonical(ccag_value, CCAG)[0]

    obj = clean_text(payload.get("objet"))
    _text_flags(
        [obj, buyer_name, place_name]
        + [h.name for h in holders]
        + [m.object for m in modifications]
        + [h.name for m in modifications for h in m.holders],
        flags,
    )

    return Contract(
        uid=buyer_id + contract_id,
        id=contract_id,
        buyer_id=buyer_id,
        buyer_name=buyer_name,
        kind=kind,
        nature=nature,
        object=obj,
        cpv=cpv,
        procedure=procedure,
        place_code=place_code,
        place_type=place_kind,
        place_name=place_name,
        duration_months=duration,
        amount=amount,
        notification_date=notification,
        publication_date=publication,
        offers_received=offers,
        price_form=price_form,
        holders=holders,
        modifications=modifications,
        techniques=techniques,
        execution_modalities=modalities,
        social_considerations=social,
        environmental_considerations=environmental,
        innovative=to_bool(payload.get("marcheInnovant")),
        subcontracting_declared=to_bool(payload.get("sousTraitanceDeclaree")),
        framework_id=clean_text(payload.get("idAccordCadre")),
        groupement_type=groupement,
        ccag=ccag,
        price_types=price_types,
        flags=tuple(flags),
        format=fmt if fmt in (FORMAT_2019, FORMAT_2024, FORMAT_TABULAR) else FORMAT_2019,
        source=source,
        position=raw.position,
        raw=raw.payload,
    )


# --------------------------------------------------------------------------------------
# Tabular rows: one record per contract × holder, merged by the importer
# --------------------------------------------------------------------------------------


def merge_contracts(base: Contract, other: Contract) -> Contract:
    """Merge another record of the same contract into ``base`` (tabular rows are one per
    contract × holder): holders are united in order, flags united, the rest of ``base``
    is kept."""
    if other.uid != base.uid:
        raise ValueError(f"uids differ: {base.uid} != {other.uid}")
    holders = base.holders + tuple(h for h in other.holders if h not in base.holders)
    flags = tuple(dict.fromkeys(base.flags + other.flags))
    if holders and "missing_holder" in flags:
        flags = tuple(f for f in flags if f != "missing_holder")
    return replace(base, holders=holders, flags=flags)


def tabular_contract_key(contract: Contract) -> tuple[str, date | None, Decimal | None]:
    """Rows of one contract in the tabular file: same uid, notification date and amount
    (the amount of a multi-holder contract is repeated on each holder's row). A uid alone
    also groups distinct lots or orders published under one id (in the 2024-H2 extract:
    5,180 uids, 7,274 contracts by this key, 8,957 rows)."""
    return (contract.uid, contract.notification_date, contract.amount)


def group_contracts(contracts: Any, key: Any = tabular_contract_key) -> list[Contract]:
    """Merge contracts sharing ``key(contract)``, in first-seen order. In memory: for tests
    and small files; the importer merges against the database instead."""
    merged: dict[Any, Contract] = {}
    for contract in contracts:
        group = key(contract)
        existing = merged.get(group)
        merged[group] = contract if existing is None else merge_contracts(existing, contract)
    return list(merged.values())


def group_by_uid(contracts: Any) -> list[Contract]:
    """``group_contracts`` by uid only."""
    return group_contracts(contracts, key=lambda contract: contract.uid)
