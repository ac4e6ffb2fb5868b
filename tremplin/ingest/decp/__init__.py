"""DECP (données essentielles de la commande publique) reading and normalisation, in pure Python.

Pipeline, all streaming (memory holds one chunk and one record whatever the file size):

    sources.iter_members(path)      → (member name, binary stream) for files, .gz, .tar(.gz), .zip
    detect.sniff(stream)            → JSON 2019 / 2024 envelope, XML, tabular CSV; encoding
    parse_json / parse_xml / parse_csv → RawRecord(position, kind, payload) … then ParseFault
    normalize.normalize(raw, source) → Contract (canonical values + quality flags) | Rejection

``reader.read_path(path)`` chains the first three steps for the importer. No Django import
here: the importer (management command) maps ``Contract`` onto the models.
"""

from .normalize import FLAGS, REJECTIONS, Contract, Holder, Modification, Rejection, normalize
from .reader import read_path, read_stream
from .records import FAULT_CODES, ParseFault, RawRecord

__all__ = [
    "FAULT_CODES",
    "FLAGS",
    "REJECTIONS",
    "Contract",
    "Holder",
    "Modification",
    "ParseFault",
    "RawRecord",
    "Rejection",
    "normalize",
    "read_path",
    "read_stream",
]
