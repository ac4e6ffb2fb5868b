"""Streaming reader for DECP JSON files (2019 and 2024 envelopes).

How it works: the text is decoded chunk by chunk into a sliding window; the envelope
(``{"marches": [...]}``, ``{"marches": {"marche": [...], "contrat-concession": [...]}}``,
extra keys such as ``$schema`` or ``source`` before or after ``marches``, a bare list, a
single record) is walked by hand, and each record is decoded with the C scanner of the
standard library (``json.JSONDecoder.raw_decode``), which returns where the record ends.
Memory holds one chunk plus one record, whatever the file size.

Why not ijson: on a synthetic 184 MB / 200,000-record file, ``ijson.items(...,
use_float=True)`` with the yajl2_c backend took 3.6 s here and this reader 2.6 s; ijson
also rejects the ``NaN`` literals found in real files and does not report where a syntax
error is, while ``raw_decode`` accepts ``NaN``/``Infinity`` and control characters inside
strings, and gives the exact position of an error.

Repairs (each noted on the record, the normaliser flags it ``json_repaired``):
- an invalid backslash escape (``"C:\\dossier"``) is read as a literal backslash;
- an unescaped quote inside a string (``"BATIMENT "POLE JEUNES""``) is escaped when the
  parser stops right after it on a letter or digit.

Anything else is a syntax error: JSON has no record delimiter to resynchronise on, so the
reader yields the records read so far, then one ``ParseFault`` (position of the record that
could not be read, line and column), and stops reading that file.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

import orjson

from .records import (
    FORMAT_2019,
    FORMAT_2024,
    KIND_CONCESSION,
    KIND_MARCHE,
    ParseFault,
    RawRecord,
    guess_format,
)

CHUNK_SIZE = 1024 * 1024
MAX_RECORD_CHARS = 64 * 1024 * 1024
MAX_REPAIRS_PER_RECORD = 50

FAST_ATTEMPTS = 64  # candidate ends tried by the orjson fast path before the standard decoder
FAST_WINDOW = 1024 * 1024  # larger records go to the standard decoder

_WS = re.compile(r"[ \t\n\r]*")
_RECORD_END = re.compile(r"\}[ \t\n\r]*,[ \t\n\r]*(?=\{)")
_orjson_loads = orjson.loads
_DECODER = json.JSONDecoder(strict=False)
_raw_decode = _DECODER.raw_decode
_QUOTE_REPAIR_NEXT = re.compile(r"\w", re.UNICODE)

NOTE_ESCAPE = "json_escape_repaired"
NOTE_QUOTE = "json_quote_repaired"

# 2024 envelope keys → record kind.
_KINDS_2024 = {"marche": KIND_MARCHE, "contrat-concession": KIND_CONCESSION}


class _Fault(Exception):
    def __init__(self, fault: ParseFault):
        super().__init__(fault.reason)
        self.fault = fault


class _NeedMore(Exception):
    pass


class _Text:
    """Sliding window over the decoded text of a stream."""

    __slots__ = ("buf", "pos", "eof", "at_record", "last_text", "_stream", "_decoder", "_chunk", "_lines", "_column")

    def __init__(self, stream: BinaryIO, encoding: str, chunk_size: int):
        self._stream = stream
        self._decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        self._chunk = chunk_size
        self._lines = 0  # newlines in the text already dropped from the window
        self._column = 0  # characters after the last dropped newline
        self.buf = ""
        self.pos = 0
        self.eof = False
        self.at_record = False  # ``pos`` is known to be at the "{" of a record (set by the fast path)
        self.last_text: str | None = None  # JSON text of the last record read by the fast path

    def fill(self) -> bool:
        """Append the next chunk, dropping what is before ``pos``. False at end of file."""
        if self.eof:
            return False
        data = self._stream.read(self._chunk)
        if data:
            text = self._decoder.decode(data)
        else:
            self.eof = True
            text = self._decoder.decode(b"", final=True)
        if self.pos:
            newlines = self.buf.count("\n", 0, self.pos)
            if newlines:
                self._lines += newlines
                self._column = self.pos - self.buf.rfind("\n", 0, self.pos) - 1
            else:
                self._column += self.pos
            self.buf = self.buf[self.pos :] + text
            self.pos = 0
        else:
            self.buf += text
        return True

    def peek(self) -> str | None:
        """Skip whitespace and return the next character, or None at end of file."""
        while True:
            self.pos = _WS.match(self.buf, self.pos).end()
            if self.pos < len(self.buf):
                return self.buf[self.pos]
            if not self.fill():
                return None

    def expect(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += 1
            return True
        return False

    def line_col(self, index: int) -> tuple[int, int]:
        """1-based line and column of ``buf[index]`` in the whole text."""
        line = self._lines + self.buf.count("\n", 0, index) + 1
        newline = self.buf.rfind("\n", 0, index)
        return line, index - newline if newline != -1 else self._column + index + 1

    def at_end(self, exc: json.JSONDecodeError) -> bool:
        """Whether a syntax error is the end of the text (a truncated file)."""
        return self.eof and (exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - 16)

    def record(self) -> tuple[Any, tuple[str, ...]]:
        """Decode the record (an array item) at ``pos``: the fast path, then ``value()``.

        Fast path: an object followed by another one (``}``, ``,``, ``{``) ends at one of the ``}`` that
        ``_RECORD_END`` finds; the first candidate whose text orjson parses is the end, because a proper prefix
        of a valid JSON object ending on ``}`` is never valid JSON itself (the ``}`` is either in a string, left
        unterminated, or closes a nested object, leaving the outer one open). orjson parses a record about
        three times faster than the standard library. Anything it refuses (the last record of the array,
        ``NaN``, broken escapes, control characters, integers beyond 64 bits) goes to ``value()``, which
        reads or repairs it exactly as before."""
        self.last_text = None
        if not self.at_record and self.peek() != "{":
            return self.value()
        self.at_record = False
        search = self.pos
        for _attempt in range(FAST_ATTEMPTS):
            match = _RECORD_END.search(self.buf, search)
            if match is None:
                if self.eof or len(self.buf) - self.pos > FAST_WINDOW:
                    break
                offset = self.pos
                self.fill()
                search -= offset - self.pos
                continue
            end = match.start() + 1
            text = self.buf[self.pos : end]
            try:
                value = _orjson_loads(text)
            except orjson.JSONDecodeError:
                search = end
                continue
            self.pos = match.end()  # at the next record's "{": the separator is consumed
            self.at_record = True
            self.last_text = text
            return value, ()
        return self.value()

    def value(self) -> tuple[Any, tuple[str, ...]]:
        """Decode the JSON value at ``pos``; refill when the window cuts it; repair what
        can be repaired. Raises ``json.JSONDecodeError`` for a syntax error."""
        notes: list[str] = []
        quote_error: json.JSONDecodeError | None = None
        self.peek()
        while True:
            try:
                value, end = _raw_decode(self.buf, self.pos)
            except json.JSONDecodeError as exc:
                if self._cut(exc):
                    self._grow()
                    continue
                if len(notes) < MAX_REPAIRS_PER_RECORD and self._repair(exc, notes):
                    if notes[-1] == NOTE_QUOTE and quote_error is None:
                        quote_error = exc
                    continue
                # A failed quote repair means the first error was structural: report it.
                raise quote_error or exc from None
            if end == len(self.buf) and not self.eof and self.buf[end - 1] not in ']}"el':
                # A number (or literal) may continue in the next chunk.
                self._grow()
                continue
            self.pos = end
            return value, tuple(dict.fromkeys(notes))

    def _cut(self, exc: json.JSONDecodeError) -> bool:
        """Whether the error comes from the end of the window rather than from the data."""
        if self.eof:
            return False
        return exc.msg.startswith("Unterminated string") or exc.pos >= len(self.buf) - 16

    def _grow(self) -> None:
        if len(self.buf) - self.pos > MAX_RECORD_CHARS:
            raise _NeedMore
        self.fill()

    def _inner_quote(self, at: int) -> bool:
        """After a string closed too early, the parser stopped at ``at``: a letter or digit
        (``"A "B" C"``), or the real closing quote (``"A "B""`` followed by ``,`` ``}``
        ``]``), means the quote before was part of the text."""
        buf = self.buf
        if _QUOTE_REPAIR_NEXT.match(buf, at):
            return True
        if buf[at : at + 1] == '"':
            after = _WS.match(buf, at + 1).end()
            return buf[after : after + 1] in (",", "}", "]")
        return False

    def _repair(self, exc: json.JSONDecodeError, notes: list[str]) -> bool:
        buf, at = self.buf, exc.pos
        if exc.msg.startswith("Invalid \\escape") or exc.msg.startswith("Invalid \\uXXXX escape"):
            if buf[at : at + 1] == "\\":
                self.buf = buf[:at] + "\\" + buf[at:]
                notes.append(NOTE_ESCAPE)
                return True
            return False
        if exc.msg.startswith("Expecting ',' delimiter") and at > self.pos:
            quote = at - 1
            while quote > self.pos and buf[quote] in " \t\r\n":
                quote -= 1
            if buf[quote] == '"' and self._inner_quote(at):
                self.buf = buf[:quote] + "\\" + buf[quote:]
                notes.append(NOTE_QUOTE)
                return True
        return False


def _kind_2019(item: Any) -> str:
    if isinstance(item, dict):
        declared = item.get("_type")
        if isinstance(declared, str) and "concession" in declared.lower():
            return KIND_CONCESSION
        if "autoriteConcedante" in item or "concessionnaires" in item:
            return KIND_CONCESSION
    return KIND_MARCHE


def sniff_envelope(text: str) -> str | None:
    """Tell the JSON envelope from the head of a file: ``"2019"``, ``"2024"``, ``"list"``
    or ``"object"`` (top-level object whose ``marches`` key is not in the head, or a single
    record); None if the head is not JSON."""
    pos = _WS.match(text).end()
    if text[pos : pos + 1] == "[":
        return "list"
    if text[pos : pos + 1] != "{":
        return None
    pos += 1
    while True:
        pos = _WS.match(text, pos).end()
        if text[pos : pos + 1] != '"':
            return "object"
        try:
            key, pos = _raw_decode(text, pos)
            pos = _WS.match(text, pos).end()
            if text[pos : pos + 1] != ":":
                return None
            pos = _WS.match(text, pos + 1).end()
            if key == "marches":
                opening = text[pos : pos + 1]
                return {"[": FORMAT_2019, "{": FORMAT_2024}.get(opening, "object")
            _, pos = _raw_decode(text, pos)
        except json.JSONDecodeError:
            return "object"
        pos = _WS.match(text, pos).end()
        if text[pos : pos + 1] == ",":
            pos += 1


def parse_json(
    stream: BinaryIO, encoding: str = "utf-8", *, chunk_size: int = CHUNK_SIZE
) -> Iterator[RawRecord | ParseFault]:
    """Yield the records of a DECP JSON stream, then at most one ``ParseFault``."""
    reader = _Reader(_Text(stream, encoding, chunk_size))
    try:
        yield from reader.document()
    except _Fault as fault:
        yield fault.fault
        return
    if reader.count == 0:
        yield ParseFault("$", "Aucun marché dans le fichier (enveloppe vide).", "empty_file")


class _Reader:
    def __init__(self, text: _Text):
        self.text = text
        self.count = 0
        self.position = "$"

    # -- faults -------------------------------------------------------------------------
    def _syntax(self, exc: json.JSONDecodeError) -> _Fault:
        if self.text.at_end(exc):
            return self._truncated()
        line, col = self.text.line_col(exc.pos)
        reason = (
            f"Erreur de syntaxe JSON ligne {line}, colonne {col} ({exc.msg}) : l'enregistrement ne peut pas "
            "être lu et la suite du fichier est abandonnée (une erreur de syntaxe JSON ne permet pas de "
            "retrouver le début de l'enregistrement suivant)."
        )
        return _Fault(ParseFault(self.position, reason, "syntax_error"))

    def _truncated(self) -> _Fault:
        reason = "Fin de fichier inattendue : fichier tronqué, la suite est perdue."
        return _Fault(ParseFault(self.position, reason, "syntax_error"))

    def _unexpected(self, expected: str) -> _Fault:
        char = self.text.peek()
        if char is None:
            return self._truncated()
        line, col = self.text.line_col(self.text.pos)
        reason = (
            f"Erreur de syntaxe JSON ligne {line}, colonne {col} : {expected} attendu, « {char} » trouvé ; "
            "la suite du fichier est abandonnée."
        )
        return _Fault(ParseFault(self.position, reason, "syntax_error"))

    def _value(self, record: bool = False) -> tuple[Any, tuple[str, ...]]:
        try:
            return self.text.record() if record else self.text.value()
        except json.JSONDecodeError as exc:
            raise self._syntax(exc) from None
        except _NeedMore:
            reason = f"Enregistrement de plus de {MAX_RECORD_CHARS // (1024 * 1024)} Mo : fichier abandonné."
            raise _Fault(ParseFault(self.position, reason, "record_too_large")) from None
        except RecursionError:
            reason = "Structure JSON imbriquée trop profondément : fichier abandonné."
            raise _Fault(ParseFault(self.position, reason, "record_too_large")) from None

    def _key(self) -> str:
        if self.text.peek() != '"':
            raise self._unexpected("une clé entre guillemets")
        key, _ = self._value()
        if not self.text.expect(":"):
            raise self._unexpected("« : »")
        return key

    # -- structure ----------------------------------------------------------------------
    def document(self) -> Iterator[RawRecord]:
        char = self.text.peek()
        if char == "[":
            yield from self._array("", None, None)
        elif char == "{":
            yield from self._top_object()
        elif char is None:
            raise _Fault(ParseFault("$", "Fichier vide.", "empty_file"))
        else:
            raise _Fault(ParseFault("$", "Le fichier ne commence pas par « { » ou « [ ».", "unknown_format"))

    def _top_object(self) -> Iterator[RawRecord]:
        self.text.pos += 1
        others: dict[str, Any] = {}
        seen_marches = False
        while True:
            char = self.text.peek()
            if char == "}":
                self.text.pos += 1
                break
            if char == ",":
                self.text.pos += 1
                continue
            key = self._key()
            if key == "marches":
                seen_marches = True
                opening = self.text.peek()
                if opening == "[":
                    yield from self._array("marches", None, FORMAT_2019)
                elif opening == "{":
                    yield from self._object_2024()
                else:
                    self._value()  # null or garbage: no records
            else:
                others[key], _ = self._value()
        if not seen_marches and others:
            if "id" in others or "acheteur" in others or "autoriteConcedante" in others:
                self.count += 1
                yield RawRecord("$", _kind_2019(others), others, guess_format(others))
            else:
                reason = "Objet JSON sans clé « marches » : ce n'est pas un fichier DECP."
                raise _Fault(ParseFault("$", reason, "unknown_format"))

    def _object_2024(self) -> Iterator[RawRecord]:
        self.text.pos += 1
        while True:
            char = self.text.peek()
            if char == "}":
                self.text.pos += 1
                return
            if char == ",":
                self.text.pos += 1
                continue
            key = self._key()
            kind = _KINDS_2024.get(key)
            path = f"marches.{key}"
            opening = self.text.peek()
            if kind is not None and opening == "[":
                yield from self._array(path, kind, FORMAT_2024)
            elif kind is not None and opening == "{":
                # A single record instead of a list (seen in XML-to-JSON conversions).
                self.position = path
                value, notes = self._value()
                self.count += 1
                yield RawRecord(path, kind, value, FORMAT_2024, notes)
            else:
                self._value()

    def _array(self, path: str, kind: str | None, fmt: str | None) -> Iterator[RawRecord]:
        text = self.text
        text.pos += 1
        index = 0
        while True:
            self.position = f"{path}[{index}]"
            if text.at_record:  # the fast path consumed the separator: the next record starts here
                value, notes = self._value(record=True)
                self.count += 1
                yield RawRecord(
                    self.position, kind or _kind_2019(value), value, fmt or guess_format(value), notes, text.last_text
                )
                index += 1
                continue
            char = text.peek()
            if char == "]":
                text.pos += 1
                return
            if char == ",":
                text.pos += 1
                continue
            if char is None:
                raise self._truncated()
            value, notes = self._value(record=True)
            self.count += 1
            yield RawRecord(
                self.position,
                kind or _kind_2019(value),
                value,
                fmt or guess_format(value),
                notes,
                text.last_text,
            )
            index += 1
