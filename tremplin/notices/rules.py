"""Pure rules on published notices: identity and versions, references between notices, which copy of a notice
wins, whether a call for competition is open, CPV prefixes. No ORM, no request.

Identity and versions (the importer's rule):

- A notice is identified by its source (BOAMP, TED) and its ``key``: the BOAMP IDWEB, the TED document number,
  the eForms notice identifier *without* its version suffix (``<uuid>-01`` → ``<uuid>``, version 1).
- Copies of one notice are ranked by ``Rank``: a full notice beats a BOAMP summary entry, then a higher eForms
  version beats a lower one, then a later publication date beats an earlier one.
- Re-reading the copy a notice was stored from (same file and position) updates it when its content changed (a
  corrected file, a better parser); another copy updates it only when it ranks higher; a lower copy changes
  nothing; a copy of equal rank but different content is a conflict: the stored notice is kept and the other
  copy is recorded as rejected, so that re-importing the same files always ends in the same state.
- Corrections and cancellations published as notices of their own (TED F14 corrigendum, eForms change notice,
  BOAMP rectificatif) are stored as notices of kind ``correction`` / ``cancellation`` linked to the notice they
  change (``reference_key``); a cancellation closes the notice it cancels.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from tremplin.referentials.rules import cpv_significant_digits

KIND_COMPETITION = "competition"
KIND_CANCELLATION = "cancellation"

_EFORMS_VERSIONED = re.compile(
    r"^([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})-(\d{1,3})$"
)
_OJS_NUMBER = re.compile(r"^(\d{4})\s*/\s*S\s*\d{1,3}\s*-\s*(\d{1,7})$", re.IGNORECASE)
_PUBLICATION_NUMBER = re.compile(r"^0*(\d{1,8})-(\d{4})$")
_CPV_SEPARATORS = re.compile(r"[\s.]+")
_CPV_PREFIX = re.compile(r"^(\d{2,9})(?:-(\d))?$", re.ASCII)
DEPARTMENT_CODE = re.compile(r"^(0[1-9]|1\d|2[1-9]|[3-8]\d|9[0-5]|2A|2B|97[1-8]|98[4-9])$")


# ---------------------------------------------------------------------------------------------------------------
# Identity, versions, references
# ---------------------------------------------------------------------------------------------------------------


def notice_identity(source_id: str) -> tuple[str, int]:
    """(key, version) of a notice: an eForms identifier ``<uuid>-<version>`` is split; any other identifier is
    its own key, version 0."""
    match = _EFORMS_VERSIONED.match(source_id.strip())
    if match:
        return match.group(1).lower(), int(match.group(2))
    return source_id.strip(), 0


def reference_key(source: str, reference: str | None) -> str:
    """The normalised form of a notice number or reference, comparable across formats of one source.

    TED: ``2017/S 129-262839`` (OJ S number), ``262839-2017`` (document number) and ``00262839-2017`` (eForms
    publication number) all become ``262839-2017``; an eForms identifier loses its version. BOAMP: the IDWEB as
    published (``16-114771``). Empty for an empty reference."""
    text = " ".join((reference or "").split())
    if not text:
        return ""
    if source == "ted":
        match = _OJS_NUMBER.match(text)
        if match:
            return f"{int(match.group(2))}-{match.group(1)}"
        match = _PUBLICATION_NUMBER.match(text)
        if match:
            return f"{int(match.group(1))}-{match.group(2)}"
    return notice_identity(text)[0]


@dataclass(frozen=True, order=True)
class Rank:
    """How two copies of one notice compare: the higher one replaces the lower one."""

    complete: bool
    version: int
    publication_date: date

    @classmethod
    def of(cls, summary_only: bool, version: int, publication_date: date | None) -> Rank:
        return cls(not summary_only, version, publication_date or date.min)


CREATE, UPDATE, UNCHANGED, OLDER, CONFLICT = "create", "update", "unchanged", "older", "conflict"


@dataclass(frozen=True)
class StoredCopy:
    rank: Rank
    content_hash: str
    file: str
    position: str


def decide(stored: StoredCopy | None, incoming: StoredCopy) -> str:
    """What to do with an incoming copy of a notice, given the stored one (see the module docstring)."""
    if stored is None:
        return CREATE
    if stored.content_hash == incoming.content_hash:
        return UNCHANGED
    if (stored.file, stored.position) == (incoming.file, incoming.position):
        return UPDATE
    if incoming.rank > stored.rank:
        return UPDATE
    if incoming.rank < stored.rank:
        return OLDER
    return CONFLICT


# ---------------------------------------------------------------------------------------------------------------
# Open calls for competition
# ---------------------------------------------------------------------------------------------------------------


def is_open(
    kind: str, deadline_at: datetime | None, deadline_date: date | None, cancelled: bool, now: datetime, today: date
) -> bool:
    """A call for competition is open until its deadline, unless a cancellation notice closed it. Without a
    known time (or time zone), it stays open until the end of its deadline day (``today`` is the local date of
    ``now``). Without a deadline, it is not listed as open (a prior information notice calling for expressions
    of interest, a qualification system)."""
    if kind != KIND_COMPETITION or cancelled:
        return False
    if deadline_at is not None:
        return deadline_at > now
    if deadline_date is not None:
        return deadline_date >= today
    return False


# ---------------------------------------------------------------------------------------------------------------
# CPV prefixes and department codes (filters)
# ---------------------------------------------------------------------------------------------------------------


class FilterValueError(ValueError):
    """A filter value that cannot be read; the message is French, for the user."""


def cpv_prefix(raw: str | None) -> str:
    """The digits a CPV code must start with: ``45`` (a division), ``4521``, or a full code whose trailing zeros
    mean "and everything below" (``45210000-2`` → ``4521``). Spaces and dots are ignored."""
    text = _CPV_SEPARATORS.sub("", raw or "")
    match = _CPV_PREFIX.match(text)
    if not match:
        raise FilterValueError("Indiquez de 2 à 8 chiffres, par exemple 45 (travaux) ou 45210000.")
    digits, check_digit = match.groups()
    if len(digits) == 9 and check_digit is None:
        digits = digits[:8]
    if len(digits) > 8 or (check_digit is not None and len(digits) != 8):
        raise FilterValueError("Indiquez 8 chiffres au plus, suivis éventuellement de « -chiffre de contrôle ».")
    return cpv_significant_digits(digits) if len(digits) == 8 else digits


def cpv_prefix_range(prefix: str) -> tuple[str, str | None]:
    """[low, high) bounds of the 8-digit codes starting with ``prefix``, for an index range scan (a LIKE 'x%'
    does not use the index on every database). ``high`` is None when no code can follow (``99…``)."""
    if not prefix.isdigit():
        raise FilterValueError("Un préfixe CPV ne contient que des chiffres.")
    following = int(prefix) + 1
    if len(str(following)) > len(prefix):
        return prefix, None
    return prefix, str(following).zfill(len(prefix))


def department_code(raw: str | None) -> str:
    """An INSEE department code (``01``…``95``, ``2A``, ``2B``, ``971``…), upper-cased; a one-digit code gets its
    leading zero back (``1`` → ``01``)."""
    code = (raw or "").strip().upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    if not DEPARTMENT_CODE.match(code):
        raise FilterValueError(f"Code de département inconnu « {raw} » : par exemple 69, 2A ou 974.")
    return code
