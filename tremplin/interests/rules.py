"""Pure rules of the interest funnel and of buyer ↔ supplier messaging: opportunity identifiers, the answers a
company gives (follow, interested, not interested and why), message bodies. No ORM, no request.

Messages are in French, ready for the user."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime

FORECAST = "forecast"
LOT = "lot"
NOTICE = "notice"
KINDS = (FORECAST, LOT, NOTICE)

FOLLOW = "follow"
UNFOLLOW = "unfollow"
INTERESTED = "interested"
NOT_INTERESTED = "not_interested"
ACTIONS = {
    FOLLOW: "Suivre",
    UNFOLLOW: "Ne plus suivre",
    INTERESTED: "Je suis intéressé(e)",
    NOT_INTERESTED: "Pas intéressé(e)",
}

OTHER = "other"
REASONS = {
    "not_my_activity": "Ce n'est pas mon activité",
    "too_large": "Marché trop important pour nous",
    "too_far": "Lieu d'exécution trop éloigné",
    "timing": "Calendrier qui ne nous convient pas",
    "reserved_not_eligible": "Lot réservé auquel nous ne sommes pas éligibles",
    OTHER: "Autre raison",
}
MAX_DETAILS = 500
MAX_MESSAGE = 5000

SUPPLIER = "supplier"
BUYER = "buyer"
SIDES = {SUPPLIER: "Entreprise", BUYER: "Acheteur"}

_OPPORTUNITY = re.compile(r"^\s*(forecast|lot|notice)\s*:\s*(\d{1,18})\s*$")


class RuleError(ValueError):
    """A value that breaks a rule; the message is French."""


def parse_opportunity(value: str) -> tuple[str, int]:
    """`"forecast:12"`, `"lot:5"` or `"notice:7"` → (kind, primary key)."""
    match = _OPPORTUNITY.match(value or "")
    if not match:
        raise RuleError(
            f"Opportunité « {value} » mal formée : attendu « forecast:<n> », « lot:<n> » ou « notice:<n> »."
        )
    return match.group(1), int(match.group(2))


@dataclass(frozen=True)
class Answer:
    """Where a company stands on an opportunity: following or not, and its latest answer."""

    followed_at: datetime | None = None
    interested_at: datetime | None = None
    not_interested_at: datetime | None = None
    reason: str = ""
    details: str = ""

    @property
    def state(self) -> str:
        if self.interested_at:
            return INTERESTED
        if self.not_interested_at:
            return NOT_INTERESTED
        return ""


def answer_errors(action: str, reason: str = "", details: str = "") -> dict[str, str]:
    """Why an answer is refused, by field (empty when valid)."""
    errors = {}
    if action not in ACTIONS:
        errors["action"] = f"Action inconnue « {action} » : {', '.join(ACTIONS)}."
    if action == NOT_INTERESTED:
        if not reason:
            errors["reason"] = "Indiquez pourquoi cette opportunité ne vous intéresse pas."
        elif reason not in REASONS:
            errors["reason"] = f"Raison inconnue « {reason} »."
        elif reason == OTHER and not details.strip():
            errors["details"] = "Précisez la raison en quelques mots."
    if len(details) > MAX_DETAILS:
        errors["details"] = f"Précisions : {MAX_DETAILS} caractères au plus."
    return errors


def apply(answer: Answer, action: str, when: datetime, reason: str = "", details: str = "") -> Answer:
    """The answer after `action`. The latest answer wins, with its timestamp; declaring an interest follows the
    opportunity; answering again keeps the first follow date."""
    errors = answer_errors(action, reason, details)
    if errors:
        raise RuleError(" ".join(errors.values()))
    if action == FOLLOW:
        return replace(answer, followed_at=answer.followed_at or when)
    if action == UNFOLLOW:
        return replace(answer, followed_at=None)
    if action == INTERESTED:
        return Answer(followed_at=answer.followed_at or when, interested_at=when)
    details = details.strip() if reason == OTHER else ""
    return Answer(followed_at=answer.followed_at, not_interested_at=when, reason=reason, details=details)


def clean_message(body: str) -> str:
    """A message body: trimmed, not empty, at most MAX_MESSAGE characters, line breaks kept (\r\n → \n)."""
    text = (body or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        raise RuleError("Écrivez votre message.")
    if len(text) > MAX_MESSAGE:
        raise RuleError(f"Message trop long : {len(text)} caractères, {MAX_MESSAGE} au plus.")
    return text


def may_start_thread(answer: Answer) -> bool:
    """A company writes to the buyer once it has declared its interest."""
    return answer.state == INTERESTED


def csv_safe(value: str) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
