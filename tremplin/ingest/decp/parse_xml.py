"""Streaming reader for DECP XML files (``<marches>`` with ``<marche>`` and
``<contrat-concession>`` children, 2019 and 2024 formats).

The text is decoded by ``detect.iter_text`` (which honours the declared or sniffed encoding
and strips forbidden control characters) and fed to expat as ``str``, which makes expat
ignore the encoding declaration (``encoding='utf8'``, rejected by expat, is in real files).
Invalid character references (``&#1;``) are removed too. DOCTYPE declarations are refused
(no entity expansion on uploaded files).

Each record element is converted, bottom-up, to the dict shape of the JSON format:
elements with children become dicts, repeated elements become lists, text becomes strings
(empty elements become ``""``). List containers follow the 2024 JSON shape
(``"titulaires": [{"titulaire": {...}}]``, ``"considerationsSociales":
{"considerationSociale": [...]}``); for a record recognised as 2019 (no 2024-only field),
object lists are then unwrapped to the 2019 JSON shape (``"titulaires": [{...}]``). Empty
``<modification/>`` elements stay as ``""`` items (the normaliser drops them). An item
element that repeats a field (``<titulaire>`` with two ``<id>``: several holders packed
into one element, seen in the Megalis 2022-03-25 export) is split into several items.

Memory holds one record at a time. XML syntax errors are fatal (as in JSON): the records
read so far are yielded, then one ``ParseFault`` with line and column.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any, BinaryIO
from xml.parsers import expat

from .detect import CHUNK_SIZE, iter_text
from .records import FORMAT_2019, KIND_CONCESSION, KIND_MARCHE, ParseFault, RawRecord, guess_format

FEED_SIZE = 64 * 1024
MAX_DEPTH = 64  # DECP records are 6 levels deep
ROOT_TAGS = frozenset({"marches"})
RECORD_KINDS = {"marche": KIND_MARCHE, "contrat-concession": KIND_CONCESSION}

# Containers of objects: JSON 2024 shape is a list of one-key wrappers.
OBJECT_LISTS = frozenset(
    {
        "titulaires",
        "modifications",
        "concessionnaires",
        "donneesExecution",
        "tarifs",
        "actesSousTraitance",
        "modificationsActesSousTraitance",
    }
)
# Containers of values: JSON 2024 shape is {"item": [values]}.
VALUE_LISTS = frozenset(
    {"considerationsSociales", "considerationsEnvironnementales", "techniques", "modalitesExecution", "typesPrix"}
)

# Character references to code points XML 1.0 forbids (C0 controls but tab, LF, CR).
_BAD_CHAR_REF = re.compile(r"&#(?:[xX]0*(?:[0-8bBcCeEfF]|1[0-9a-fA-F])|0*(?:[0-8]|1[124-9]|2[0-9]|3[01]));")


class _Forbidden(Exception):
    pass


class _Node:
    __slots__ = ("tag", "children", "text")

    def __init__(self, tag: str):
        self.tag = tag
        self.children: list[tuple[str, Any]] = []
        self.text: list[str] = []


def _local(name: str) -> str:
    return name.rsplit(":", 1)[-1]


def _convert(node: _Node, item: bool = False) -> Any:
    children = node.children
    tag = node.tag
    if tag in OBJECT_LISTS and (children or not "".join(node.text).strip()):
        items: list[dict[str, Any]] = []
        for child_tag, value in children:
            if isinstance(value, _Split):
                items.extend({child_tag: part} for part in value)
            else:
                items.append({child_tag: value})
        return items
    if item and children:
        # An item of a list (<titulaire>, <modification>…) never repeats a field: a
        # repeated field starts the next item. Real exports pack several holders or
        # modifications into one element this way (Megalis 2022-03-25).
        seen: set[str] = set()
        for child_tag, _value in children:
            if child_tag in seen:
                return _split(children)
            seen.add(child_tag)
    if tag in VALUE_LISTS and (children or not "".join(node.text).strip()):
        grouped: dict[str, list[Any]] = {}
        for child_tag, value in children:
            grouped.setdefault(child_tag, []).append(value)
        return grouped
    if children:
        result: dict[str, Any] = {}
        for child_tag, value in children:
            if child_tag in result:
                existing = result[child_tag]
                if isinstance(existing, _Repeated):
                    existing.append(value)
                else:
                    result[child_tag] = _Repeated((existing, value))
            else:
                result[child_tag] = value
        for key, value in result.items():
            if isinstance(value, _Repeated):
                result[key] = list(value)
        return result
    return "".join(node.text)


class _Repeated(list):
    """Marks a list made from repeated elements (a real list value is never one)."""


class _Split(list):
    """Several list items packed into one element, split apart."""


def _split(children: list[tuple[str, Any]]) -> _Split:
    parts = _Split()
    current: dict[str, Any] = {}
    for child_tag, value in children:
        if child_tag in current:
            parts.append(current)
            current = {}
        current[child_tag] = value
    parts.append(current)
    return parts


def unwrap_2019(value: Any) -> Any:
    """Turn 2024-shaped object lists (``[{"titulaire": {...}}]``) into 2019 ones
    (``[{...}]``), recursively."""
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key in OBJECT_LISTS and isinstance(item, list):
                item = [
                    next(iter(entry.values())) if isinstance(entry, dict) and len(entry) == 1 else entry
                    for entry in item
                ]
            out[key] = unwrap_2019(item)
        return out
    if isinstance(value, list):
        return [unwrap_2019(item) for item in value]
    return value


def _clean_refs(chunks: Iterator[str]) -> Iterator[str]:
    """Remove forbidden character references, holding back a reference cut by a chunk end."""
    carry = ""
    for chunk in chunks:
        text = carry + chunk
        carry = ""
        amp = text.rfind("&", max(0, len(text) - 12))
        if amp != -1 and ";" not in text[amp:]:
            text, carry = text[:amp], text[amp:]
        if "&#" in text:
            text = _BAD_CHAR_REF.sub("", text)
        yield text
    if carry:
        yield carry


def parse_xml(
    stream: BinaryIO, encoding: str = "utf-8", *, chunk_size: int = CHUNK_SIZE
) -> Iterator[RawRecord | ParseFault]:
    """Yield the records of a DECP XML stream, then at most one ``ParseFault``."""
    stack: list[_Node] = []
    done: list[tuple[str, Any]] = []
    counters: dict[str, int] = {}
    state = {"root": None}

    def start(name: str, _attrs: Any) -> None:
        tag = _local(name)
        if len(stack) >= MAX_DEPTH:
            raise _Forbidden(f"imbrication de plus de {MAX_DEPTH} niveaux")
        if not stack and state["root"] is None:
            state["root"] = tag
            if tag not in ROOT_TAGS and tag not in RECORD_KINDS:
                raise _Forbidden(f"élément racine « {tag} » : ce n'est pas un fichier DECP")
        stack.append(_Node(tag))

    def end(_name: str) -> None:
        node = stack.pop()
        value = _convert(node, bool(stack) and stack[-1].tag in OBJECT_LISTS)
        if not stack:
            if node.tag in RECORD_KINDS:  # single-record document
                done.append((node.tag, value))
            return
        if len(stack) == 1 and stack[0].tag in ROOT_TAGS:
            if node.tag in RECORD_KINDS:
                done.append((node.tag, value))
            return
        stack[-1].children.append((node.tag, value))

    def text(data: str) -> None:
        if stack:
            stack[-1].text.append(data)

    def doctype(*_args: Any) -> None:
        raise _Forbidden("déclaration DOCTYPE refusée")

    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.buffer_size = 65536
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = doctype
    parser.EntityDeclHandler = doctype

    count = 0

    def drain() -> Iterator[RawRecord]:
        nonlocal count
        for tag, value in done:
            counters[tag] = counters.get(tag, 0) + 1
            fmt = guess_format(value)
            if fmt == FORMAT_2019:
                value = unwrap_2019(value)
            count += 1
            yield RawRecord(f"<{tag}> #{counters[tag]}", RECORD_KINDS[tag], value, fmt)
        done.clear()

    def position() -> str:
        tag = stack[1].tag if len(stack) > 1 and stack[0].tag in ROOT_TAGS else (stack[0].tag if stack else None)
        if tag in RECORD_KINDS:
            return f"<{tag}> #{counters.get(tag, 0) + 1}"
        return "$"

    try:
        for chunk in _clean_refs(iter_text(stream, encoding, chunk_size=chunk_size, xml=True)):
            # Feed in slices so that only a few records wait in ``done`` at a time.
            for start in range(0, len(chunk), FEED_SIZE):
                parser.Parse(chunk[start : start + FEED_SIZE], False)
                yield from drain()
        parser.Parse("", True)
        yield from drain()
    except expat.ExpatError as exc:
        yield from drain()
        reason = (
            f"Erreur de syntaxe XML ligne {exc.lineno}, colonne {exc.offset + 1} "
            f"({expat.ErrorString(exc.code)}) : la suite du fichier est abandonnée."
        )
        code = "syntax_error" if state["root"] is not None or count else "unknown_format"
        yield ParseFault(position(), reason, code)
        return
    except _Forbidden as exc:
        yield from drain()
        code = "forbidden_markup" if "DOCTYPE" in str(exc) else "unknown_format"
        if "imbrication" in str(exc):
            code = "record_too_large"
        yield ParseFault(position(), f"Fichier XML refusé : {exc}.", code)
        return
    if count == 0:
        yield ParseFault("$", "Aucun marché dans le fichier XML.", "empty_file")
