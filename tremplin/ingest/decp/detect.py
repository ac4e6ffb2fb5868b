"""Sniff the format of a DECP stream from its first bytes, and decode it on the fly.

``sniff`` looks at the first ``HEAD_SIZE`` bytes (after a BOM) and tells JSON, XML or CSV
apart, which JSON envelope is used (2019 ``{"marches": [...]}`` vs 2024
``{"marches": {"marche": [...]}}``, per-upload files with ``$schema``/``source`` keys before
``marches``, a bare list, a single record), the XML root element, the CSV delimiter, and the
character encoding (UTF-8, UTF-16 with BOM, or Windows-1252 when the head is not valid
UTF-8; an XML declaration such as ``encoding='utf8'``, which expat rejects, is honoured by
decoding ourselves and feeding text to expat).

``iter_text`` turns the binary stream into decoded text chunks; for XML it also strips the
ASCII control characters that XML 1.0 forbids (seen in real exports).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

from .parse_json import sniff_envelope
from .sources import peek

HEAD_SIZE = 64 * 1024
CHUNK_SIZE = 1024 * 1024

SYNTAX_JSON = "json"
SYNTAX_XML = "xml"
SYNTAX_CSV = "csv"
SYNTAX_EMPTY = "empty"
SYNTAX_UNKNOWN = "unknown"

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_ASCII_COMPATIBLE = {"utf-8", "cp1252", "latin-1", "iso8859-15", "ascii"}

# XML 1.0 forbids C0 controls except tab, LF and CR.
_XML_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 13))
_XML_CONTROL_TABLE = dict.fromkeys(_XML_CONTROL_BYTES)
_XML_DECL_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
_XML_ROOT = re.compile(r"<(?![?!])([A-Za-z_][\w.:-]*)")
_XML_SKIP = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)", re.S)

# Column names that mark a CSV file as DECP tabular data.
_CSV_MARKERS = {
    "uid",
    "id",
    "acheteur_id",
    "acheteur.id",
    "titulaire_id",
    "montant",
    "datenotification",
    "codecpv",
    "objet",
    "nature",
}


@dataclass(frozen=True, slots=True)
class Sniffed:
    """What ``sniff`` found.

    ``detail``: for JSON the envelope (``"2019"``, ``"2024"``, ``"list"``, ``"object"`` — a
    top-level object whose ``marches`` key was not seen in the head, or a single record);
    for XML the root element's local name; for CSV the delimiter.
    """

    syntax: str
    encoding: str
    detail: str | None = None
    bom: bool = False


def normalise_encoding(name: str | None) -> str | None:
    """Map an encoding label (XML declaration) to the Python codec we decode with.

    Latin-1 labels are read as Windows-1252, a superset used in practice (the typographic
    apostrophe, œ and € live in 0x80–0x9F), as browsers do.
    """
    if not name:
        return None
    label = name.strip().lower().replace("_", "-")
    if label in {"utf8", "utf-8", "utf"}:
        return "utf-8"
    if label in {"latin1", "latin-1", "iso-8859-1", "iso8859-1", "iso-latin-1", "l1", "cp1252", "windows-1252"}:
        return "cp1252"
    if label in {"iso-8859-15", "iso8859-15", "latin-9", "latin9"}:
        return "iso8859-15"
    if label in {"us-ascii", "ascii"}:
        return "utf-8"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def _head_is_utf8(body: bytes) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        decoder.decode(body, final=False)  # a sequence cut at the end of the head is fine
    except UnicodeDecodeError:
        return False
    return True


def choose_encoding(body: bytes, declared: str | None = None) -> str:
    """Pick the codec for a stream without BOM from its first bytes.

    Non-ASCII bytes that form valid UTF-8 mean UTF-8 whatever the declaration says (a
    mislabelled declaration is common, a Latin-1 text that happens to be valid UTF-8 is
    not); a pure-ASCII head follows the declaration; invalid UTF-8 means a single-byte
    encoding: the declared one, else Windows-1252.
    """
    if _head_is_utf8(body):
        return "utf-8" if not body.isascii() else (declared or "utf-8")
    return declared if declared and declared != "utf-8" else "cp1252"


def sniff(stream: BinaryIO) -> tuple[Sniffed, BinaryIO]:
    """Identify the format of ``stream``.

    Returns the verdict and a stream positioned at the start of the data (BOM skipped).
    """
    head, stream = peek(stream, HEAD_SIZE)
    encoding = None
    bom = b""
    for mark, codec in _BOMS:
        if head.startswith(mark):
            bom, encoding = mark, codec
            break
    if bom:
        stream.read(len(bom))
    body = head[len(bom) :]
    declared = None
    if encoding is None:
        if body.lstrip()[:1] == b"<":
            match = _XML_DECL_ENCODING.match(body[:512].decode("latin-1"))
            declared = normalise_encoding(match.group(1)) if match else None
        encoding = choose_encoding(body, declared)
    text = body.decode(encoding, errors="replace")
    stripped = text.lstrip()
    if not stripped:
        return Sniffed(SYNTAX_EMPTY, encoding, None, bool(bom)), stream
    first = stripped[0]
    if first == "<":
        return Sniffed(SYNTAX_XML, encoding, xml_root(stripped), bool(bom)), stream
    if first in "{[":
        return Sniffed(SYNTAX_JSON, encoding, sniff_envelope(stripped), bool(bom)), stream
    delimiter = csv_delimiter(stripped)
    if delimiter:
        return Sniffed(SYNTAX_CSV, encoding, delimiter, bool(bom)), stream
    return Sniffed(SYNTAX_UNKNOWN, encoding, None, bool(bom)), stream


def xml_root(text: str) -> str | None:
    """Local name of the root element, skipping the declaration, comments and DOCTYPE."""
    pos = 0
    while True:
        match = _XML_SKIP.match(text, pos)
        if not match or match.end() == pos:
            break
        pos = match.end()
    match = _XML_ROOT.search(text, pos)
    if not match:
        return None
    return match.group(1).rsplit(":", 1)[-1]


def csv_delimiter(text: str) -> str | None:
    """Delimiter of a DECP tabular CSV header, or None when the head does not look like one."""
    line = text.split("\n", 1)[0].strip("\r\ufeff")
    best = max(",;\t|", key=line.count)
    if line.count(best) < 2:
        return None
    columns = {cell.strip().strip('"').lower() for cell in line.split(best)}
    return best if len(columns & _CSV_MARKERS) >= 2 else None


def iter_text(stream: BinaryIO, encoding: str, *, chunk_size: int = CHUNK_SIZE, xml: bool = False) -> Iterator[str]:
    """Decode ``stream`` chunk by chunk (invalid bytes become U+FFFD, which the normaliser
    flags). With ``xml=True``, drop the control characters XML 1.0 forbids."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    byte_level = xml and encoding in _ASCII_COMPATIBLE
    while True:
        data = stream.read(chunk_size)
        end = not data
        if byte_level and data:
            # Safe on ASCII-compatible encodings: bytes < 0x20 never occur inside a
            # multi-byte UTF-8 sequence.
            data = data.translate(None, _XML_CONTROL_BYTES)
        text = decoder.decode(data, final=end)
        if xml and not byte_level and text:
            text = text.translate(_XML_CONTROL_TABLE)
        if text:
            yield text
        if end:
            return
