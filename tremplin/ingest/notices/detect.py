"""Tell the notice formats apart from the first bytes of a stream.

Reuses the DECP sniffer (``tremplin.ingest.decp.detect.sniff``: BOM, UTF-16, declared or
guessed encoding, XML root element) and adds the notice formats:

- XML root ``ContractNotice`` / ``ContractAwardNotice`` / ``PriorInformationNotice`` (UBL
  namespaces) or ``BusinessRegistrationInformationNotice`` → eForms;
- XML root ``TED_EXPORT`` → TED R2.0.9;
- XML root ``ANNONCE`` → BOAMP v230;
- JSON object starting with ``"gestion"`` / ``"donnees"`` → BOAMP API notice; a JSON object
  whose first value is a list → BOAMP summary ``{idweb: [reference, objet, deadline]}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import BinaryIO

from tremplin.ingest.decp.detect import SYNTAX_EMPTY, SYNTAX_JSON, SYNTAX_XML, sniff
from tremplin.ingest.decp.sources import peek

from .boamp_json import looks_like_notice, looks_like_summary
from .model import FORMAT_BOAMP_JSON, FORMAT_BOAMP_SUMMARY, FORMAT_BOAMP_XML, FORMAT_EFORMS, FORMAT_TED_R209

FORMAT_EMPTY = "empty"
FORMAT_UNKNOWN = "unknown"
HEAD_SIZE = 4096

EFORMS_ROOTS = frozenset(
    {"ContractNotice", "ContractAwardNotice", "PriorInformationNotice", "BusinessRegistrationInformationNotice"}
)


@dataclass(frozen=True, slots=True)
class Detected:
    format: str
    encoding: str
    detail: str | None = None  # XML root element, or what the JSON looked like


def detect(stream: BinaryIO) -> tuple[Detected, BinaryIO]:
    """Identify the notice format of ``stream``; returns a stream positioned at the data."""
    sniffed, stream = sniff(stream)
    if sniffed.syntax == SYNTAX_EMPTY:
        return Detected(FORMAT_EMPTY, sniffed.encoding), stream
    if sniffed.syntax == SYNTAX_XML:
        root = sniffed.detail or ""
        if root in EFORMS_ROOTS:
            return Detected(FORMAT_EFORMS, sniffed.encoding, root), stream
        if root == "TED_EXPORT":
            return Detected(FORMAT_TED_R209, sniffed.encoding, root), stream
        if root.upper() == "ANNONCE":
            return Detected(FORMAT_BOAMP_XML, sniffed.encoding, root), stream
        return Detected(FORMAT_UNKNOWN, sniffed.encoding, f"XML <{root}>" if root else "XML"), stream
    if sniffed.syntax == SYNTAX_JSON:
        head, stream = peek(stream, HEAD_SIZE)
        text = head.decode(sniffed.encoding, errors="replace")
        if looks_like_notice(text):
            return Detected(FORMAT_BOAMP_JSON, sniffed.encoding, "notice"), stream
        if looks_like_summary(text):
            return Detected(FORMAT_BOAMP_SUMMARY, sniffed.encoding, "summary"), stream
        return Detected(FORMAT_UNKNOWN, sniffed.encoding, "JSON"), stream
    return Detected(FORMAT_UNKNOWN, sniffed.encoding, "CSV" if sniffed.syntax == "csv" else "ni XML ni JSON"), stream
