"""iCalendar (RFC 5545) for purchase fairs. Pure functions.

- Lines end with CRLF and are folded at 75 octets (UTF-8 bytes, never inside a character): a continuation
  line starts with one space (RFC 5545 §3.1).
- TEXT values escape backslash, semicolon, comma and new lines (§3.3.11).
- Times are written in UTC ("…Z" form, §3.3.5), so no VTIMEZONE is needed; calendars show them in the
  reader's time zone.
- Each event has a stable UID, a DTSTAMP (when the file was produced), and a SEQUENCE that the fair increments
  when its time or place changes, so that calendar clients update the event instead of duplicating it; a
  cancelled fair is published with STATUS:CANCELLED.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

CRLF = "\r\n"
MAX_OCTETS = 75
PRODID = "-//Tremplin//Salons acheteurs//FR"


def escape_text(value: str) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def param_value(value: str) -> str:
    """A parameter value (CN=…): quoted when it holds ":;,", DQUOTE and control characters removed."""
    text = "".join(ch for ch in (value or "") if ch != '"' and ch >= " ")
    return f'"{text}"' if any(ch in text for ch in ":;,") else text


def fold(line: str) -> str:
    """Split a content line into chunks of at most 75 octets; continuation chunks start with a space."""
    chunks: list[str] = []
    current, size, limit = [], 0, MAX_OCTETS
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            chunks.append("".join(current))
            current, size, limit = [], 0, MAX_OCTETS - 1  # the leading space counts
        current.append(char)
        size += width
    chunks.append("".join(current))
    return (CRLF + " ").join(chunks)


def utc(moment: datetime.datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("An aware datetime is expected.")
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class Event:
    uid: str
    start: datetime.datetime
    end: datetime.datetime
    summary: str
    description: str = ""
    location: str = ""
    url: str = ""
    organizer_name: str = ""
    organizer_email: str = ""
    cancelled: bool = False
    sequence: int = 0


def event_lines(event: Event, stamp: datetime.datetime) -> list[str]:
    lines = [
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{utc(stamp)}",
        f"DTSTART:{utc(event.start)}",
        f"DTEND:{utc(event.end)}",
        f"SEQUENCE:{event.sequence}",
        f"STATUS:{'CANCELLED' if event.cancelled else 'CONFIRMED'}",
        f"SUMMARY:{escape_text(event.summary)}",
    ]
    if event.description:
        lines.append(f"DESCRIPTION:{escape_text(event.description)}")
    if event.location:
        lines.append(f"LOCATION:{escape_text(event.location)}")
    if event.url:
        lines.append(f"URL:{event.url}")
    if event.organizer_email:
        cn = f";CN={param_value(event.organizer_name)}" if event.organizer_name else ""
        lines.append(f"ORGANIZER{cn}:mailto:{event.organizer_email}")
    lines.append("END:VEVENT")
    return lines


def calendar(events: list[Event], stamp: datetime.datetime, name: str = "") -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{PRODID}", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"]
    if name:
        lines.append(f"X-WR-CALNAME:{escape_text(name)}")
    for event in events:
        lines.extend(event_lines(event, stamp))
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + CRLF for line in lines)
